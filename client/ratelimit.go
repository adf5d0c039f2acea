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

// limitTracker keeps the last rate-limit and quota values of a client.
type limitTracker struct {
	mu    sync.Mutex
	rate  RateLimit
	quota Quota
	seenR bool
	seenQ bool
}

func (t *limitTracker) record(rl RateLimit, rok bool, q Quota, qok bool) {
	if !rok && !qok {
		return
	}
	t.mu.Lock()
	if rok {
		t.rate, t.seenR = rl, true
	}
	if qok {
		t.quota, t.seenQ = q, true
	}
	t.mu.Unlock()
}

// spentUntil returns the reset time when the window is known to be spent.
func (t *limitTracker) spentUntil() (time.Time, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.seenR && t.rate.Remaining == 0 && !t.rate.Reset.IsZero() {
		return t.rate.Reset, true
	}
	return time.Time{}, false
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

// pace waits for the rate-limit window to reset when the last response said
// it is spent, instead of sending a request that would earn a 429. A wait
// longer than MaxRetryAfter or past ctx's deadline is not taken: the request
// goes out and the server decides.
func (c *Client) pace(ctx context.Context) error {
	reset, spent := c.limits.spentUntil()
	if !spent {
		return nil
	}
	wait := reset.Sub(c.clock.serverNow())
	if wait <= 0 || wait > c.retry.MaxRetryAfter {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		return nil
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "exchanger: rate-limit window spent, waiting for its reset", slog.Duration("wait", wait))
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
