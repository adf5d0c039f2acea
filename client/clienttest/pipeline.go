package clienttest

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Request body limits: JSON bodies are small; uploads may be larger.
const (
	maxJSONBody      = 1 << 20
	maxMultipartBody = 25 << 20
)

// request is one request as the pipeline sees it.
type request struct {
	r             *http.Request
	op            *operation
	params        map[string]string
	query         url.Values
	body          []byte
	multipart     bool
	now           time.Time
	requestID     string
	correlationID string
	idemKey       string
	key           *keyState // nil for public operations
	hmacVerified  bool
}

// ServeHTTP serves the API under BasePath. A Server is its own handler; it is
// also served by New on its listener.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	rq := &request{r: r, now: s.now(), requestID: uuid.NewString(), query: r.URL.Query()}
	latency := s.latency
	s.mu.Unlock()

	rq.correlationID = r.Header.Get("X-Correlation-Id")
	if rq.correlationID == "" {
		rq.correlationID = uuid.NewString()
	}
	if len(rq.correlationID) > 128 {
		rq.correlationID = uuid.NewString()
		s.writeError(w, rq, validation("X-Correlation-Id", "The X-Correlation-Id may not be greater than 128 characters."))
		return
	}
	escaped := r.URL.EscapedPath()
	if !strings.HasPrefix(escaped, BasePath+"/") {
		s.writeError(w, rq, notFound("Route"))
		return
	}
	op, params, pathMatched := route(s.ops, r.Method, strings.TrimPrefix(escaped, BasePath))
	if op == nil {
		if pathMatched {
			s.writeError(w, rq, errf(http.StatusMethodNotAllowed, "method_not_allowed", "Method not allowed.", nil))
			return
		}
		s.writeError(w, rq, notFound("Route"))
		return
	}
	rq.op, rq.params = op, params
	if e := s.readBody(w, rq); e != nil {
		s.writeError(w, rq, e)
		return
	}
	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-s.done:
			t.Stop()
			return
		}
	}

	s.mu.Lock()
	rq.now = s.now()
	status, header, body, drop := s.process(rq)
	s.mu.Unlock()

	if drop {
		s.dropConnection(w)
		return
	}
	h := w.Header()
	for k, v := range header {
		h[k] = v
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// readBody reads the whole body within its limit: the signature covers the
// exact bytes, so they are needed before anything else.
func (s *Server) readBody(w http.ResponseWriter, rq *request) *apiError {
	r := rq.r
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	limit := int64(maxJSONBody)
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "multipart/form-data" {
		rq.multipart = true
		limit = maxMultipartBody
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errf(http.StatusRequestEntityTooLarge, "payload_too_large", "The request body is too large.",
				map[string]any{"max_bytes": limit})
		}
		return errf(http.StatusBadRequest, "bad_request", "The request body could not be read.", nil)
	}
	rq.body = b
	return nil
}

// process runs everything after routing with s.mu held and returns the
// response to send, or drop=true to close the connection without one.
func (s *Server) process(rq *request) (status int, header http.Header, body []byte, drop bool) {
	name := rq.op.name()
	s.total.Requests++
	s.opCounts[name]++
	header = http.Header{}
	header.Set("Content-Type", "application/json")
	setCommonHeaders(header, rq)

	status, body, processed := s.run(rq, header)
	if status >= 400 {
		s.total.Errors++
	}
	if rq.key != nil {
		rq.key.stats.Requests++
		if status >= 400 {
			rq.key.stats.Errors++
		}
	}
	// Only a request the operation handled (or replayed) is dropped: a
	// refusal or an injected fault is answered.
	if processed {
		for _, k := range []string{name, AnyOperation} {
			if s.drops[k] > 0 {
				s.drops[k]--
				s.total.Dropped++
				return 0, nil, nil, true
			}
		}
	}
	return status, header, body, false
}

// run is the server's check order: token and key, scope, signature, rate
// limit and quota, injected faults, idempotency, then the operation.
func (s *Server) run(rq *request, header http.Header) (status int, body []byte, processed bool) {
	fail := func(e *apiError) (int, []byte, bool) {
		s.retryAfterHeader(header, rq, e.retryAfter)
		s.countError(rq, e)
		if e.raw != nil {
			header.Del("Content-Type")
			if e.rawType != "" {
				header.Set("Content-Type", e.rawType)
			}
			return e.status, e.raw, false
		}
		return e.status, s.encodeError(rq, e), false
	}
	if !rq.op.public {
		if e := s.authenticate(rq, header); e != nil {
			return fail(e)
		}
	}
	if e := s.injectedFault(rq.op.name()); e != nil {
		return fail(e)
	}
	var idemSlot string
	if rq.op.idempotent && rq.key != nil {
		rq.idemKey = rq.r.Header.Get("Idempotency-Key")
		if rq.idemKey != "" {
			if n := len(rq.idemKey); n < 8 || n > 191 {
				return fail(validation("Idempotency-Key", "The Idempotency-Key must be between 8 and 191 characters."))
			}
			slot, replay, e := s.idempotencyLookup(rq)
			if e != nil {
				return fail(e)
			}
			if replay != nil {
				for k, v := range replay.header {
					header[k] = v
				}
				header.Set("Idempotency-Replayed", "true")
				return replay.status, replay.body, true
			}
			idemSlot = slot
		}
	}
	rp, e := rq.op.handle(s, rq)
	if e != nil {
		status, body, _ = fail(e)
		return status, body, true
	}
	if rp.raw != nil {
		header.Set("Content-Type", rp.contentType)
		return http.StatusOK, rp.raw, true
	}
	status = rp.status
	if status == 0 {
		status = http.StatusOK
	}
	body = s.encodeSuccess(rq, rp)
	if idemSlot != "" {
		s.idempotencyStore(rq, idemSlot, status, header, body)
	}
	return status, body, true
}

func (s *Server) writeError(w http.ResponseWriter, rq *request, e *apiError) {
	s.mu.Lock()
	s.total.Requests++
	s.total.Errors++
	s.countError(rq, e)
	s.mu.Unlock()
	h := w.Header()
	h.Set("Content-Type", "application/json")
	setCommonHeaders(h, rq)
	s.retryAfterHeader(h, rq, e.retryAfter)
	w.WriteHeader(e.status)
	_, _ = w.Write(s.encodeError(rq, e))
}

// dropConnection closes the connection without writing a response: the
// request was processed, the client never hears about it.
func (s *Server) dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // net/http closes the connection without answering
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(interface{ SetLinger(int) error }); ok {
		_ = tc.SetLinger(0) // reset rather than a clean close, like a crashed proxy
	}
	_ = conn.Close()
}
