package main

import (
	"errors"
	"sort"
	"strings"

	"github.com/iexkit/exchanger-go/client"
)

// errorHints are the lines under an error that help to act on it: the
// field errors of a validation_error, the canonical string behind an
// invalid_signature, where a missing setting comes from.
func errorHints(err error) []string {
	var hints []string
	var ae *client.APIError
	if errors.As(err, &ae) {
		fields := make([]string, 0, len(ae.Details))
		for f := range ae.Details {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			hints = append(hints, f+": "+strings.Join(ae.Details[f], "; "))
		}
		if len(ae.Details) == 0 && len(ae.RawDetails) > 0 && len(ae.RawDetails) <= 1024 {
			hints = append(hints, "details: "+string(ae.RawDetails))
		}
		if ae.Code == "invalid_signature" {
			hints = append(hints, "the server rebuilt another canonical string, or the HMAC secret is not the key's ($"+client.EnvHMACSecret+")")
			if ae.Canonical != "" {
				hints = append(hints, "the SDK signed (compare with your own code's, or with iex sign --explain):")
				for _, l := range strings.Split(ae.Canonical, "\n") {
					hints = append(hints, "  | "+l)
				}
			}
		}
	}
	if errors.Is(err, client.ErrNoToken) {
		hints = append(hints, "set $"+client.EnvToken+" or pass --token-file")
	}
	return hints
}
