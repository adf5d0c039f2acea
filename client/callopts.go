package client

// CallOption configures one call.
type CallOption func(*callConfig)

type callConfig struct {
	idempotencyKey string
	correlationID  string
	response       *Response
	keys           *keyring // credentials for this call only (rotation checks)
}

// WithIdempotencyKey sets the Idempotency-Key of a write (8 to 191 visible
// ASCII characters). Every attempt of the call carries it. Without it the
// SDK generates one per call. Reuse the key when repeating a write whose
// outcome is unknown (ErrOutcomeUnknown): the server answers the stored
// result instead of acting twice.
func WithIdempotencyKey(key string) CallOption {
	return func(cc *callConfig) { cc.idempotencyKey = key }
}

// WithCorrelationID sets X-Correlation-Id (at most 128 visible ASCII
// characters); the server echoes it in meta and in the webhook events the
// call causes.
func WithCorrelationID(id string) CallOption {
	return func(cc *callConfig) { cc.correlationID = id }
}

// WithResponse stores the call's response metadata in *r when the call
// returns: request and correlation ids, the Idempotency-Key used and whether
// the answer was replayed, rate-limit and quota values, attempts.
func WithResponse(r *Response) CallOption {
	return func(cc *callConfig) { cc.response = r }
}

// withCredentials runs one call with other credentials than the client's.
func withCredentials(cr Credentials) CallOption {
	k := newStaticKeyring(cr)
	k.origin = originRotation
	return func(cc *callConfig) { cc.keys = k }
}
