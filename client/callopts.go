package client

// CallOption configures one call.
type CallOption func(*callConfig)

type callConfig struct {
	idempotencyKey string
	response       *Response
}

// WithIdempotencyKey sets the Idempotency-Key of a write (8 to 191 chars).
// Every attempt of the call carries it. Without it the SDK generates one.
func WithIdempotencyKey(key string) CallOption {
	return func(cc *callConfig) { cc.idempotencyKey = key }
}

// WithResponse stores the call's response metadata in *r when the call
// returns.
func WithResponse(r *Response) CallOption {
	return func(cc *callConfig) { cc.response = r }
}
