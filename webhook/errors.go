package webhook

import (
	"errors"
	"strings"
)

// Sentinel errors. Every verification failure is a *VerifyError that matches
// exactly one of the first seven with errors.Is.
var (
	// ErrMissingHeader: one of the five X-Webhook-* headers is absent or empty.
	ErrMissingHeader = errors.New("webhook: missing header")
	// ErrMalformedHeader: a header holds control characters or is too long.
	ErrMalformedHeader = errors.New("webhook: malformed header")
	// ErrMalformedTimestamp: X-Webhook-Timestamp is not Unix seconds.
	ErrMalformedTimestamp = errors.New("webhook: malformed timestamp")
	// ErrStale: the delivery is authentic but outside the freshness window.
	ErrStale = errors.New("webhook: stale delivery")
	// ErrBadSignature: the signature is malformed, uses another scheme, or
	// was not made with any configured secret.
	ErrBadSignature = errors.New("webhook: bad signature")
	// ErrBodyTooLarge: the body exceeds the size limit.
	ErrBodyTooLarge = errors.New("webhook: body too large")
	// ErrNotJSON: the body is authentic but is not a JSON object.
	ErrNotJSON = errors.New("webhook: body is not a JSON object")

	// ErrNoSecret: a verifier needs at least one non-empty secret.
	ErrNoSecret = errors.New("webhook: no secret configured")
	// ErrLastSecret: removing the only secret would leave the verifier
	// unable to accept anything.
	ErrLastSecret = errors.New("webhook: cannot remove the last secret")
)

// Checks named by VerifyError.Check, in the order Verify runs them.
const (
	CheckHeader    = "header"
	CheckTimestamp = "timestamp"
	CheckBodySize  = "body size"
	CheckSignature = "signature"
	CheckFreshness = "freshness"
	CheckJSON      = "json"
)

// VerifyError says which check of a delivery failed and why. It never holds a
// secret, nor the expected signature.
type VerifyError struct {
	Check  string // one of the Check* constants
	Header string // the header concerned, when there is one
	Detail string // a short explanation, safe to log
	Err    error  // one of the sentinels above
}

// Error names the sentinel, the header and the detail; never a secret.
func (e *VerifyError) Error() string {
	var b strings.Builder
	b.WriteString(e.Err.Error())
	if e.Header != "" {
		b.WriteString(": ")
		b.WriteString(e.Header)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Unwrap returns the sentinel, for errors.Is.
func (e *VerifyError) Unwrap() error { return e.Err }
