package client

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// RateLimit is the rate-limit window as last reported by the server
// (X-RateLimit-*). A field the server did not send is -1 (zero Reset).
type RateLimit struct {
	Limit     int
	Remaining int
	Reset     time.Time // when the window resets, server clock
}

// Quota is the daily and monthly quota as last reported (X-Api-Quota-*). A
// field the server did not send is -1.
type Quota struct {
	DailyLimit       int
	DailyRemaining   int
	MonthlyLimit     int
	MonthlyRemaining int
}

// headerInt reads an integer header; -1 when absent or not a number. name
// must be in canonical form (http.CanonicalHeaderKey), which spares the
// lookup an allocation per response.
func headerInt(h http.Header, name string) int {
	vs := h[name]
	if len(vs) == 0 {
		return -1
	}
	n, err := strconv.Atoi(vs[0])
	if err != nil {
		return -1
	}
	return n
}

// parseRateLimit reads the X-RateLimit-* headers; ok is false without any.
func parseRateLimit(h http.Header) (rl RateLimit, ok bool) {
	rl = RateLimit{Limit: headerInt(h, "X-Ratelimit-Limit"), Remaining: headerInt(h, "X-Ratelimit-Remaining")}
	if r := headerInt(h, "X-Ratelimit-Reset"); r >= 0 {
		rl.Reset = time.Unix(int64(r), 0)
	}
	return rl, rl.Limit >= 0 || rl.Remaining >= 0 || !rl.Reset.IsZero()
}

// parseQuota reads the X-Api-Quota-* headers; ok is false without any.
func parseQuota(h http.Header) (q Quota, ok bool) {
	q = Quota{
		DailyLimit:       headerInt(h, "X-Api-Quota-Daily-Limit"),
		DailyRemaining:   headerInt(h, "X-Api-Quota-Daily-Remaining"),
		MonthlyLimit:     headerInt(h, "X-Api-Quota-Monthly-Limit"),
		MonthlyRemaining: headerInt(h, "X-Api-Quota-Monthly-Remaining"),
	}
	return q, q.DailyLimit >= 0 || q.DailyRemaining >= 0 || q.MonthlyLimit >= 0 || q.MonthlyRemaining >= 0
}

// limitTracker keeps the last rate-limit and quota values of a client, and
// paces its requests: it counts what the client sends in the current
// window, so that many goroutines sharing one client do not overshoot the
// window between two answers.
type limitTracker struct {
	mu    sync.Mutex
	rate  RateLimit
	quota Quota
	seenR bool
	seenQ bool

	// Pacing state, on the server's clock.
	paced  bool      // a window with Remaining and Reset was seen
	win    time.Time // end of the window avail counts for; zero: a new window began and no answer has named its end yet
	minRem int       // the lowest Remaining reported for win: the server's latest count
	avail  int       // requests the client may still send before win; -1: no limit known
	limit  int       // the window's size, -1 if never reported
	rolled time.Time // when the last window ended (reserve noticed it)
	// outstanding counts requests sent and not answered yet. The server's
	// Remaining does not include them, and any of them may still land in
	// the current window, even one sent in the previous window.
	outstanding int
}

// pollAnswer is how often a caller waiting for an answer to name the new
// window's end looks again; unknownWindow is how long it waits for one
// before pacing is dropped until the next answer.
const (
	pollAnswer    = 10 * time.Millisecond
	unknownWindow = time.Second
)

// record keeps an answer's values; now is the server's current time.
func (t *limitTracker) record(rl RateLimit, rok bool, q Quota, qok bool, now time.Time) {
	if !rok && !qok {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if qok {
		t.quota, t.seenQ = q, true
	}
	if !rok {
		return
	}
	t.rate, t.seenR = rl, true
	if rl.Limit >= 0 {
		t.limit = rl.Limit
	} else if !t.paced {
		t.limit = -1
	}
	if rl.Remaining < 0 || rl.Reset.IsZero() {
		return
	}
	switch {
	case !rl.Reset.After(now) || (!t.win.IsZero() && rl.Reset.Before(t.win)):
		// An answer from a window that is already over.
		return
	case rl.Reset.Equal(t.win):
		// Answers arrive out of order; the lowest count is the latest.
		t.minRem = min(t.minRem, rl.Remaining)
	default:
		// The first window seen, the one that began when the last ended,
		// or a later one than the estimate's.
		t.win, t.minRem, t.paced = rl.Reset, rl.Remaining, true
	}
	t.avail = max(t.minRem-t.outstanding, 0)
}

// sent counts a request that goes out; answered counts its answer (or its
// failure).
func (t *limitTracker) sent() {
	t.mu.Lock()
	t.outstanding++
	t.mu.Unlock()
}

func (t *limitTracker) answered() {
	t.mu.Lock()
	if t.outstanding > 0 {
		t.outstanding--
	}
	t.mu.Unlock()
}

// reserve takes one request from the current window. It returns 0 when
// the request may go now (it is then counted as sent), else how long to
// wait before asking again.
func (t *limitTracker) reserve(now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.paced {
		t.outstanding++
		return 0
	}
	if !t.win.IsZero() && !now.Before(t.win) {
		// The window is over: the next one allows limit requests, less
		// those still in flight, and its end is learned from the first
		// answer in it.
		t.win, t.rolled = time.Time{}, now
		t.avail = -1
		if t.limit >= 0 {
			t.avail = max(t.limit-t.outstanding, 0)
		}
	}
	switch {
	case t.avail < 0:
		t.outstanding++
		return 0
	case t.avail > 0:
		t.avail--
		t.outstanding++
		return 0
	case t.win.IsZero():
		if now.Sub(t.rolled) > unknownWindow {
			// No answer named the new window: stop pacing until one does.
			t.paced = false
			t.outstanding++
			return 0
		}
		return pollAnswer
	}
	return t.win.Sub(now)
}

// RateLimit returns the last rate-limit values the server reported; ok is
// false before any response carried them.
func (c *Client) RateLimit() (rl RateLimit, ok bool) {
	c.limits.mu.Lock()
	defer c.limits.mu.Unlock()
	if !c.limits.seenR {
		return RateLimit{Limit: -1, Remaining: -1}, false
	}
	return c.limits.rate, true
}

// Quota returns the last quota values the server reported; ok is false
// before any response carried them.
func (c *Client) Quota() (q Quota, ok bool) {
	c.limits.mu.Lock()
	defer c.limits.mu.Unlock()
	if !c.limits.seenQ {
		return Quota{-1, -1, -1, -1}, false
	}
	return c.limits.quota, true
}

// pace holds a request back while the client's share of the rate-limit
// window is spent (the last answer said Remaining 0, or the client has sent
// as many requests as the window had left), until the window resets. A
// wait longer than MaxRetryAfter or past ctx's deadline is not taken: the
// request goes out and the server decides. When pace returns nil the
// request is counted as sent; the caller reports its answer with
// limits.answered.
func (c *Client) pace(ctx context.Context) error {
	logged := false
	for {
		wait := c.limits.reserve(c.clock.serverNow())
		if wait <= 0 {
			return nil
		}
		if dl, ok := ctx.Deadline(); wait > c.retry.MaxRetryAfter || (ok && time.Until(dl) < wait) {
			c.limits.sent()
			return nil
		}
		if !logged {
			logged = true
			c.logger.LogAttrs(ctx, slog.LevelDebug, "client: rate-limit window spent, waiting for its reset", slog.Duration("wait", wait))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}
