package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// queueLen counts the calls in q.
func queueLen(q *timeoutQueue) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for t := q.head; t != nil; t = t.next {
		n++
	}
	return n
}

// waitDone waits for ctx to be done, at most a few seconds.
func waitDone(t *testing.T, ctx context.Context) {
	t.Helper()
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("context not done")
	}
}

// A timeoutCtx behaves as context.WithTimeout's context does, seen from
// the caller and from a context derived from it the way net/http derives
// its per-request one: same deadline, same errors and causes at the
// deadline and after the call ends, values passed through.
func TestTimeoutCtxMatchesWithTimeout(t *testing.T) {
	type key struct{}
	parent := context.WithValue(context.Background(), key{}, "v")
	const d = 60 * time.Millisecond
	q := newTimeoutQueue(d)

	before := time.Now()
	ours := q.start(parent)
	theirs, cancel := context.WithTimeout(parent, d)
	defer cancel()
	after := time.Now()
	for name, ctx := range map[string]context.Context{"timeoutCtx": ours, "WithTimeout": theirs} {
		dl, ok := ctx.Deadline()
		if !ok || dl.Before(before.Add(d)) || dl.After(after.Add(d)) {
			t.Errorf("%s: deadline %v, %v; want within [%v, %v]", name, dl, ok, before.Add(d), after.Add(d))
		}
		if ctx.Value(key{}) != "v" {
			t.Errorf("%s: the caller's value is lost", name)
		}
		if ctx.Err() != nil {
			t.Errorf("%s: Err %v before the deadline", name, ctx.Err())
		}
	}
	// net/http's per-request context.
	child, stop := context.WithCancelCause(ours)
	defer stop(nil)
	if child.Err() != nil {
		t.Fatalf("child done early: %v", child.Err())
	}

	waitDone(t, ours)
	waitDone(t, theirs)
	waitDone(t, child)
	if time.Since(before) < d {
		t.Fatalf("done after %v, before the timeout %v", time.Since(before), d)
	}
	for name, ctx := range map[string]context.Context{"timeoutCtx": ours, "WithTimeout": theirs, "child": child} {
		if ctx.Err() != context.DeadlineExceeded || context.Cause(ctx) != context.DeadlineExceeded {
			t.Errorf("%s: Err %v, Cause %v; want DeadlineExceeded", name, ctx.Err(), context.Cause(ctx))
		}
	}
	if n := queueLen(q); n != 0 {
		t.Fatalf("%d calls left in the queue after their deadline", n)
	}
	ours.end() // a call ending after its deadline keeps DeadlineExceeded
	if ours.Err() != context.DeadlineExceeded {
		t.Fatalf("Err %v after end", ours.Err())
	}
}

// A call that ends before its deadline leaves the queue, its context ends
// with context.Canceled, and what was derived from it ends too.
func TestTimeoutCtxEnd(t *testing.T) {
	q := newTimeoutQueue(time.Hour)
	a, b := q.start(context.Background()), q.start(context.Background())
	child, stop := context.WithCancel(a)
	defer stop()
	if n := queueLen(q); n != 2 {
		t.Fatalf("queue holds %d calls, want 2", n)
	}
	a.end()
	waitDone(t, child)
	if a.Err() != context.Canceled || child.Err() != context.Canceled {
		t.Fatalf("Err %v, child %v; want Canceled", a.Err(), child.Err())
	}
	if b.Err() != nil {
		t.Fatalf("another call's context ended: %v", b.Err())
	}
	if n := queueLen(q); n != 1 || q.head != b {
		t.Fatalf("queue holds %d calls after one ended, want the other", n)
	}
	b.end()
	if n := queueLen(q); n != 0 {
		t.Fatalf("queue holds %d calls, want none", n)
	}
}

// The timer is set for the first deadline only and left alone when calls
// end: a call that starts after the first one ended still ends at its own
// deadline, and one that ended is not touched.
func TestTimeoutQueueLaterCallsExpire(t *testing.T) {
	const d = 80 * time.Millisecond
	q := newTimeoutQueue(d)
	first := q.start(context.Background())
	time.Sleep(d / 2)
	first.end()
	second := q.start(context.Background())
	started := time.Now()
	third := q.start(context.Background())
	waitDone(t, second)
	if el := time.Since(started); el < d-5*time.Millisecond {
		t.Fatalf("second call ended after %v, before its timeout %v (the first call's deadline?)", el, d)
	}
	waitDone(t, third)
	if first.Err() != context.Canceled || second.Err() != context.DeadlineExceeded || third.Err() != context.DeadlineExceeded {
		t.Fatalf("errors %v, %v, %v", first.Err(), second.Err(), third.Err())
	}
	// The queue is idle now; a new call arms the timer again.
	fourth := q.start(context.Background())
	waitDone(t, fourth)
	if fourth.Err() != context.DeadlineExceeded {
		t.Fatalf("fourth: %v", fourth.Err())
	}
}

// AfterFunc runs a registered function once, at the deadline, unless it
// was stopped; registering on a context already done runs it at once.
func TestTimeoutCtxAfterFunc(t *testing.T) {
	q := newTimeoutQueue(30 * time.Millisecond)
	ctx := q.start(context.Background())
	ran := make(chan int, 3)
	stop1 := ctx.AfterFunc(func() { ran <- 1 })
	stop2 := ctx.AfterFunc(func() { ran <- 2 })
	stop3 := ctx.AfterFunc(func() { ran <- 3 })
	if !stop2() || stop2() {
		t.Fatal("stop: want true once, then false")
	}
	if len(ctx.funcs) != 2 {
		t.Fatalf("%d registrations after one stop, want 2", len(ctx.funcs))
	}
	waitDone(t, ctx)
	got := map[int]bool{}
	for range 2 {
		select {
		case i := <-ran:
			got[i] = true
		case <-time.After(5 * time.Second):
			t.Fatal("registered function did not run")
		}
	}
	if !got[1] || !got[3] {
		t.Fatalf("ran %v, want 1 and 3", got)
	}
	if stop1() || stop3() {
		t.Fatal("stop after running reported true")
	}
	late := make(chan struct{})
	if ctx.AfterFunc(func() { close(late) })() {
		t.Fatal("stop of a registration on a done context reported true")
	}
	select {
	case <-late:
	case <-time.After(5 * time.Second):
		t.Fatal("AfterFunc on a done context did not run")
	}
	select {
	case i := <-ran:
		t.Fatalf("stopped function %d ran", i)
	default:
	}
}

// Derived contexts that end first unregister: a call's retries leave no
// registration behind.
func TestTimeoutCtxChildrenUnregister(t *testing.T) {
	q := newTimeoutQueue(time.Hour)
	ctx := q.start(context.Background())
	defer ctx.end()
	for range 5 {
		child, cancel := context.WithCancelCause(ctx)
		_ = child.Done()
		cancel(nil)
	}
	ctx.mu.Lock()
	n := len(ctx.funcs)
	ctx.mu.Unlock()
	if n != 0 {
		t.Fatalf("%d registrations left after their contexts ended", n)
	}
}

// Through the whole pipeline: a call whose context has no deadline ends
// with context.DeadlineExceeded after the client's timeout, retries
// included, with the queue's context; a caller's deadline and a caller's
// cancellation still win.
func TestCallTimeoutThroughPipeline(t *testing.T) {
	var hang atomic.Bool
	var attempts atomic.Int32
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		if hang.Load() {
			select { // bounded, so a timeout that never fires fails the test rather than hanging it
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
				writeErr(w, 503, "server_error", "late", nil)
			}
			return
		}
		writeErr(w, 503, "server_error", "busy", nil)
	})
	const d = 150 * time.Millisecond
	c := newTestClient(t, f, WithTimeout(d), WithRetry(RetryPolicy{MaxAttempts: 1000, MinBackoff: 10 * time.Millisecond, MaxBackoff: 10 * time.Millisecond}),
		WithRetryBudget(1000, 1000))

	// Retries until the timeout: the retry loop stops before a backoff
	// that would end past the deadline, with the last answer.
	start := time.Now()
	_, err := c.do(context.Background(), statusCall("1"), nil, nil)
	el := time.Since(start)
	if err == nil || el < d-20*time.Millisecond || el > d+3*time.Second || attempts.Load() < 2 {
		t.Fatalf("err %v after %v and %d attempts; want an error at the timeout %v, retried", err, el, attempts.Load(), d)
	}

	// A hanging attempt.
	hang.Store(true)
	start = time.Now()
	_, err = c.do(context.Background(), statusCall("1"), nil, nil)
	if el := time.Since(start); !errors.Is(err, context.DeadlineExceeded) || el < d || el > d+3*time.Second {
		t.Fatalf("hanging: err %v after %v", err, el)
	}

	// The caller's earlier deadline wins.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err = c.do(ctx, statusCall("1"), nil, nil)
	if el := time.Since(start); !errors.Is(err, context.DeadlineExceeded) || el >= d {
		t.Fatalf("caller's deadline: err %v after %v", err, el)
	}

	// The caller's cancellation propagates.
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel)
	start = time.Now()
	_, err = c.do(ctx, statusCall("1"), nil, nil)
	if el := time.Since(start); !errors.Is(err, context.Canceled) || el >= d {
		t.Fatalf("caller's cancel: err %v after %v", err, el)
	}
	if n := queueLen(c.timeouts); n != 0 {
		t.Fatalf("%d calls left in the client's queue", n)
	}
}

// An attempt's trace goes below the timeoutCtx, so a context derived from
// the attempt's (net/http's per-request one) still registers through
// AfterFunc, sees the trace and the caller's values, and ends at the
// deadline.
func TestTimeoutCtxTraceKeepsAfterFunc(t *testing.T) {
	type key struct{}
	q := newTimeoutQueue(40 * time.Millisecond)
	tc := q.start(context.WithValue(context.Background(), key{}, "v"))
	defer tc.end()
	trace := &httptrace.ClientTrace{}
	attempt := withClientTrace(tc, trace)
	child, cancel := context.WithCancelCause(attempt)
	defer cancel(nil)
	tc.mu.Lock()
	n := len(tc.funcs)
	tc.mu.Unlock()
	if n != 1 {
		t.Fatalf("%d AfterFunc registrations, want 1 (a value context hid AfterFunc?)", n)
	}
	if httptrace.ContextClientTrace(child) != trace || child.Value(key{}) != "v" {
		t.Fatal("the trace or the caller's value is lost")
	}
	if dl, ok := attempt.Deadline(); !ok || dl != tc.deadline {
		t.Fatalf("attempt deadline %v, %v", dl, ok)
	}
	waitDone(t, child)
	if context.Cause(child) != context.DeadlineExceeded || attempt.Err() != context.DeadlineExceeded {
		t.Fatalf("child cause %v, attempt Err %v", context.Cause(child), attempt.Err())
	}
	// Without a timeoutCtx it is httptrace.WithClientTrace.
	if got := httptrace.ContextClientTrace(withClientTrace(context.Background(), trace)); got != trace {
		t.Fatal("trace lost on a plain context")
	}
}

// A write whose attempt hangs ends at the client's timeout too (its
// attempts carry a trace, so their context is a tracedCtx), reported as
// outcome unknown with the key to repeat it, the same key on every
// attempt.
func TestCallTimeoutWriteHangs(t *testing.T) {
	var keys []string
	var mu sync.Mutex
	f := newFakeExchanger(t, func(_ int, a attempt, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		mu.Unlock()
		select { // bounded: a timeout that never fires fails the test rather than hanging it
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
			writeErr(w, 503, "server_error", "late", nil)
		}
	})
	const d = 150 * time.Millisecond
	c := newTestClient(t, f, WithTimeout(d))
	start := time.Now()
	_, err := c.do(context.Background(), createCall(), nil, nil)
	el := time.Since(start)
	var re *RequestError
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &re) || el < d || el > d+3*time.Second {
		t.Fatalf("err %v after %v; want DeadlineExceeded at %v", err, el, d)
	}
	if !re.OutcomeUnknown || re.IdempotencyKey == "" {
		t.Fatalf("outcome unknown %v, key %q", re.OutcomeUnknown, re.IdempotencyKey)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, k := range keys {
		if k != re.IdempotencyKey {
			t.Fatalf("attempt sent key %q, call reports %q", k, re.IdempotencyKey)
		}
	}
	if n := queueLen(c.timeouts); n != 0 {
		t.Fatalf("%d calls left in the client's queue", n)
	}
}

// valueWrappingTransport is tracing middleware as callers write it: it
// puts a value on the request's context before the real transport, which
// hides the call context's AfterFunc from net/http.
type valueWrappingTransport struct {
	next http.RoundTripper
	seen atomic.Int32 // requests whose context held the value
}

type middlewareKey struct{}

func (m *valueWrappingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.WithContext(context.WithValue(r.Context(), middlewareKey{}, "span"))
	if r.Context().Value(middlewareKey{}) == "span" {
		m.seen.Add(1)
	}
	return m.next.RoundTrip(r)
}

// Under a transport that wraps the request's context, net/http cannot use
// the call context's AfterFunc and watches it from a goroutine instead:
// the call still ends at the client's timeout with DeadlineExceeded, and
// leaves nothing in the queue.
func TestCallTimeoutUnderWrappingTransport(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, r *http.Request) {
		select { // bounded: a timeout that never fires fails the test rather than hanging it
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
			writeErr(w, 503, "server_error", "late", nil)
		}
	})
	mw := &valueWrappingTransport{next: http.DefaultTransport.(*http.Transport).Clone()}
	const d = 150 * time.Millisecond
	c := newTestClient(t, f, WithTimeout(d), WithHTTPClient(&http.Client{Transport: mw}))
	start := time.Now()
	_, err := c.do(context.Background(), statusCall("1"), nil, nil)
	el := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) || el < d || el > d+3*time.Second {
		t.Fatalf("err %v after %v; want DeadlineExceeded at %v", err, el, d)
	}
	if mw.seen.Load() == 0 {
		t.Fatal("the middleware saw no request")
	}
	if n := queueLen(c.timeouts); n != 0 {
		t.Fatalf("%d calls left in the client's queue", n)
	}
}
