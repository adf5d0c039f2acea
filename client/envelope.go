package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"time"
	"unicode/utf8"
)

// wireEnvelope is the API's answer wrapper (docs/api.md 2). Result holds the
// caller's pointer, so a success is decoded in one pass.
type wireEnvelope struct {
	State   *int           `json:"state"`
	Message string         `json:"message"`
	Result  any            `json:"result"`
	Meta    ResponseMeta   `json:"meta"`
	Error   *envelopeError `json:"error"`
}

// leanEnvelope is the part of a success that a call whose Response
// nobody reads needs (leanSuccess): the message and meta are skipped by
// the decoder, not copied into strings. The plain net/http code a user
// would write decodes no more than this.
type leanEnvelope struct {
	State  *int `json:"state"`
	Result any  `json:"result"`
}

// leanSuccess reports whether a success may be decoded as a leanEnvelope:
// nothing reads the Response (no WithResponse; out is the value of an
// operation method that returns only its result), and the answer had a
// Date header, so meta.timestamp is not needed for the clock (applyMeta).
// The meta of such a success is not read, so a malformed one is not
// refused; an error answer is decoded in full as always.
func (st *callState) leanSuccess(out any) bool {
	if st.cfg.response != nil || !st.sawDate {
		return false
	}
	_, ok := out.(responseDiscarder)
	return ok
}

// responseDiscarder is an out value of do whose caller drops the Response.
type responseDiscarder interface{ discardsResponse() }

type envelopeError struct {
	Code    string          `json:"code"`
	Type    string          `json:"type"` // deprecated alias of code
	Details json.RawMessage `json:"details"`
}

// finish reads the final answer of a call and turns it into the result or
// the caller's error.
func (st *callState) finish(ctx context.Context, resp *http.Response, out any) (*Response, error) {
	r, err := st.decodeFinal(ctx, resp, out)
	if err != nil {
		st.markOutcome(err, resp.StatusCode)
	}
	return r, err
}

// markOutcome flags an error answer of a write whose outcome it leaves
// open. A refusal that comes before the operation runs (authentication,
// limits, a server or proxy failure) says nothing about an earlier attempt
// that reached the server unanswered; a 2xx whose body cannot be read means
// the write happened but its result is lost.
func (st *callState) markOutcome(err error, status int) {
	if !st.isWrite() {
		return
	}
	refusal := status == http.StatusUnauthorized || status == http.StatusForbidden ||
		status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500
	var ae *APIError
	var re *ResponseError
	switch {
	case errors.As(err, &ae):
		ae.OutcomeUnknown = st.unknown && refusal
	case errors.As(err, &re):
		re.IdempotencyKey = st.idemKey
		re.OutcomeUnknown = (st.unknown && refusal) || (status >= 200 && status < 300)
	}
}

// decodeFinal reads the final answer; finish flags the outcome of errors.
func (st *callState) decodeFinal(ctx context.Context, resp *http.Response, out any) (*Response, error) {
	c, cl := st.c, st.cl
	r := st.cfg.response
	if r == nil {
		r = new(Response)
	}
	*r = Response{
		StatusCode:          resp.StatusCode,
		Header:              resp.Header,
		IdempotencyKey:      st.idemKey,
		IdempotencyReplayed: resp.Header.Get("Idempotency-Replayed") == "true",
		Attempts:            st.attempts,
		RateLimit:           st.rate,
		Quota:               st.quota,
	}
	if !st.rateOK {
		r.RateLimit = RateLimit{Limit: -1, Remaining: -1}
	}
	if !st.quotaOK {
		r.Quota = Quota{-1, -1, -1, -1}
	}
	r.RateLimit.Wait = st.paceWait
	r.RequestID = resp.Header.Get("X-Request-Id")
	r.CorrelationID = resp.Header.Get("X-Correlation-Id")

	data, err := c.readBody(resp)
	if err != nil {
		return r, st.responseError(ctx, resp, data, err)
	}
	if c.logger.Enabled(ctx, slog.LevelDebug) {
		c.logger.LogAttrs(ctx, slog.LevelDebug, "client: response",
			slog.String("method", cl.method), slog.String("path", cl.path), slog.Int("status", resp.StatusCode),
			slog.Int("attempts", st.attempts), slog.String("request_id", st.scrub(r.RequestID)))
	}
	ok2xx := resp.StatusCode >= 200 && resp.StatusCode < 300
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		// No snippet: a redirect page repeats the target URL, query included.
		return r, st.responseError(ctx, resp, nil, fmt.Errorf("%w (Location %q)", ErrUnexpectedRedirect, truncate(st.scrub(redirectHost(resp)), 256)))
	}
	if cl.whole {
		if p, ok := out.(*[]byte); ok {
			*p = data
		}
		out = nil
		if ok2xx && !isEnvelope(data) {
			return r, nil
		}
	}
	if cl.raw != "" && ok2xx {
		switch p := out.(type) {
		case *[]byte:
			*p = data
		case *rawParser:
			if err := p.parse(data); err != nil {
				return r, st.responseError(ctx, resp, data, err)
			}
		}
		return r, nil
	}
	if ok2xx {
		if ot, ok := out.(onePassTarget); ok {
			if target, ok := ot.onePass(data); ok {
				if st.leanSuccess(out) {
					env := leanEnvelope{Result: target}
					if json.Unmarshal(data, &env) == nil && env.State != nil && *env.State == 0 {
						return r, nil
					}
				} else {
					env := wireEnvelope{Result: target}
					if json.Unmarshal(data, &env) == nil && env.State != nil && *env.State == 0 {
						r.Message = env.Message
						st.applyMeta(r, &env.Meta)
						return r, nil
					}
				}
				// Not a well-formed success: the general path below reads
				// the answer again and says what is wrong with it.
				ot.resetOnePass()
			}
		}
		env := wireEnvelope{Result: out}
		if out == nil {
			env.Result = new(json.RawMessage)
		}
		derr := json.Unmarshal(data, &env)
		if derr == nil && env.State != nil && *env.State == 0 {
			r.Message = env.Message
			st.applyMeta(r, &env.Meta)
			if rd, ok := out.(resultDecoder); ok && rd.resultErr() != nil {
				// A well-formed envelope whose result does not fit the
				// type: the answer is unusable, like any other.
				return r, st.responseError(ctx, resp, data, fmt.Errorf("decode result: %w", rd.resultErr()))
			}
			return r, nil
		}
		if derr == nil && env.State == nil {
			derr = errors.New("not an API envelope (no state)")
		}
		if ae, meta := st.apiError(resp, data); ae != nil {
			st.applyMeta(r, &meta)
			return r, ae
		}
		if derr == nil {
			derr = errors.New("envelope state is neither 0 nor 1")
		}
		var se *json.UnmarshalTypeError
		switch {
		case errors.As(derr, &se) && se.Field == "state":
			// json leaves a zero behind when "state" is "0" or true.
			derr = fmt.Errorf("envelope state is not a number: %w", derr)
		case errors.As(derr, &se) && env.State != nil && *env.State == 0:
			// A well-formed envelope whose result does not fit the type.
			st.applyMeta(r, &env.Meta)
			derr = fmt.Errorf("decode result: %w", derr)
		}
		return r, st.responseError(ctx, resp, data, derr)
	}
	if ae, meta := st.apiError(resp, data); ae != nil {
		r.Message = ae.Message
		st.applyMeta(r, &meta)
		return r, ae
	}
	return r, st.responseError(ctx, resp, data, errors.New("not an API envelope"))
}

// isEnvelope reports whether data is a JSON object with a state field.
func isEnvelope(data []byte) bool {
	var probe struct {
		State *int `json:"state"`
	}
	return json.Unmarshal(data, &probe) == nil && probe.State != nil
}

// rawParser is an out value for a raw document (cl.raw) that parses it;
// its error makes the answer a *ResponseError.
type rawParser struct{ parse func(doc []byte) error }

// resultDecoder is an out value that decodes the result itself and keeps
// its error, so that the envelope is read to the end (resultInto, listInto).
type resultDecoder interface{ resultErr() error }

// applyMeta copies the envelope's meta into r and learns the server's time.
func (st *callState) applyMeta(r *Response, m *ResponseMeta) {
	r.Meta = *m
	if m.RequestID != "" {
		r.RequestID = m.RequestID
	}
	if m.CorrelationID != "" {
		r.CorrelationID = m.CorrelationID
	}
	// meta.timestamp is a fallback for answers without a Date header: a
	// proxy or a test double may rewrite one but not the other, and the
	// clock must not flip between them.
	if m.Timestamp != "" && !st.sawDate {
		if t, err := time.Parse(time.RFC3339Nano, m.Timestamp); err == nil {
			if off, ok := st.c.clock.measure(t); ok {
				st.c.clock.observe(off)
			}
		}
	}
}

// apiError decodes data as an error envelope; nil when it is not one.
func (st *callState) apiError(resp *http.Response, data []byte) (*APIError, ResponseMeta) {
	var env wireEnvelope
	env.Result = new(json.RawMessage)
	if json.Unmarshal(data, &env) != nil || env.State == nil {
		return nil, ResponseMeta{}
	}
	if *env.State == 0 && resp.StatusCode < 300 {
		return nil, ResponseMeta{}
	}
	cl := st.cl
	e := &APIError{
		StatusCode:     resp.StatusCode,
		Message:        env.Message,
		RequestID:      env.Meta.RequestID,
		CorrelationID:  env.Meta.CorrelationID,
		Attempts:       st.attempts,
		Method:         cl.method,
		Path:           cl.path,
		IdempotencyKey: st.idemKey,
		Scope:          cl.scope,
	}
	if e.RequestID == "" {
		e.RequestID = resp.Header.Get("X-Request-Id")
	}
	if e.CorrelationID == "" {
		e.CorrelationID = resp.Header.Get("X-Correlation-Id")
	}
	if env.Error != nil {
		e.Code = env.Error.Code
		if e.Code == "" {
			e.Code = env.Error.Type
		}
		if d := bytes.TrimSpace(env.Error.Details); len(d) > 0 && string(d) != "null" {
			e.RawDetails = json.RawMessage(st.scrub(string(d)))
			e.Details = fieldErrors(d)
			// Error() repeats these messages: a server that echoes a
			// header must not put the key into logs that way.
			for f, msgs := range e.Details {
				for i, m := range msgs {
					msgs[i] = st.scrub(m)
				}
				if clean := st.scrub(f); clean != f {
					delete(e.Details, f)
					e.Details[clean] = msgs
				}
			}
		}
	}
	if ra, ok := retryAfter(resp.Header, st.c.clock.serverNow()); ok {
		e.RetryAfter = ra
	}
	if e.Code == "invalid_signature" {
		e.secretOrigin = originNone
		if st.signed {
			e.Canonical = st.payload.Canonical()
			e.secretOrigin = st.origin
		}
	}
	// A hostile or broken server must not make error strings unbounded,
	// and an echo of the credentials must not reach them: every string is
	// scrubbed whole, then cut (redact.go).
	e.Message = truncate(st.scrub(e.Message), 1024)
	e.Code = truncate(st.scrub(e.Code), 128)
	e.RequestID = truncate(st.scrub(e.RequestID), 256)
	e.CorrelationID = truncate(st.scrub(e.CorrelationID), 256)
	e.Details = st.scrubDetails(e.Details)
	e.RawDetails = st.scrubJSON(e.RawDetails)
	return e, env.Meta
}

// fieldErrors reads validation details {"field":["message",...]}; a single
// string per field is accepted too. nil when details are not field errors.
func fieldErrors(d json.RawMessage) map[string][]string {
	var raw map[string]json.RawMessage
	if json.Unmarshal(d, &raw) != nil || len(raw) == 0 {
		return nil
	}
	out := make(map[string][]string, len(raw))
	for k, v := range raw {
		var list []string
		if json.Unmarshal(v, &list) == nil {
			out[k] = list
			continue
		}
		var one string
		if json.Unmarshal(v, &one) == nil {
			out[k] = []string{one}
			continue
		}
		return nil
	}
	return out
}

// preallocMax bounds the buffer allocated from a declared Content-Length
// before any of the body arrived.
const preallocMax = 4 << 20

// readBody reads the whole body, bounded by the client's limit.
func (c *Client) readBody(resp *http.Response) ([]byte, error) {
	max := c.maxBody
	if resp.ContentLength > max {
		return nil, ErrResponseTooLarge
	}
	// One byte past the limit tells "too large"; max+1 would overflow for
	// math.MaxInt64 and read nothing at all.
	limit := max
	if limit < math.MaxInt64 {
		limit++
	}
	var buf []byte
	if n := resp.ContentLength; n > 0 && n <= preallocMax {
		// The declared length, while small, is read into a buffer of
		// exactly that size plus one byte, which tells whether more came
		// than was declared (a transport that does not hold the server to
		// its word): the usual answer costs one allocation of its size.
		buf = make([]byte, n+1)
		got, err := fill(resp.Body, buf)
		if err != nil {
			return buf[:got], fmt.Errorf("read body: %w", err)
		}
		if got <= int(n) {
			return buf[:got], nil
		}
		buf, limit = buf[:got], limit-int64(got)
	} else if n > 0 {
		// A large declared length is the server's word: let the buffer
		// grow with what actually arrives.
		buf = make([]byte, 0, preallocMax)
	}
	b := bytes.NewBuffer(buf)
	n, err := b.ReadFrom(io.LimitReader(resp.Body, limit))
	if err != nil {
		return b.Bytes(), fmt.Errorf("read body: %w", err)
	}
	if n+int64(len(buf)) > max {
		return b.Bytes(), ErrResponseTooLarge
	}
	return b.Bytes(), nil
}

// fill reads from r until p is full or r ends; the end is not an error.
func fill(r io.Reader, p []byte) (int, error) {
	got := 0
	for got < len(p) {
		n, err := r.Read(p[got:])
		got += n
		if err == io.EOF {
			return got, nil
		}
		if err != nil {
			return got, err
		}
	}
	return got, nil
}

// responseError describes an answer that is not a usable envelope.
func (st *callState) responseError(ctx context.Context, resp *http.Response, data []byte, cause error) error {
	e := &ResponseError{
		StatusCode:  resp.StatusCode,
		ContentType: truncate(st.scrub(resp.Header.Get("Content-Type")), 100),
		Snippet:     st.snippet(data),
		RequestID:   truncate(st.scrub(resp.Header.Get("X-Request-Id")), 128),
		Attempts:    st.attempts,
		Method:      st.cl.method,
		Path:        st.cl.path,
		Err:         st.scrubError(cause),
	}
	cause = e.Err
	st.c.logger.LogAttrs(ctx, slog.LevelWarn, "client: unusable response",
		slog.String("method", e.Method), slog.String("path", e.Path), slog.Int("status", e.StatusCode),
		slog.String("content_type", e.ContentType), slog.String("error", cause.Error()))
	return e
}

// redirectHost names where a refused redirect pointed, without its path or
// query.
func redirectHost(resp *http.Response) string {
	loc, err := resp.Location()
	if err != nil {
		return ""
	}
	return loc.Scheme + "://" + loc.Host
}

// truncate cuts s to at most n bytes, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
