package client_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// Shared pieces of the proofs: tests that run the client against the fake
// exchanger under faults, load, rotation and clock skew.

const createOrderOp = "POST /private/exchange/orders"

// proofOrder is a valid order for the fake's default seed (route 1).
func proofOrder() client.CreateOrderParams {
	return client.CreateOrderParams{RouteID: 1, Amount: "150", OutcomeAccount: "4276000011112222", TypeRate: "fixed"}
}

// fastRetry keeps proofs quick under -race on two cores: short backoffs,
// and Retry-After waits of the fake (1s) still taken.
func fastRetry(attempts int) client.RetryPolicy {
	return client.RetryPolicy{MaxAttempts: attempts, MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond, MaxRetryAfter: 3 * time.Second}
}

// newProofClient is a client of s with key k.
func newProofClient(t testing.TB, s *clienttest.Server, k clienttest.Key, opts ...client.Option) *client.Client {
	t.Helper()
	base := []client.Option{client.WithToken(k.Token), client.WithHMACSecret(k.HMACSecret)}
	c, err := client.New(s.URL, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// resettingTransport fails a share of requests with a connection reset
// before anything is written: the request never reaches the server.
type resettingTransport struct {
	next   http.RoundTripper
	permil int // resets per thousand requests
	resets atomic.Int64
}

func (rt *resettingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if rand.IntN(1000) < rt.permil {
		if r.Body != nil {
			_ = r.Body.Close()
		}
		rt.resets.Add(1)
		return nil, syscall.ECONNRESET
	}
	return rt.next.RoundTrip(r)
}

// newTransport is a fresh transport sized for many goroutines on one host.
func newTransport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return tr
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// debugLogger logs everything, as text, into buf.
func debugLogger(buf *syncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// isOutcomeUnknown reports whether err tells the caller that the write may
// have happened.
func isOutcomeUnknown(err error) bool { return errors.Is(err, client.ErrOutcomeUnknown) }

// proofContext bounds a proof so that a hang fails instead of stalling CI.
func proofContext(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// asAPIError is errors.As for *client.APIError.
func asAPIError(err error, target **client.APIError) bool { return errors.As(err, target) }
