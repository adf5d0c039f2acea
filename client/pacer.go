package client

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// limitTracker keeps the last rate-limit and quota values of a client, and
// paces its requests within the key's rate-limit window (docs/api.md §7).
//
// Four rules keep a client, and a fleet of processes sharing one key, under
// the limit without leaving much of it unused:
//
//   - Count: the client never sends more than its share of what the server
//     says is left (Remaining, less its own requests still in flight).
//   - Share: each process estimates which part of the key's traffic is its
//     own (its answers in a window against the server's count for that
//     window) and takes that part of Remaining, so that n processes
//     reading the same Remaining do not each spend all of it.
//   - Spread: what the client may send is spread over the time left in
//     the window (with a small burst allowance), so no herd of waiters is
//     released at once at the window's reset.
//   - Probe: when a window ends, one request goes first; the others wait
//     for its answer to say what the new window has left (another process
//     may have spent it already).
//
// A 429 adds a fifth: the server said when to come back, and nothing goes
// before then (hold).
type limitTracker struct {
	mu    sync.Mutex
	rate  RateLimit
	quota Quota
	seenR bool
	seenQ bool

	// Pacing state, on the server's clock.
	paced  bool      // a window with Remaining and Reset was seen
	win    time.Time // end of the current window; zero: a new window began and no answer has named its end yet
	minRem int       // the lowest Remaining reported for win: the server's latest count
	limit  int       // the window's size, -1 if never reported
	rolled time.Time // when the last window ended (reserve noticed it)
	hold   time.Time // nothing is sent before this: a 429 named it
	tat    time.Time // when the next request is due if the window is spread evenly
	// outstanding counts requests sent and not answered yet. The server's
	// Remaining does not include them, and any of them may still land in
	// the current window, even one sent in the previous window.
	outstanding int
	// epoch numbers the windows as reserve sees them end; probing counts
	// the requests sent in the current epoch while no answer named its
	// window.
	epoch   int
	probing int

	// Share estimate: own counts this client's answers counted in win;
	// share is the estimate carried over from the windows before.
	own   int
	share float64
	fleet bool // estimate a share; false when a shared Limiter coordinates the fleet

	// What the pacer made calls wait.
	last  PaceWait
	waits int64
}

// Pacing constants. pollAnswer is how often a caller waiting for an answer
// to name the new window looks again; unknownWindow is how long it waits
// for one before pacing is dropped until the next answer. recheck bounds a
// wait for the window's end, so that a caller sees a share that answers
// have freed since. burstPart is the part of the time left whose worth of
// requests may go at once. minShare bounds the share estimate from below.
const (
	pollAnswer    = 10 * time.Millisecond
	unknownWindow = time.Second
	recheck       = 50 * time.Millisecond
	burstPart     = 10
	spreadPart    = 80 // percent of the time left that the allowance is spread over
	minShare      = 1.0 / 256
)

func newLimitTracker(fleet bool) *limitTracker {
	return &limitTracker{limit: -1, share: 1, fleet: fleet}
}

// shareWeight is how many requests of the key the estimate carried over
// from earlier windows weighs, against those of the current window.
func (t *limitTracker) shareWeight() float64 {
	return float64(max(4, t.limit/10))
}

// shareNow is the client's estimated share of the key's window: its own
// answers counted in the current window against the server's count for
// it, blended with the estimate carried over (which weighs shareWeight
// requests), so that the first answers of a window do not swing it.
// Callers hold t.mu.
func (t *limitTracker) shareNow() float64 {
	if !t.fleet || t.limit <= 0 {
		return 1
	}
	used, mine := 0, 0
	if !t.win.IsZero() {
		used = max(t.limit-t.minRem, t.own)
		// The server may have counted requests of this client whose
		// answers are still on their way (or come after the window ends):
		// they are its own too.
		mine = min(t.own+t.outstanding, used)
	}
	w := t.shareWeight()
	return min(max((t.share*w+float64(mine))/(w+float64(used)), minShare), 1)
}

// fold carries the share measured in the window that ends into the
// estimate, and starts counting afresh. Callers hold t.mu.
func (t *limitTracker) fold() {
	if !t.win.IsZero() {
		t.share = t.shareNow()
	}
	t.own = 0
}

// record keeps an answer's values; now is the server's current time.
// limited is set for a 429: its Remaining (0) counts, but no request of
// this client was counted by the server.
func (t *limitTracker) record(rl RateLimit, rok bool, q Quota, qok bool, now time.Time, limited bool) {
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
	t.rate.Limit, t.rate.Remaining, t.rate.Reset, t.seenR = rl.Limit, rl.Remaining, rl.Reset, true
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
		t.fold()
		t.win, t.minRem, t.paced = rl.Reset, rl.Remaining, true
	}
	if !limited {
		t.own++
	}
}

// holdUntil keeps every request back until until (server clock): a 429
// said when to come back.
func (t *limitTracker) holdUntil(until time.Time) {
	t.mu.Lock()
	if until.After(t.hold) {
		t.hold = until
	}
	t.mu.Unlock()
}

// sent counts a request that goes out although the pacer would have held
// it (its caller cannot wait that long); answered counts an answer (or a
// failure) of a request of epoch.
func (t *limitTracker) sent() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.outstanding++
	return t.epoch
}

func (t *limitTracker) answered(epoch int) {
	t.mu.Lock()
	if t.outstanding > 0 {
		t.outstanding--
	}
	if epoch == t.epoch && t.probing > 0 {
		t.probing--
	}
	t.mu.Unlock()
}

// reserve takes one request from the current window. It returns 0 when
// the request may go now (it is then counted as sent, in epoch), else how
// long to wait before asking again and why.
func (t *limitTracker) reserve(now time.Time) (wait time.Duration, why WaitReason, epoch int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if now.Before(t.hold) {
		return t.hold.Sub(now), WaitServer, 0
	}
	if !t.paced {
		t.outstanding++
		return 0, "", t.epoch
	}
	if !t.win.IsZero() && !now.Before(t.win) {
		// The window is over. What the next one has left is learned from
		// the first answer in it: another process may have spent it.
		t.fold()
		t.win, t.rolled, t.tat = time.Time{}, now, time.Time{}
		t.epoch++
		t.probing = 0
	}
	if t.win.IsZero() {
		switch {
		case t.probing == 0:
			t.probing++
		case now.Sub(t.rolled) > unknownWindow:
			// No answer named the new window: stop pacing until one does.
			t.paced = false
		default:
			return pollAnswer, WaitNewWindow, 0
		}
		t.outstanding++
		return 0, "", t.epoch
	}
	left := t.win.Sub(now)
	// This client's part of what is left, less its requests in flight.
	allowance := int(float64(t.minRem)*t.shareNow()) - t.outstanding
	if allowance <= 0 {
		return min(left, recheck), WaitWindowSpent, 0
	}
	// Spread the allowance over the time left: a request is due every
	// gap, and up to a tenth of the time left may be sent ahead. The
	// schedule ends before the window does (spreadPart), so that callers
	// woken late on a busy machine do not miss the window's last requests.
	gap := left * spreadPart / 100 / time.Duration(allowance)
	if ahead := t.tat.Sub(now); ahead > left/burstPart {
		return ahead - left/burstPart, WaitSpread, 0
	}
	if t.tat.Before(now) {
		t.tat = now
	}
	t.tat = t.tat.Add(gap)
	t.outstanding++
	return 0, "", t.epoch
}

// waited notes a wait a call took before it was sent.
func (t *limitTracker) waited(w PaceWait) {
	t.mu.Lock()
	t.last = w
	t.waits++
	t.mu.Unlock()
}

// pace holds a request back while the pacer (and the shared Limiter, if
// any) says so: the client's share of the window is spent, the window's
// rest is being spread, a new window's first answer is awaited, or a 429
// said when to come back. A wait longer than MaxRetryAfter or past ctx's
// deadline is not taken: the request goes out and the server decides.
// When pace returns nil the request is counted as sent in the returned
// epoch; the caller reports its answer with limits.answered. public calls
// are not counted against the key's window and are not paced.
func (c *Client) pace(ctx context.Context, st *callState) (epoch int, err error) {
	var (
		began  time.Time
		total  time.Duration
		reason WaitReason
	)
	defer func() {
		if total > 0 {
			w := PaceWait{At: began, For: total, Reason: reason}
			st.paceWait = w
			c.limits.waited(w)
		}
	}()
	for {
		wait, why, ep := c.limits.reserve(c.clock.serverNow())
		if wait <= 0 && c.limiter != nil {
			lw, lerr := c.limiter.Reserve(ctx)
			switch {
			case lerr != nil && ctx.Err() != nil:
				c.limits.answered(ep)
				return 0, ctx.Err()
			case lerr != nil:
				// A limiter that cannot answer (its database is down) must
				// not stop the client: the local pacer still holds.
				c.logger.LogAttrs(ctx, slog.LevelWarn, "client: shared rate limiter failed, pacing locally",
					slog.String("error", lerr.Error()))
			case lw > 0:
				c.limits.answered(ep)
				wait, why = lw, WaitLimiter
			}
		}
		if wait <= 0 {
			return ep, nil
		}
		if dl, ok := ctx.Deadline(); wait > c.retry.MaxRetryAfter || (ok && time.Until(dl) < wait) {
			return c.limits.sent(), nil
		}
		if why != reason {
			reason = why
			if began.IsZero() {
				began = time.Now()
			}
			rl, _ := c.RateLimit()
			c.logger.LogAttrs(ctx, slog.LevelDebug, "client: waiting for the rate limit",
				slog.String("method", st.cl.method), slog.String("path", st.cl.path),
				slog.String("reason", string(why)), slog.Duration("wait", wait),
				slog.Int("remaining", rl.Remaining), slog.Time("reset", rl.Reset), slog.Float64("share", rl.Share))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			total = time.Since(began)
			return 0, ctx.Err()
		case <-t.C:
		}
		total = time.Since(began)
	}
}
