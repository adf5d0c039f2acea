package client

import (
	"net/http"
	"strconv"
	"time"
)

// RateLimit is the rate-limit window as last reported by the server
// (X-RateLimit-*). A field the server did not send is -1 (zero Reset).
//
// The fields after Reset are the client's own, not the server's: they say
// how the client paces its calls (see the package documentation, "Rate
// limits"). In a Response they describe that call; from Client.RateLimit
// they describe the client.
type RateLimit struct {
	Limit     int
	Remaining int
	Reset     time.Time // when the window resets, server clock

	// Wait is the last time a call was held back before it was sent: for
	// a Response, this call's wait (zero if it did not wait).
	Wait PaceWait
	// Waits counts the calls the client held back so far (Client.RateLimit
	// only).
	Waits int64
	// Share is the part of the key's window this client has been using,
	// from 0 to 1: 1 when it is alone on the key, about 1/n when n
	// processes share the key evenly. The client sends at most this share
	// of what the server says is left (Client.RateLimit only; 1 until the
	// client has seen the key's limit, and with a shared Limiter, which
	// coordinates the fleet instead).
	Share float64
}

// PaceWait describes one wait of a call before it was sent.
type PaceWait struct {
	At     time.Time     // when the wait began (local clock)
	For    time.Duration // how long the call waited in all
	Reason WaitReason    // why it waited (the last reason, when several followed)
}

// WaitReason says why the client held a call back.
type WaitReason string

// The reasons a call waits before it is sent.
const (
	// WaitWindowSpent: the client's share of the window's requests is sent;
	// the call waits for the window's reset (X-RateLimit-Reset).
	WaitWindowSpent WaitReason = "window spent"
	// WaitSpread: the client spreads what is left of the window over the
	// time left, rather than sending it in one burst.
	WaitSpread WaitReason = "spreading the window"
	// WaitServer: the server answered 429 with a Retry-After (or a
	// X-RateLimit-Reset) that names when to come back; every call of the
	// client waits until then.
	WaitServer WaitReason = "server asked to wait (429)"
	// WaitNewWindow: a new window began and the client waits for the first
	// answer in it to learn how much of it the key has left.
	WaitNewWindow WaitReason = "waiting for the new window's first answer"
	// WaitLimiter: the shared Limiter (WithLimiter) held the call back.
	WaitLimiter WaitReason = "shared limiter"
)

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

// RateLimit returns the last rate-limit values the server reported, with
// the client's pacing state (its last wait, how many calls waited, its
// share of the key's window); ok is false before any response carried
// rate-limit headers.
func (c *Client) RateLimit() (rl RateLimit, ok bool) {
	c.limits.mu.Lock()
	defer c.limits.mu.Unlock()
	rl = c.limits.rate
	if !c.limits.seenR {
		rl.Limit, rl.Remaining, ok = -1, -1, false
	} else {
		ok = true
	}
	rl.Wait, rl.Waits, rl.Share = c.limits.last, c.limits.waits, c.limits.shareNow()
	return rl, ok
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
