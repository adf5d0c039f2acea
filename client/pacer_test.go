package client

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// window answers for a tracker: limit 100, the window ends at end.
func answer(rem int, end time.Time) RateLimit {
	return RateLimit{Limit: 100, Remaining: rem, Reset: end}
}

// grant takes requests from t at now until it says wait; it returns how
// many went and the wait's reason.
func grant(t *limitTracker, now time.Time) (n int, why WaitReason) {
	for n < 1000 {
		wait, w, _ := t.reserve(now)
		if wait > 0 {
			return n, w
		}
		n++
	}
	return n, ""
}

// drainWindow takes requests from t from now on, taking the waits of the
// spread, until it says wait for another reason (or until end).
func drainWindow(t *limitTracker, now, end time.Time) (n int, why WaitReason) {
	for now.Before(end) && n < 1000 {
		wait, w, _ := t.reserve(now)
		switch {
		case wait == 0:
			n++
		case w != WaitSpread:
			return n, w
		default:
			now = now.Add(wait)
		}
	}
	return n, ""
}

// Share: a client that sees the server's count fall four times faster
// than its own answers takes about a quarter of what is left, not all of
// it; alone, it takes all.
func TestPacerShareOfAFleet(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	tr := newLimitTracker(true)
	var end time.Time
	for w := 0; w < 3; w++ { // three windows: 20 own answers while the key spent 80
		end = now.Add(5 * time.Second)
		for rem := 96; rem >= 20; rem -= 4 {
			tr.record(answer(rem, end), true, Quota{}, false, now, false)
		}
		now = end
	}
	tr.mu.Lock()
	share := tr.shareNow()
	tr.mu.Unlock()
	if share < 0.24 || share > 0.3 {
		t.Fatalf("share %.3f, want about 0.25", share)
	}
	if rl, _ := (&Client{limits: tr}).RateLimit(); rl.Share < 0.24 || rl.Share > 0.3 {
		t.Fatalf("RateLimit().Share %.3f, want about 0.25", rl.Share)
	}
	// 20 left: about a quarter goes, spread over the time left, and the
	// next waits for the reset.
	n, why := drainWindow(tr, now.Add(-4*time.Second), end)
	if n < 4 || n > 6 || why != WaitWindowSpent {
		t.Fatalf("%d requests went, then %q; want 5, then %q", n, why, WaitWindowSpent)
	}
	// Alone, the client's share is 1.
	solo := newLimitTracker(true)
	start := time.Unix(1_000_000, 0)
	for rem := 99; rem > 80; rem-- {
		solo.record(answer(rem, start.Add(5*time.Second)), true, Quota{}, false, start, false)
	}
	if n, why := drainWindow(solo, start, start.Add(5*time.Second)); n != 81 || why != WaitWindowSpent {
		t.Fatalf("a lone client was granted %d of 81 left, then %q", n, why)
	}
}

// Spread: what is left is spread over the window, with a burst of a tenth
// of it; the rest waits its turn.
func TestPacerSpreadsTheWindow(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	tr := newLimitTracker(true)
	tr.record(answer(100, now.Add(10*time.Second)), true, Quota{}, false, now, false)
	n, why := grant(tr, now)
	if n < 5 || n > 15 || why != WaitSpread {
		t.Fatalf("%d requests went at once, then %q; want about 10 (a tenth), then %q", n, why, WaitSpread)
	}
	wait, _, _ := tr.reserve(now)
	if wait <= 0 || wait > 200*time.Millisecond {
		t.Fatalf("next request due in %v, want about the gap (100ms)", wait)
	}
}

// Probe: when the window ends, one request goes; the others wait for its
// answer to name the new window, then go by what it says.
func TestPacerProbesANewWindow(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	end := now.Add(time.Second)
	tr := newLimitTracker(true)
	for rem := 99; rem >= 0; rem-- { // the client alone spent the window
		tr.record(answer(rem, end), true, Quota{}, false, now, false)
	}
	if _, why := grant(tr, now); why != WaitWindowSpent {
		t.Fatalf("with Remaining 0: %q", why)
	}
	if n, why := grant(tr, end); n != 1 || why != WaitNewWindow {
		t.Fatalf("at the reset %d went, then %q; want 1 probe, then %q", n, why, WaitNewWindow)
	}
	// The probe's answer says what is left; then the client goes by it.
	tr.answered(tr.epoch)
	tr.record(answer(99, end.Add(time.Second)), true, Quota{}, false, end, false)
	if n, why := drainWindow(tr, end, end.Add(time.Second)); n != 99 || why != WaitWindowSpent {
		t.Fatalf("%d went after the probe's answer said 99 are left, then %q", n, why)
	}
}

// Hold: once a 429 named a time, nothing goes before it.
func TestPacerHoldsForTheServer(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	tr := newLimitTracker(true)
	tr.holdUntil(now.Add(2 * time.Second))
	if wait, why, _ := tr.reserve(now); wait != 2*time.Second || why != WaitServer {
		t.Fatalf("wait %v %q", wait, why)
	}
	if wait, _, _ := tr.reserve(now.Add(2 * time.Second)); wait != 0 {
		t.Fatalf("still held after the time named: %v", wait)
	}
}

// rateLimitWait prefers an earlier X-RateLimit-Reset to a rounded-up
// Retry-After, and ignores a Reset in the past.
func TestRateLimitWait(t *testing.T) {
	now := time.Unix(1_000_000, 0).Add(300 * time.Millisecond)
	reset := time.Unix(1_000_001, 0)
	if d := rateLimitWait(time.Second, RateLimit{Reset: reset}, true, now); d != 700*time.Millisecond {
		t.Fatalf("wait %v, want 700ms", d)
	}
	if d := rateLimitWait(time.Second, RateLimit{Reset: now.Add(-time.Second)}, true, now); d != time.Second {
		t.Fatalf("wait %v with a past Reset, want the Retry-After", d)
	}
}

// A rate-limit 429 with a Retry-After is retried even when the retry
// budget is spent, holds the other calls of the client until then, and
// RateLimit(), the Response and the debug log say that they waited and
// why. A public call is not held.
func TestRateLimit429HoldsEveryCallAndSparesTheBudget(t *testing.T) {
	t.Parallel() // it waits on its own fake; see TestMain
	var mu sync.Mutex
	var sent []time.Time
	var first time.Time
	f := newFakeExchanger(t, func(n int, _ attempt, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		now := time.Now()
		if r.URL.Path == "/api/v3/ping" {
			mu.Unlock()
			writeOK(w, map[string]any{"pong": true}, "p")
			return
		}
		sent = append(sent, now)
		if n == 1 {
			first = now
		}
		mu.Unlock()
		w.Header().Set("X-RateLimit-Limit", "10")
		w.Header().Set("X-RateLimit-Reset", fmt.Sprint(now.Add(time.Hour).Unix()))
		if n == 1 {
			// A Reset in the past (a server whose Reset is rounded down):
			// the Retry-After decides.
			w.Header().Set("X-RateLimit-Reset", fmt.Sprint(now.Add(-time.Second).Unix()))
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("Retry-After", "1")
			writeErr(w, http.StatusTooManyRequests, "rate_limit_exceeded", "r", nil)
			return
		}
		w.Header().Set("X-RateLimit-Remaining", "9")
		writeOK(w, nil, "ok")
	})
	var logMu sync.Mutex
	var logs []string
	c := newTestClient(t, f, WithRetryBudget(0, 0), WithLogger(newTestLogger(func(m string) {
		logMu.Lock()
		logs = append(logs, m)
		logMu.Unlock()
	})))
	var r1, r2 Response
	done := make(chan error, 1)
	go func() {
		_, err := c.do(context.Background(), statusCall("1"), nil, []CallOption{WithResponse(&r1)})
		done <- err
	}()
	time.Sleep(200 * time.Millisecond) // the first call got its 429
	if _, err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	pingAt := time.Now()
	if _, err := c.do(context.Background(), statusCall("2"), nil, []CallOption{WithResponse(&r2)}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("a 429 with Retry-After: 1 was not retried with the budget spent: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if pingAt.Sub(first) > 900*time.Millisecond {
		t.Errorf("the public Ping was held %v", pingAt.Sub(first))
	}
	if len(sent) != 3 {
		t.Fatalf("%d private requests, want 3 (429, its retry, the second call)", len(sent))
	}
	for _, at := range sent[1:] {
		if at.Sub(first) < 900*time.Millisecond {
			t.Errorf("a request went %v after the 429 that said wait 1s", at.Sub(first))
		}
	}
	if r2.RateLimit.Wait.Reason != WaitServer || r2.RateLimit.Wait.For < 500*time.Millisecond {
		t.Errorf("the held call's Response says %+v", r2.RateLimit.Wait)
	}
	rl, _ := c.RateLimit()
	if rl.Waits < 1 || rl.Wait.Reason != WaitServer || rl.Wait.At.IsZero() {
		t.Errorf("RateLimit() says %d waits, last %+v", rl.Waits, rl.Wait)
	}
	logMu.Lock()
	defer logMu.Unlock()
	if all := strings.Join(logs, "\n"); !strings.Contains(all, "client: waiting for the rate limit") || strings.Contains(all, "budget spent") {
		t.Errorf("log:\n%s", all)
	}
}

// A lone client whose last answers of a window are still on their way when
// it ends keeps its share of 1: the requests in flight are its own.
func TestPacerLoneClientKeepsItsShare(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	end := now.Add(time.Second)
	tr := newLimitTracker(true)
	tr.record(RateLimit{Limit: 50, Remaining: 49, Reset: end}, true, Quota{}, false, now, false)
	tr.answered(0)
	if n, _ := drainWindow(tr, now, end); n != 49 {
		t.Fatalf("%d of 49 went", n)
	}
	for rem := 48; rem >= 0; rem-- {
		if rem >= 10 && rem < 15 {
			continue // five answers arrive after the window's end
		}
		tr.record(RateLimit{Limit: 50, Remaining: rem, Reset: end}, true, Quota{}, false, now, false)
		tr.answered(0)
	}
	tr.reserve(end) // the window ends: its share is folded
	if rl, _ := (&Client{limits: tr}).RateLimit(); rl.Share < 0.99 {
		t.Fatalf("share %.3f after a window the client spent alone, want 1", rl.Share)
	}
}
