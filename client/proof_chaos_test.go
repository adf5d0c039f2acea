package client_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// Chaos: 2,000 CreateOrder calls from 16 goroutines while the fake drops
// answers after storing the order, fails with 500/502/503 and 429 with
// Retry-After, the network resets connections before the request and every
// answer is delayed. Every call returns its order or an error that says
// whether the outcome is unknown; repeating the failed ones with the same
// Idempotency-Key converges to exactly one order per business operation;
// no signature is ever replayed or invalid.
func TestProofChaosCreateOrder(t *testing.T) {
	l := earlyChaos.take()
	// Parallel: it overlaps the busy-key proofs, which mostly wait.
	t.Parallel()
	if l == nil { // not started by TestMain (-race, -count > 1, a -run it could not read)
		l = startChaosLoad()
	}
	t.Cleanup(l.close)
	<-l.done
	if l.err != nil {
		t.Fatal(l.err)
	}
	for _, msg := range l.injectErrs.list() {
		t.Error(msg)
	}
	const calls = chaosCalls
	s, rt, c, results, injected, keyOf := l.s, l.rt, l.c, l.results, l.injected, chaosKey
	ctx := proofContext(t, 3*time.Minute)

	var ok, unknown, known int
	for i, r := range results {
		switch {
		case r.err == nil && r.order != nil && r.order.ID != 0:
			ok++
		case r.err == nil:
			t.Fatalf("call %d: no error and no order", i)
		case isOutcomeUnknown(r.err):
			unknown++
		default:
			known++
		}
	}
	// A call that failed with a known outcome created nothing.
	perKey := map[string][]int64{}
	for _, o := range s.Orders() {
		perKey[o.IdempotencyKey] = append(perKey[o.IdempotencyKey], o.ID)
	}
	for i, r := range results {
		if r.err != nil && !isOutcomeUnknown(r.err) && len(perKey[keyOf(i)]) != 0 {
			t.Errorf("call %d failed with a known outcome (%v) but the server holds order %v", i, r.err, perKey[keyOf(i)])
		}
	}
	before := s.Stats()
	t.Logf("first pass: %d orders, %d outcome unknown, %d failed; injected %d drops, %d 5xx, %d 429; %d resets; server: %d requests, %d dropped, %d replays, %d 5xx, %d 429",
		ok, unknown, known, injected[0], injected[1], injected[2], rt.resets.Load(), before.Total.Requests,
		before.Total.Dropped, before.Total.IdempotentReplays, before.Total.ServerErrors, before.Total.RateLimited)
	if injected[0] == 0 || injected[1] == 0 || injected[2] == 0 || rt.resets.Load() == 0 || before.Total.Dropped == 0 ||
		before.Total.ServerErrors == 0 || before.Total.RateLimited == 0 {
		t.Fatalf("the faults did not happen: %v, %d resets, %d dropped", injected, rt.resets.Load(), before.Total.Dropped)
	}

	// Repeat every failed call with its key, with no new faults: each
	// converges to its one order.
	rt.permil = 0
	for i, r := range results {
		if r.err == nil {
			continue
		}
		var o *client.Order
		var err error
		for try := 0; try < 20; try++ {
			if o, err = c.CreateOrder(ctx, proofOrder(), client.WithIdempotencyKey(keyOf(i))); err == nil {
				break
			}
		}
		if err != nil {
			t.Fatalf("call %d still fails when repeated: %v", i, err)
		}
		results[i] = chaosOutcome{o, nil}
	}

	perKey = map[string][]int64{}
	for _, o := range s.Orders() {
		perKey[o.IdempotencyKey] = append(perKey[o.IdempotencyKey], o.ID)
	}
	if len(s.Orders()) != calls || len(perKey) != calls {
		t.Fatalf("%d orders for %d keys, want %d each", len(s.Orders()), len(perKey), calls)
	}
	for i, r := range results {
		ids := perKey[keyOf(i)]
		if len(ids) != 1 || ids[0] != r.order.ID {
			t.Fatalf("call %d: returned order %d, server holds %v", i, r.order.ID, ids)
		}
	}
	st := s.Stats()
	if st.Total.SignatureReplays != 0 || st.Total.InvalidSignatures != 0 || st.Total.SignatureRequired != 0 {
		t.Fatalf("signatures: %d replays, %d invalid, %d missing", st.Total.SignatureReplays, st.Total.InvalidSignatures, st.Total.SignatureRequired)
	}
}

// chaosCalls and chaosWorkers are the chaos proof's load: calls
// CreateOrder calls from workers goroutines.
const chaosCalls, chaosWorkers = 2000, 16

// chaosKey is the Idempotency-Key of the chaos proof's call i.
func chaosKey(i int) string { return fmt.Sprintf("chaos-order-%05d", i) }

// chaosOutcome is what one call of the chaos proof returned.
type chaosOutcome struct {
	order *client.Order
	err   error
}

// chaosLoad is the first pass of TestProofChaosCreateOrder: the calls under
// faults. It spends most of its time held back by the 429s it injects
// (each holds every call of the client for a second), so TestMain starts
// it before the package's serial tests, like the busy-key load, and the
// test checks its results and runs the second pass.
type chaosLoad struct {
	done chan struct{} // closed when the fields below are set
	err  error         // a failed setup

	s          *clienttest.Server
	rt         *resettingTransport
	c          *client.Client
	results    []chaosOutcome
	injected   [3]int   // drops, 5xx, 429
	injectErrs messages // faults the fake refused to queue

	closeOnce sync.Once
}

// startChaosLoad starts the first pass in the background.
func startChaosLoad() *chaosLoad {
	l := &chaosLoad{done: make(chan struct{})}
	go l.run()
	return l
}

func (l *chaosLoad) run() {
	defer close(l.done)
	s, err := clienttest.New(clienttest.WithRateLimit(0, 0))
	if err != nil {
		l.err = err
		return
	}
	l.s = s
	s.SetLatency(time.Millisecond)
	l.rt = &resettingTransport{next: newTransport(), permil: 20}
	k := s.Key()
	l.c, err = client.New(s.URL, client.WithToken(k.Token), client.WithHMACSecret(k.HMACSecret),
		client.WithHTTPClient(&http.Client{Transport: l.rt}),
		client.WithRetry(fastRetry(2)), // few attempts, so that some calls fail
		// The budget is proven by the storm test; here it must not hide
		// the pipeline's behaviour under faults.
		client.WithRetryBudget(1_000_000, 1_000_000))
	if err != nil {
		l.err = err
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	// Before a third of the calls, one fault is queued for the operation:
	// whichever call comes next meets it.
	var mu sync.Mutex
	inject := func() {
		mu.Lock()
		defer mu.Unlock()
		var err error
		switch n := rand.IntN(10); {
		case n < 3:
			err = s.DropAfterProcessing(createOrderOp, 1)
			l.injected[0]++
		case n < 9 || l.injected[2] >= 40: // each 429 holds the client's calls for a second
			err = s.FailNext(createOrderOp, 1, []int{500, 502, 503}[rand.IntN(3)])
			l.injected[1]++
		default:
			err = s.FailNext(createOrderOp, 1, http.StatusTooManyRequests)
			l.injected[2]++
		}
		if err != nil {
			l.injectErrs.Errorf("%v", err)
		}
	}

	l.results = make([]chaosOutcome, chaosCalls)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < chaosWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if rand.IntN(3) == 0 {
					inject()
				}
				o, err := l.c.CreateOrder(ctx, proofOrder(), client.WithIdempotencyKey(chaosKey(i)))
				l.results[i] = chaosOutcome{o, err}
			}
		}()
	}
	for i := 0; i < chaosCalls; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// close waits for the first pass and stops the fake.
func (l *chaosLoad) close() {
	<-l.done
	l.closeOnce.Do(func() {
		if l.s != nil {
			l.s.Close()
		}
	})
}
