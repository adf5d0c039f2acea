package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/iexkit/exchanger-go/signer"
)

// call describes one invocation of one API operation. Operation methods
// (one file per API area) fill it in and hand it to (*Client).do, which owns
// the pipeline: marshalling, idempotency keys, signing, retries, envelope
// decoding and errors.
type call struct {
	// op is the operation as openapi.yaml names it, "METHOD /path/{param}":
	// the key of its contract in operations, checked before anything is
	// sent. Only internal tests leave it empty.
	op     string
	method string     // HTTP method
	path   string     // path below the base URL, each segment already escaped: "/private/exchange/orders/" + url.PathEscape(id)
	query  url.Values // query parameters, nil for none (filter[x], filter[x][] ...)
	body   any        // JSON request body, marshalled once per call; nil for none

	// upload, when set, replaces body: a streamed (multipart) body.
	upload *uploadBody

	scope  string // scope the operation needs (openapi.yaml security), "" for public
	public bool   // the operation needs no token (/ping, /public/*)

	// idempotent marks a write that takes an Idempotency-Key (openapi.yaml
	// lists it): the pipeline sends the caller's key or generates one, the same
	// on every attempt, and may retry it.
	idempotent bool
	// safe marks a POST without side effects (quotes, preflight) that may be
	// retried without a key. GET and HEAD are always safe.
	safe bool
	raw  string // not an envelope but a document of this media type (openapi.yaml, rates.xml): sent as Accept; do stores the size-bounded body in out, a *[]byte
	// whole: do stores the whole size-bounded body in out (a *[]byte),
	// error answers included, and a 2xx that is not an envelope is a
	// success (Call).
	whole bool
}

// uploadBody is a body streamed from a source that can be reopened for each
// attempt, with its hash computed beforehand.
type uploadBody struct {
	contentType string                        // multipart/form-data; boundary=...
	open        func() (io.ReadCloser, error) // a fresh body for every attempt
	oneShot     bool                          // open may be called once only: never retry once the body was sent
	fileSHA256  string                        // hex SHA-256 of the file: X-Api-File-Sha256 and the signed body hash
	length      int64                         // body length if known, else -1
}

// callStateKey carries the *callState of a call in the request context, from
// do to the signing transport.
type callStateKey struct{}

// callState is one call's state, shared by the retry loop's hooks and the
// signing transport. The hooks and the transport run one after the other
// on the caller's goroutine; only the fields written from net/http's
// goroutines (upload, wrote) are atomic.
type callState struct {
	c   *Client
	cl  *call
	cfg callConfig

	body     []byte // the JSON body, marshalled once
	bodyHash string // its SHA-256, computed once on first use
	idemKey  string

	attempts int            // requests handed to the transport
	offset   time.Duration  // clock offset the last attempt was signed with
	payload  signer.Payload // what the last attempt signed
	signed   bool
	unknown  bool        // a write attempt reached the wire and got no answer
	fatal    error       // an error that must not be retried (credentials source)
	used     Credentials // what the last attempt sent, to scrub echoes from errors
	origin   string      // where the last attempt's HMAC secret came from (keyring.origin)
	keys     *keyring    // the keyring the last attempt's credentials came from

	uploadOpened atomic.Bool
	// Set by attemptRequest for the attempt about to be sent: spare
	// header value slots for the signing transport, and the write
	// attempt's "headers written" flag (nil for reads).
	spare       []string
	wrote       *atomic.Bool
	wait        time.Duration // the wait the last CheckRetry decided
	skewRetried bool
	replayRetry bool
	// rotationRetried: an invalid_token answer was retried once because
	// the credentials changed after the attempt was signed.
	rotationRetried bool
	paceHeld        bool          // the attempt was counted as sent by the pacer and not yet answered
	paceEpoch       int           // the pacer's window epoch the attempt was sent in
	paceWait        PaceWait      // the call's last wait in the pacer
	last            *APIError     // the last error answer seen before a retry
	sawDate         bool          // the last answer had a Date header (or Age)
	skew            time.Duration // the clock offset the last answer's Date shows
	skewOK          bool          // skew was read (a Date, no Age, within the cap)
	rate            RateLimit
	rateOK          bool
	quota           Quota
	quotaOK         bool
}

// credentials returns this attempt's credentials: the call's override (a
// rotation check) or the client's current ones.
func (st *callState) credentials(ctx context.Context) (Credentials, *signer.HMAC, error) {
	k := st.cfg.keys
	if k == nil {
		k = st.c.keys.Load()
	}
	st.origin, st.keys = k.origin, k
	return k.current(ctx)
}

// bodySHA256 is the hash that is signed: of the file for uploads, else of
// the JSON bytes (of nothing without a body).
func (st *callState) bodySHA256() string {
	if st.bodyHash == "" {
		switch {
		case st.cl.upload != nil:
			st.bodyHash = st.cl.upload.fileSHA256
		case len(st.body) == 0:
			st.bodyHash = signer.EmptyBodySHA256
		default:
			st.bodyHash = signer.BodySHA256(st.body)
		}
	}
	return st.bodyHash
}

// isWrite reports whether the call may change state on the server.
func (st *callState) isWrite() bool {
	m := st.cl.method
	return m != http.MethodGet && m != http.MethodHead && !st.cl.safe
}

// openUpload opens the upload body for one attempt; a one-shot body opens
// once only.
func (st *callState) openUpload() (io.ReadCloser, error) {
	if st.uploadOpened.Swap(true) && st.cl.upload.oneShot {
		return nil, errors.New("client: one-shot upload body already sent")
	}
	return st.cl.upload.open()
}

// do runs cl through the pipeline and decodes the envelope's result into out
// (a pointer, or nil to discard it; a *[]byte for raw documents). The
// returned Response is non-nil whenever a response was received.
func (c *Client) do(ctx context.Context, cl *call, out any, opts []CallOption) (*Response, error) {
	st := &callState{c: c, cl: cl}
	for _, o := range opts {
		o(&st.cfg)
	}
	if err := st.prepare(); err != nil {
		return nil, err
	}
	if cl.upload == nil && cl.body != nil {
		b, ok := cl.body.(verbatimJSON)
		if !ok {
			var err error
			if b, err = json.Marshal(cl.body); err != nil {
				return nil, fmt.Errorf("client: %s %s: encode body: %w", cl.method, cl.path, err)
			}
		}
		st.body = b
	}
	if err := cl.validate(st.body); err != nil {
		return nil, err
	}
	ctx = context.WithValue(ctx, callStateKey{}, st)
	if c.timeout > 0 {
		if _, ok := ctx.Deadline(); !ok {
			if ctx.Done() == nil {
				// Nothing to propagate from the caller: the client's
				// queue keeps the deadline (calltimeout.go).
				t := c.timeouts.start(ctx)
				defer t.end()
				ctx = t
			} else {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, c.timeout)
				defer cancel()
			}
		}
	}
	u, err := c.requestURL(cl)
	if err != nil {
		return nil, fmt.Errorf("client: %s %s: %w", cl.method, cl.path, err)
	}
	resp, err := st.send(ctx, u)
	st.releasePace()
	if err != nil {
		return nil, st.requestError(ctx, err)
	}
	defer resp.Body.Close()
	return st.finish(ctx, resp, out)
}

// prepare checks what can be checked before sending and settles the
// Idempotency-Key.
func (st *callState) prepare() error {
	cl, cfg := st.cl, &st.cfg
	if !cl.public && cfg.keys == nil && !st.c.keys.Load().mayHaveToken() {
		scope := ""
		if cl.scope != "" {
			scope = " (scope " + cl.scope + ")"
		}
		return fmt.Errorf("%w: %s %s%s; configure WithToken, FromEnv or WithCredentialsSource", ErrNoToken, cl.method, cl.path, scope)
	}
	if cfg.idempotencyKey != "" {
		if !validHeaderValue(cfg.idempotencyKey, 8, 191) {
			return ErrInvalidIdempotencyKey
		}
		st.idemKey = cfg.idempotencyKey
	} else if cl.idempotent {
		st.idemKey = st.c.ids.newString()
	}
	if cfg.correlationID != "" && !validHeaderValue(cfg.correlationID, 1, 128) {
		return ErrInvalidCorrelationID
	}
	return nil
}

// validHeaderValue reports whether s is min..max visible ASCII characters.
func validHeaderValue(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// setHeaders sets the headers shared by every attempt, their values
// appended to vals, and returns vals; the transport adds the per-attempt
// ones.
func (st *callState) setHeaders(h http.Header, vals []string) []string {
	keys := [6]string{"Accept", "User-Agent"}
	vals = append(vals[:0], "application/json", st.c.userAgent)
	if st.cl.raw != "" {
		vals[0] = st.cl.raw
	}
	switch {
	case st.cl.upload != nil:
		keys[len(vals)], keys[len(vals)+1] = "Content-Type", signer.HeaderFileSHA256
		vals = append(vals, st.cl.upload.contentType, st.cl.upload.fileSHA256)
	case st.body != nil:
		keys[len(vals)] = "Content-Type"
		vals = append(vals, "application/json")
	}
	if st.idemKey != "" {
		keys[len(vals)] = "Idempotency-Key"
		vals = append(vals, st.idemKey)
	}
	if st.cfg.correlationID != "" {
		keys[len(vals)] = "X-Correlation-Id"
		vals = append(vals, st.cfg.correlationID)
	}
	for i := range vals {
		h[keys[i]] = vals[i : i+1 : i+1]
	}
	return vals
}

// requestError wraps a failure without a usable response.
func (st *callState) requestError(ctx context.Context, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // url.Error prints the URL, query included
	}
	if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
		err = ctx.Err()
	}
	if headerTooLarge(err) {
		err = headerTooLargeError(err)
	}
	// A transport error may quote the answer (a malformed status line).
	err = st.scrubError(err)
	e := &RequestError{
		Method:         st.cl.method,
		Path:           st.cl.path,
		Attempts:       st.attempts,
		IdempotencyKey: st.idemKey,
		OutcomeUnknown: st.unknown,
		Err:            err,
		Last:           st.last,
	}
	st.c.logger.LogAttrs(ctx, slog.LevelWarn, "client: request failed",
		slog.String("method", e.Method), slog.String("path", e.Path), slog.Int("attempts", e.Attempts),
		slog.Bool("outcome_unknown", e.OutcomeUnknown), slog.String("error", err.Error()))
	return e
}
