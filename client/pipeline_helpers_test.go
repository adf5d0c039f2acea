package client

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/signer"
)

// Test credentials; the secret-leak test greps every output for them.
const (
	testToken  = "tok_live_7f3c9a1b2d4e6f80"
	testSecret = "hsec_9b8a7c6d5e4f3a2b1c0d"
)

// attempt is one request a fake exchanger saw, with what its signature
// check found.
type attempt struct {
	Method, EscapedPath, RawQuery string
	Header                        http.Header
	Body                          []byte
	SignatureOK                   bool // signed, and the signature matches testSecret
	Canonical                     string
}

// fakeExchanger is an httptest server that verifies v1 signatures like the
// vendor's server and answers with the handler the test gives per attempt
// number (1-based).
type fakeExchanger struct {
	*httptest.Server
	mu       sync.Mutex
	attempts []attempt
	secret   string
	answer   func(n int, a attempt, w http.ResponseWriter, r *http.Request)
}

func newFakeExchanger(t *testing.T, answer func(n int, a attempt, w http.ResponseWriter, r *http.Request)) *fakeExchanger {
	t.Helper()
	f := &fakeExchanger{secret: testSecret, answer: answer}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeExchanger) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	a := attempt{Method: r.Method, EscapedPath: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body}
	if sig := r.Header.Get(signer.HeaderSignature); sig != "" {
		hash := signer.BodySHA256(body)
		if fh := r.Header.Get(signer.HeaderFileSHA256); fh != "" {
			hash = fh // uploads sign the file's hash, not the multipart body's
		}
		p := signer.Payload{Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, BodySHA256: hash,
			Timestamp: r.Header.Get(signer.HeaderTimestamp), Nonce: r.Header.Get(signer.HeaderNonce)}
		a.Canonical = p.Canonical()
		a.SignatureOK = signer.NewHMAC(f.secret).Verify(p, sig)
	}
	f.mu.Lock()
	f.attempts = append(f.attempts, a)
	n := len(f.attempts)
	f.mu.Unlock()
	f.answer(n, a, w, r)
}

func (f *fakeExchanger) seen() []attempt {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]attempt(nil), f.attempts...)
}

// fastRetry keeps test backoffs short.
var fastRetry = RetryPolicy{MaxAttempts: 4, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, MaxRetryAfter: 5 * time.Second}

// newTestClient is a client of f with the test credentials and fast retries.
func newTestClient(t *testing.T, f *fakeExchanger, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{WithToken(testToken), WithHMACSecret(testSecret), WithRetry(fastRetry)}, opts...)
	c, err := New(f.URL+"/api/v3", all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// writeOK writes a success envelope.
func writeOK(w http.ResponseWriter, result any, requestID string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", requestID)
	_ = json.NewEncoder(w).Encode(map[string]any{"state": 0, "message": "OK", "result": result,
		"meta": map[string]any{"request_id": requestID, "timestamp": time.Now().UTC().Format(time.RFC3339)}})
}

// writeErr writes an error envelope.
func writeErr(w http.ResponseWriter, status int, code, requestID string, details any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"state": 1, "message": "failed: " + code, "code": status, "result": nil,
		"error": map[string]any{"code": code, "type": code, "details": details},
		"meta":  map[string]any{"request_id": requestID, "correlation_id": "corr-1"}})
}

// statusCall is the call OrderStatus makes, run through do directly so the
// pipeline tests do not depend on the API surface.
func statusCall(order string) *call {
	return &call{method: http.MethodGet, path: "/private/exchange/orders/" + order + "/status", scope: "public-api:orders:read"}
}

// createCall is an idempotent write.
func createCall() *call {
	return &call{method: http.MethodPost, path: "/private/exchange/orders", body: map[string]any{"route_id": 7, "amount": "100.50"},
		scope: "public-api:exchange:orders:create", idempotent: true}
}

// plainWriteCall is a write that is neither idempotent nor safe.
func plainWriteCall() *call {
	return &call{method: http.MethodPost, path: "/private/thing", body: map[string]any{"x": 1}, scope: "s"}
}

// signerVerify checks a's signature with secret.
func signerVerify(secret string, a attempt) bool {
	hash := signer.BodySHA256(a.Body)
	if fh := a.Header.Get(signer.HeaderFileSHA256); fh != "" {
		hash = fh
	}
	p := signer.Payload{Method: a.Method, Path: a.EscapedPath, RawQuery: a.RawQuery, BodySHA256: hash,
		Timestamp: a.Header.Get(signer.HeaderTimestamp), Nonce: a.Header.Get(signer.HeaderNonce)}
	return signer.NewHMAC(secret).Verify(p, a.Header.Get(signer.HeaderSignature))
}

// timeIn is now plus d hours, or the zero time for d == 0.
func timeIn(d int) time.Time {
	if d == 0 {
		return time.Time{}
	}
	return time.Now().Add(time.Duration(d) * time.Hour)
}

// recordHandler hands every record's message to fn.
type recordHandler struct{ fn func(string) }

func (h recordHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h recordHandler) Handle(_ context.Context, r slog.Record) error {
	h.fn(r.Message)
	return nil
}
func (h recordHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h recordHandler) WithGroup(string) slog.Handler      { return h }

func newTestLogger(fn func(string)) *slog.Logger { return slog.New(recordHandler{fn}) }
