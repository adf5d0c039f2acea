package client_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// Retry storm: the server answers 503 (with Retry-After: 1) to everything.
// The retry budget lets the first calls retry, and once it is spent the
// client sends at most 1.5 requests per call, so a dead server does not
// get its traffic multiplied.
func TestProofRetryStormBudget(t *testing.T) {
	t.Parallel() // it waits on its own fake; see TestMain
	const (
		workers = 16
		calls   = 320 // per phase
		burst   = 20
		refill  = 1.0 // retries per second
	)
	s := clienttest.NewServer(t, clienttest.WithRateLimit(0, 0))
	if err := s.FailNext(clienttest.AnyOperation, 1<<30, http.StatusServiceUnavailable); err != nil {
		t.Fatal(err)
	}
	c := newProofClient(t, s, s.Key(), client.WithRetry(fastRetry(4)), client.WithRetryBudget(burst, refill))
	ctx := proofContext(t, time.Minute)

	phase := func() (requests int64, elapsed time.Duration) {
		before := s.Stats().Total.Requests
		began := time.Now()
		var wg sync.WaitGroup
		next := make(chan int)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range next {
					if err := c.PingPrivate(ctx); err == nil {
						t.Error("a call succeeded against a server that only answers 503")
					} else if !isServerError(err) {
						t.Errorf("want a 503 error, got %v", err)
					}
				}
			}()
		}
		for i := 0; i < calls; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
		return s.Stats().Total.Requests - before, time.Since(began)
	}

	// Phase 1 spends the budget; phase 2 runs with it spent.
	first, d1 := phase()
	second, d2 := phase()
	t.Logf("phase 1: %d calls, %d requests (%.2fx) in %v; phase 2 (budget spent): %d calls, %d requests (%.2fx) in %v",
		calls, first, float64(first)/calls, d1.Round(time.Millisecond), calls, second, float64(second)/calls, d2.Round(time.Millisecond))
	// Phase 1 may use the burst and what refilled meanwhile.
	if limit := float64(calls) + burst + refill*d1.Seconds() + 1; float64(first) > limit {
		t.Errorf("phase 1 sent %d requests, budget allows at most %.0f", first, limit)
	}
	if float64(second) > 1.5*calls {
		t.Errorf("with the budget spent, %d calls sent %d requests: more than 1.5x", calls, second)
	}
	if first <= calls {
		t.Errorf("phase 1 sent %d requests for %d calls: the budget's burst was not used", first, calls)
	}
}

// isServerError reports whether err is the server's 5xx answer.
func isServerError(err error) bool {
	var ae *client.APIError
	return asAPIError(err, &ae) && ae.StatusCode == http.StatusServiceUnavailable
}
