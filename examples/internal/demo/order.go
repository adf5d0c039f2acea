package demo

import (
	"fmt"

	"github.com/iexkit/exchanger-go/client"
)

// OrderRef is the reference the output and the status calls use: the
// tracking id, else the public id, else the numeric id.
func OrderRef(o *client.Order) string {
	switch {
	case o.TrackingID != "":
		return o.TrackingID
	case o.PublicID != "":
		return o.PublicID
	default:
		return fmt.Sprint(o.ID)
	}
}
