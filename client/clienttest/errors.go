package clienttest

import "errors"

// Sentinel errors of the Server's methods; test them with errors.Is.
var (
	// ErrUnknownKey: no key has this token.
	ErrUnknownKey = errors.New("clienttest: unknown key")
	// ErrUnknownOrder: no order has this id, public_id or tracking_id.
	ErrUnknownOrder = errors.New("clienttest: unknown order")
	// ErrUnknownStatus: not one of the order statuses (see Statuses).
	ErrUnknownStatus = errors.New("clienttest: unknown order status")
	// ErrUnknownOperation: not one of the names Operations returns.
	ErrUnknownOperation = errors.New("clienttest: unknown operation")
)
