package clienttest

import (
	"fmt"
	"net/http"
	"time"
)

// fault makes the next n requests of an operation fail with status.
type fault struct {
	n      int
	status int
}

// rawFault makes the next n requests of an operation get a body that is not
// the API's envelope: a proxy's HTML page, an empty or truncated body.
type rawFault struct {
	n           int
	status      int
	contentType string
	body        []byte
}

// AnyOperation, given to FailNext or DropAfterProcessing, matches every
// operation.
const AnyOperation = "*"

func (s *Server) knownOperation(name string) bool {
	if name == AnyOperation {
		return true
	}
	for _, o := range s.ops {
		if o.name() == name {
			return true
		}
	}
	return false
}

// FailNext makes the next n requests of operation (a name from Operations,
// or AnyOperation) fail with status (400 to 599) after authentication, before
// the operation runs: nothing is created and no idempotent response is
// stored. A 429 carries Retry-After: 1. Calls add up.
func (s *Server) FailNext(operation string, n int, status int) error {
	if !s.knownOperation(operation) {
		return fmt.Errorf("%w: %q", ErrUnknownOperation, operation)
	}
	if status < 400 || status > 599 {
		return fmt.Errorf("clienttest: FailNext status %d is not an error status", status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults[operation]
	if f == nil || f.n <= 0 {
		f = &fault{}
		s.faults[operation] = f
	}
	f.n += n
	f.status = status
	return nil
}

// FailNextRaw makes the next n requests of operation (or AnyOperation)
// get status with contentType and body as they are, instead of the API's
// envelope: what nginx or a CDN in front of a real exchanger sends (an HTML
// 502 page, an empty body, truncated JSON). Like FailNext, it acts after
// authentication and before the operation; raw failures are served first.
func (s *Server) FailNextRaw(operation string, n, status int, contentType string, body []byte) error {
	if !s.knownOperation(operation) {
		return fmt.Errorf("%w: %q", ErrUnknownOperation, operation)
	}
	if status < 100 || status > 599 {
		return fmt.Errorf("clienttest: FailNextRaw status %d is not an HTTP status", status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rawFaults[operation] = &rawFault{n: n, status: status, contentType: contentType, body: append([]byte{}, body...)}
	return nil
}

// DropAfterProcessing makes the next n requests of operation (or
// AnyOperation) that reach the operation be processed in full (an order is
// created, an idempotent response is stored) and then closes the connection
// without answering: the lost response a client must recover from by
// retrying with the same Idempotency-Key. Requests refused before the
// operation (authentication, limits, FailNext) are answered and do not
// count.
//
// Go's http.Transport itself resends a request that carries an
// Idempotency-Key when a reused connection dies without an answer; with
// signing, that resend repeats the nonce and gets 401 signature_replay.
func (s *Server) DropAfterProcessing(operation string, n int) error {
	if !s.knownOperation(operation) {
		return fmt.Errorf("%w: %q", ErrUnknownOperation, operation)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drops[operation] += n
	return nil
}

// SetLatency delays every response by d (0 turns it off). The delay ends
// early when the client gives up.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetClockSkew moves the server's clock by d from the configured clock: the
// Date header, meta.timestamp, the signature window and every timestamp the
// server writes follow it.
func (s *Server) SetClockSkew(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.skew = d
}

var faultCodes = map[int]string{
	400: "bad_request", 401: "invalid_token", 403: "scope_denied", 404: "not_found",
	409: "idempotency_conflict", 422: "validation_error", 429: "rate_limit_exceeded",
}

// injectedFault consumes one injected failure for the operation, if any.
func (s *Server) injectedFault(name string) *apiError {
	for _, key := range []string{name, AnyOperation} {
		f := s.rawFaults[key]
		if f == nil || f.n <= 0 {
			continue
		}
		f.n--
		return &apiError{status: f.status, code: "injected_raw", raw: f.body, rawType: f.contentType}
	}
	for _, key := range []string{name, AnyOperation} {
		f := s.faults[key]
		if f == nil || f.n <= 0 {
			continue
		}
		f.n--
		code, ok := faultCodes[f.status]
		if !ok {
			code = "server_error"
			if f.status >= 502 {
				code = "service_unavailable"
			}
		}
		e := errf(f.status, code, http.StatusText(f.status)+" (injected).", nil)
		if f.status == http.StatusTooManyRequests || f.status == http.StatusServiceUnavailable {
			e.retryAfter = 1
		}
		return e
	}
	return nil
}
