package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinels for the server's error codes (docs/api.md 3). An *APIError
// matches them with errors.Is:
//
//	if errors.Is(err, client.ErrRateLimited) { ... }
var (
	ErrAuthenticationRequired = errors.New("client: authentication required")      // authentication_required
	ErrInvalidToken           = errors.New("client: invalid token")                // invalid_token
	ErrSignatureRequired      = errors.New("client: signature required")           // signature_required
	ErrInvalidSignature       = errors.New("client: invalid signature")            // invalid_signature
	ErrSignatureReplay        = errors.New("client: signature replay")             // signature_replay
	ErrAPIAccessDisabled      = errors.New("client: API access disabled")          // api_access_disabled
	ErrIPNotAllowed           = errors.New("client: IP address not allowed")       // ip_not_allowed
	ErrScopeDenied            = errors.New("client: scope denied")                 // scope_denied
	ErrNotFound               = errors.New("client: not found")                    // HTTP 404
	ErrIdempotencyConflict    = errors.New("client: idempotency conflict")         // idempotency_conflict
	ErrValidation             = errors.New("client: validation error")             // validation_error
	ErrRateLimited            = errors.New("client: rate limit exceeded")          // rate_limit_exceeded, or HTTP 429 without a code
	ErrQuotaExceeded          = errors.New("client: quota exceeded")               // quota_exceeded
	ErrServer                 = errors.New("client: server error")                 // HTTP 5xx
	ErrMalformedResponse      = errors.New("client: malformed response")           // not a JSON envelope (proxy pages, truncated bodies)
	ErrResponseTooLarge       = errors.New("client: response too large")           // body above WithMaxResponseBytes
	ErrUnexpectedRedirect     = errors.New("client: redirect refused")             // 3xx: never followed, credentials stay on the API host
	ErrOutcomeUnknown         = errors.New("client: outcome of the write unknown") // the write may have reached the server
)

// Errors the client reports before anything is sent.
var (
	// ErrNoToken: a private operation was called on a client without a token.
	ErrNoToken = errors.New("client: private operation needs an API token")
	// ErrInvalidIdempotencyKey: a key outside 8..191 visible ASCII characters.
	ErrInvalidIdempotencyKey = errors.New("client: idempotency key must be 8 to 191 visible ASCII characters")
	// ErrInvalidCorrelationID: a correlation id over 128 or with control characters.
	ErrInvalidCorrelationID = errors.New("client: correlation id must be at most 128 visible ASCII characters")
	// ErrInsecureURL: a plain http:// base URL for a host that is not loopback.
	ErrInsecureURL = errors.New("client: plain http is allowed for loopback hosts only (see WithInsecureHTTP)")
)

// codeSentinels maps error.code values to their sentinel.
var codeSentinels = map[string]error{
	"authentication_required": ErrAuthenticationRequired,
	"invalid_token":           ErrInvalidToken,
	"signature_required":      ErrSignatureRequired,
	"invalid_signature":       ErrInvalidSignature,
	"signature_replay":        ErrSignatureReplay,
	"api_access_disabled":     ErrAPIAccessDisabled,
	"ip_not_allowed":          ErrIPNotAllowed,
	"scope_denied":            ErrScopeDenied,
	"idempotency_conflict":    ErrIdempotencyConflict,
	"validation_error":        ErrValidation,
	"rate_limit_exceeded":     ErrRateLimited,
	"quota_exceeded":          ErrQuotaExceeded,
}

// statusSentinel is the sentinel an HTTP status implies on its own.
func statusSentinel(status int) error {
	switch {
	case status == 404:
		return ErrNotFound
	case status == 429:
		return ErrRateLimited
	case status >= 500:
		return ErrServer
	}
	return nil
}

// APIError is an error answer of the server: an envelope with state 1, or a
// non-2xx status with an error envelope. When retries ran out, it describes
// the last answer.
type APIError struct {
	StatusCode int
	Code       string // error.code, e.g. "validation_error"
	Message    string
	RequestID  string
	// RetryAfter is the server's Retry-After, set when it asked for a wait
	// the client did not take (longer than RetryPolicy.MaxRetryAfter, past
	// the context deadline, or retries used up).
	RetryAfter time.Duration

	// Details are the field errors of a validation_error: field -> messages.
	Details map[string][]string
	// RawDetails is error.details as sent (with the client's credentials
	// removed, should the server echo them), for codes whose details are
	// not field errors.
	RawDetails json.RawMessage
	// CorrelationID is meta.correlation_id (or X-Correlation-Id).
	CorrelationID string
	// Attempts is how many requests the call sent.
	Attempts int

	Method string // HTTP method of the call
	Path   string // path below the base URL, without the query
	// IdempotencyKey is the key the call carried, "" for none: retrying a
	// write with the same key is safe.
	IdempotencyKey string
	// Scope is the scope the operation needs (openapi.yaml); a scope_denied
	// answer means the key lacks it.
	Scope string
	// Canonical is the canonical string the client signed, set for
	// invalid_signature answers so it can be compared with the server's. It
	// holds no secret.
	Canonical string
	// OutcomeUnknown is set for a write when an earlier attempt reached the
	// server without an answer and this answer (401, 403, 408, 429, 5xx) is
	// a refusal that says nothing about that attempt: the write may have
	// happened. Such errors match ErrOutcomeUnknown; repeat the call with
	// the same IdempotencyKey.
	OutcomeUnknown bool

	// secretOrigin says where the signing secret of the answered attempt
	// came from (error_hints.go), for the invalid_signature hint.
	secretOrigin string
}

// Error describes the answer: method, path, status, code, message, the
// field messages of a validation_error (bounded; Details has them all), a
// hint for invalid_signature, and the request id.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("client: ")
	if e.Method != "" {
		b.WriteString(e.Method + " " + e.Path + ": ")
	}
	fmt.Fprintf(&b, "%d", e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	e.writeFieldErrors(&b)
	e.writeSignatureHint(&b)
	if e.Code == "scope_denied" && e.Scope != "" {
		b.WriteString(" (needs scope " + e.Scope + ")")
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after " + e.RetryAfter.String() + ")")
	}
	if e.RequestID != "" {
		b.WriteString(" (request " + e.RequestID + ")")
	}
	if e.OutcomeUnknown {
		b.WriteString(" (outcome unknown")
		if e.IdempotencyKey != "" {
			b.WriteString(": repeat with Idempotency-Key " + e.IdempotencyKey)
		}
		b.WriteString(")")
	}
	return b.String()
}

// Is reports whether target is the sentinel of e's code (or, without a
// code, of its HTTP status), or ErrOutcomeUnknown when OutcomeUnknown is set.
func (e *APIError) Is(target error) bool {
	if target == ErrOutcomeUnknown {
		return e.OutcomeUnknown
	}
	if s, ok := codeSentinels[e.Code]; ok {
		if s == target {
			return true
		}
	}
	if e.Code == "" || target == ErrNotFound || target == ErrServer {
		if s := statusSentinel(e.StatusCode); s != nil && s == target {
			return true
		}
	}
	return false
}

// ResponseError is an HTTP answer that is not a JSON envelope: an HTML page
// of a proxy, an empty or truncated body, a redirect, or a body above the
// size limit. It matches ErrMalformedResponse (or ErrResponseTooLarge,
// ErrUnexpectedRedirect) and the sentinel of its status (ErrServer,
// ErrRateLimited, ErrNotFound).
type ResponseError struct {
	StatusCode  int
	ContentType string
	// Snippet is the start of the body (at most 256 bytes, control
	// characters replaced, known secrets removed).
	Snippet   string
	RequestID string // X-Request-Id, if the answer had one
	Attempts  int
	Method    string
	Path      string
	Err       error // the decoding error, or ErrResponseTooLarge, ErrUnexpectedRedirect
	// IdempotencyKey is the key the call carried, "" for none.
	IdempotencyKey string
	// OutcomeUnknown is set for a write whose outcome this answer leaves
	// open: a 2xx whose body cannot be read, or a refusal (401, 403, 408,
	// 429, 5xx) after an earlier attempt went unanswered. Such errors match
	// ErrOutcomeUnknown; repeat the call with the same IdempotencyKey.
	OutcomeUnknown bool
}

// Error describes the answer with its bounded snippet.
func (e *ResponseError) Error() string {
	msg := fmt.Sprintf("client: %s %s: %d", e.Method, e.Path, e.StatusCode)
	if e.ContentType != "" {
		msg += " " + e.ContentType
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.Snippet != "" {
		msg += fmt.Sprintf(": body %q", e.Snippet)
	}
	if e.RequestID != "" {
		msg += " (request " + e.RequestID + ")"
	}
	if e.OutcomeUnknown {
		msg += " (outcome unknown"
		if e.IdempotencyKey != "" {
			msg += ": repeat with Idempotency-Key " + e.IdempotencyKey
		}
		msg += ")"
	}
	return msg
}

// Unwrap returns the decoding error.
func (e *ResponseError) Unwrap() error { return e.Err }

// Is matches ErrMalformedResponse, the sentinel of the HTTP status, and
// ErrOutcomeUnknown when OutcomeUnknown is set.
func (e *ResponseError) Is(target error) bool {
	if target == ErrOutcomeUnknown {
		return e.OutcomeUnknown
	}
	if target == ErrMalformedResponse {
		return !errors.Is(e.Err, ErrResponseTooLarge) && !errors.Is(e.Err, ErrUnexpectedRedirect)
	}
	s := statusSentinel(e.StatusCode)
	return s != nil && s == target
}

// RequestError is a call that got no usable answer: a transport error
// (connection refused, reset, TLS, timeout) or the context's error, wrapped
// with the method and path (never the query or headers). errors.Is sees
// through it (context.DeadlineExceeded, context.Canceled).
//
// OutcomeUnknown is set for writes whose request may have reached the
// server; such errors match ErrOutcomeUnknown. Repeat the call with the same
// IdempotencyKey (WithIdempotencyKey) to learn the outcome without risking a
// second order.
type RequestError struct {
	Method         string
	Path           string
	Attempts       int
	IdempotencyKey string
	OutcomeUnknown bool
	Err            error
	// Last is the last error answer of the server when an earlier attempt
	// got one (for example a 503 before the context ran out), else nil.
	Last *APIError
}

// Error names the call, whether its outcome is unknown, and the cause.
func (e *RequestError) Error() string {
	msg := "client: " + e.Method + " " + e.Path
	if e.OutcomeUnknown {
		msg += ": outcome unknown"
		if e.IdempotencyKey != "" {
			msg += " (repeat with Idempotency-Key " + e.IdempotencyKey + ")"
		}
	}
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	msg += ": " + e.Err.Error()
	if e.Last != nil {
		msg += fmt.Sprintf(" (last answer %d %s)", e.Last.StatusCode, e.Last.Code)
	}
	return msg
}

// Unwrap returns the cause and, if any, the last error answer.
func (e *RequestError) Unwrap() []error {
	if e.Last != nil {
		return []error{e.Err, e.Last}
	}
	return []error{e.Err}
}

// Is matches ErrOutcomeUnknown when the write may have reached the server.
func (e *RequestError) Is(target error) bool {
	return target == ErrOutcomeUnknown && e.OutcomeUnknown
}

// Timeout reports whether the cause was a timeout.
func (e *RequestError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.Err, &t) && t.Timeout()
}
