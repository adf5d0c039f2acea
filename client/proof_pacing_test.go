package client_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// statusLog records when each request left and what status came back.
type statusLog struct {
	next http.RoundTripper
	mu   sync.Mutex
	sent []time.Time
	code []int
}

func (l *statusLog) RoundTrip(r *http.Request) (*http.Response, error) {
	at := time.Now()
	resp, err := l.next.RoundTrip(r)
	code := 0
	if resp != nil {
		code = resp.StatusCode
	}
	l.mu.Lock()
	l.sent, l.code = append(l.sent, at), append(l.code, code)
	l.mu.Unlock()
	return resp, err
}

// count returns how many requests sent in [from, to) got status code.
func (l *statusLog) count(code int, from, to time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for i, at := range l.sent {
		if l.code[i] == code && !at.Before(from) && at.Before(to) {
			n++
		}
	}
	return n
}

// Pacing: 32 goroutines share one client against a limit of R requests per
// one-second window. After the first window (where the client learns the
// limit) no request earns a 429, and the client still uses at least 90% of
// the limit.
//
// Under the race detector it runs with the serial tests, not in parallel:
// its one-second windows leave the pacing little slack, and there the
// parallel proofs (the examples' builds, the chaos, storm and busy-key
// loads, all starting at once) can starve it of the CPU for long enough
// to cost it a tenth of each window (it once saw 83% of the limit so).
func TestProofPacingSharedClient(t *testing.T) {
	if !raceEnabled {
		t.Parallel() // it waits on its own fake; see TestMain
	}
	const (
		rate    = 50
		window  = time.Second
		windows = 3
		workers = 32
	)
	s := clienttest.NewServer(t, clienttest.WithRateLimit(rate, window))
	log := &statusLog{next: newTransport()}
	c := newProofClient(t, s, s.Key(), client.WithHTTPClient(&http.Client{Transport: log}),
		client.WithRetry(fastRetry(4)), client.WithRetryBudget(1_000_000, 1_000_000))

	start := time.Now()
	// The fake's windows start on whole seconds: the first one ends at the
	// next whole second after the first request.
	firstEnd := start.Truncate(time.Second).Add(window)
	end := firstEnd.Add(windows * window)
	ctx, cancel := context.WithDeadline(context.Background(), end.Add(2*time.Second))
	defer cancel()

	var wg sync.WaitGroup
	var failMu sync.Mutex
	var fails []error
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				if err := c.PingPrivate(ctx); err != nil {
					failMu.Lock()
					fails = append(fails, err)
					failMu.Unlock()
				}
			}
		}()
	}
	wg.Wait()

	if len(fails) > 0 {
		t.Errorf("%d calls failed, first: %v", len(fails), fails[0])
	}
	first429 := log.count(http.StatusTooManyRequests, start, firstEnd)
	late429 := log.count(http.StatusTooManyRequests, firstEnd, end.Add(time.Hour))
	ok := log.count(http.StatusOK, firstEnd, end)
	perWindow := float64(ok) / windows
	t.Logf("limit %d per %v: first window %d 429s; next %d windows: %d 429s, %d answered (%.1f per window, %.0f%% of the limit)",
		rate, window, first429, windows, late429, ok, perWindow, 100*perWindow/rate)
	if late429 != 0 {
		t.Errorf("%d requests earned 429 after the first window, want 0", late429)
	}
	if perWindow < 0.9*rate {
		t.Errorf("throughput %.1f per window, want at least %.0f (90%% of %d)", perWindow, 0.9*rate, rate)
	}
	if st := s.Stats().Total; late429 == 0 && st.RateLimited != int64(first429) {
		t.Errorf("server counted %d 429s, the client saw %d", st.RateLimited, first429)
	}
}
