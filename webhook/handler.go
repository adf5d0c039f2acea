package webhook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"
)

// Defaults of a Handler.
const (
	DefaultLease        = 5 * time.Minute
	DefaultStoreTimeout = 10 * time.Second
	DefaultRetryAfter   = 5 * time.Second
)

// HandlerFunc is the business action run once per event. Returning an error
// releases the event so that the sender's retry, or the next CatchUp pass,
// runs it again.
type HandlerFunc func(ctx context.Context, e *Event) error

// Handler is an http.Handler for webhook deliveries. For each POST it reads
// the body up to the verifier's limit, verifies it, claims the event id in its
// Store, runs the business function, records the event as done and only then
// answers 2xx. CatchUp feeds the same path (same Store, lease and function)
// with events from the API's event log. Answers:
//
//	200  the event ran now, or had already run (a duplicate delivery)
//	400  an authentic delivery whose body is not a JSON object
//	401  verification failed (the body says nothing more)
//	405  not a POST
//	413  the body is over the limit
//	500  the business function failed; the claim is released for the retry
//	503  the same event is running right now, or the store failed; with
//	     Retry-After, so the sender tries again
//
// Each answer's body is one line of plain text: "ok" or "duplicate" for
// 200, a short reason otherwise. Error answers set Content-Type and
// X-Content-Type-Options: nosniff; a 200 sets no header, and net/http
// labels its text text/plain; charset=utf-8 on its own.
//
// Deduplication is the Handler's work, not the Verifier's: Verify alone
// accepts the same delivery as often as it arrives. Once an event is
// recorded done, its repeats are answered 200 without running fn. If
// recording it fails after fn succeeded (Store.Complete returns an error),
// the answer is 503 and the event runs again on the first delivery after
// the lease ends: at-least-once, not exactly-once, in that case.
type Handler struct {
	verifier     *Verifier
	store        Store
	fn           HandlerFunc
	lease        time.Duration
	storeTimeout time.Duration
	retryAfter   string
	log          *slog.Logger
	owners       *ownerTokens

	// Set by NewTxHandler: the business function runs in the SQL
	// transaction that records the event as done.
	txStore *SQLStore
	txFn    TxFunc
}

// HandlerOption configures a Handler.
type HandlerOption func(*Handler) error

// WithLease sets how long a claim protects a running event (default 5
// minutes). After it, another delivery may take the event over, so make it
// longer than the slowest business action.
func WithLease(d time.Duration) HandlerOption {
	return func(h *Handler) error {
		if d <= 0 {
			return fmt.Errorf("webhook: lease must be positive, got %v", d)
		}
		h.lease = d
		return nil
	}
}

// WithStoreTimeout bounds each store call (default 10 seconds).
func WithStoreTimeout(d time.Duration) HandlerOption {
	return func(h *Handler) error {
		if d <= 0 {
			return fmt.Errorf("webhook: store timeout must be positive, got %v", d)
		}
		h.storeTimeout = d
		return nil
	}
}

// WithRetryAfter sets the Retry-After of 503 answers (default 5 seconds).
func WithRetryAfter(d time.Duration) HandlerOption {
	return func(h *Handler) error {
		if d < time.Second {
			return fmt.Errorf("webhook: Retry-After must be at least a second, got %v", d)
		}
		h.retryAfter = strconv.Itoa(int(d / time.Second))
		return nil
	}
}

// WithLogger sets the logger (default: discard). Logs name the event id,
// type and the failed check; never a secret or a body.
func WithLogger(l *slog.Logger) HandlerOption {
	return func(h *Handler) error {
		if l == nil {
			return errors.New("webhook: nil logger")
		}
		h.log = l
		return nil
	}
}

// NewHandler returns a Handler that verifies with v, deduplicates with store
// and runs fn once per event id.
func NewHandler(v *Verifier, store Store, fn HandlerFunc, opts ...HandlerOption) (*Handler, error) {
	if v == nil || store == nil || fn == nil {
		return nil, errors.New("webhook: NewHandler needs a verifier, a store and a function")
	}
	if !v.configured() {
		return nil, errZeroVerifier
	}
	h := &Handler{
		verifier:     v,
		store:        store,
		fn:           fn,
		lease:        DefaultLease,
		storeTimeout: DefaultStoreTimeout,
		retryAfter:   strconv.Itoa(int(DefaultRetryAfter / time.Second)),
		log:          slog.New(discardHandler{}),
		owners:       newOwnerTokens(),
	}
	for _, o := range opts {
		if err := o(h); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		reply(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	body, tooLarge, err := readLimited(r, h.verifier.MaxBodySize())
	switch {
	case tooLarge:
		reply(w, http.StatusRequestEntityTooLarge, "body too large")
		return
	case err != nil:
		h.log.Warn("webhook: reading body failed", "err", err)
		reply(w, http.StatusBadRequest, "unreadable body")
		return
	}
	ev, err := h.verifier.Verify(r.Header, body)
	if err != nil {
		h.rejected(w, r, err)
		return
	}
	h.run(w, r, ev)
}

// rejected answers a delivery that failed verification. The sender learns
// only the status: details would help someone probing for a valid signature.
func (h *Handler) rejected(w http.ResponseWriter, r *http.Request, err error) {
	var ve *VerifyError
	check := ""
	if errors.As(err, &ve) {
		check = ve.Check
	}
	h.log.Warn("webhook: delivery rejected", "check", check, "err", err, "remote", r.RemoteAddr)
	switch {
	case errors.Is(err, ErrBodyTooLarge):
		reply(w, http.StatusRequestEntityTooLarge, "body too large")
	case errors.Is(err, ErrNotJSON):
		reply(w, http.StatusBadRequest, "body is not a JSON object")
	default:
		reply(w, http.StatusUnauthorized, "invalid delivery")
	}
}

// run claims, runs and completes one verified event and answers the sender.
func (h *Handler) run(w http.ResponseWriter, r *http.Request, ev *Event) {
	switch out, _ := h.process(r.Context(), ev); out {
	case outcomeRan:
		replyOK(w, answerRan)
	case outcomeDuplicate:
		replyOK(w, answerDuplicate)
	case outcomeBusy:
		h.retryLater(w, "event in progress")
	case outcomeFailed:
		reply(w, http.StatusInternalServerError, "processing failed")
	default:
		h.retryLater(w, "store unavailable")
	}
}

// call runs the business function, turning a panic into an error so that the
// claim is released and the process keeps serving.
func (h *Handler) call(ctx context.Context, ev *Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("webhook: business function panicked: %v", p)
		}
	}()
	return h.fn(ctx, ev)
}

func (h *Handler) retryLater(w http.ResponseWriter, msg string) {
	w.Header().Set("Retry-After", h.retryAfter)
	reply(w, http.StatusServiceUnavailable, msg)
}

// The texts of the two 200 answers. The io.Writer contract forbids writers
// to modify what they are given, so one copy serves every delivery.
var (
	answerRan       = []byte("ok\n")
	answerDuplicate = []byte("duplicate\n")
)

// replyOK answers 200 with one of the fixed texts above, setting no header:
// every delivery that succeeds comes through here, and a header costs the
// response's header map its first allocation (and httptest's recorder a
// copy of the map). net/http labels the text itself, as it would with the
// header set: text/plain; charset=utf-8 (sniffed from the first bytes of
// the body, which the Handler writes and no sender controls, so there is
// nothing a browser could mistake for markup and X-Content-Type-Options
// would protect nothing). The error answers below keep both headers.
func replyOK(w http.ResponseWriter, body []byte) {
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

func reply(w http.ResponseWriter, code int, msg string) {
	// Both values in one allocation, under names already canonical (Set
	// would canonicalise them again and allocate a slice for each).
	vals := []string{"text/plain; charset=utf-8", "nosniff"}
	h := w.Header()
	h["Content-Type"] = vals[0:1:1]
	h["X-Content-Type-Options"] = vals[1:2:2]
	w.WriteHeader(code)
	io.WriteString(w, msg)
	io.WriteString(w, "\n")
}

// readLimited reads at most limit bytes of the body and reports whether there
// was more. A declared Content-Length over the limit is refused unread.
func readLimited(r *http.Request, limit int64) (body []byte, tooLarge bool, err error) {
	if r.ContentLength > limit {
		return nil, true, nil
	}
	if r.Body == nil {
		return nil, false, nil
	}
	// One byte past the limit tells "more"; limit+1 would overflow for
	// math.MaxInt64 and read nothing at all.
	n := limit
	if n < math.MaxInt64 {
		n++
	}
	body, err = readAtMost(r.Body, r.ContentLength, n)
	if err != nil {
		return nil, false, err
	}
	if int64(len(body)) > limit {
		return nil, true, nil
	}
	return body, false, nil
}

// discardHandler is a slog.Handler that drops everything (slog.DiscardHandler
// needs Go 1.24).
type discardHandler struct{}

func (discardHandler) Enabled(context.Context, slog.Level) bool  { return false }
func (discardHandler) Handle(context.Context, slog.Record) error { return nil }
func (d discardHandler) WithAttrs([]slog.Attr) slog.Handler      { return d }
func (d discardHandler) WithGroup(string) slog.Handler           { return d }
