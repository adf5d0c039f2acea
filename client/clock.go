package client

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// skewThreshold is the smallest clock difference worth correcting. The
// Date header has one-second resolution and arrives after some latency, so
// smaller differences are measurement noise.
const skewThreshold = 2 * time.Second

// maxClockOffset caps the offset the client adopts: a reading further off
// than this is ignored, not clamped, since an answer claiming the year 2100
// says nothing about the real server's clock. A machine whose clock is
// more than an hour off needs its clock fixed.
const maxClockOffset = time.Hour

// agreeingAnswers is how many answers in a row must show the same new
// offset before the client adopts it without a refused signature.
const agreeingAnswers = 3

// skewClock is the local clock corrected by the offset learned from the
// server's answers, so a machine whose clock is minutes off still sends
// X-Api-Timestamp values the server accepts.
//
// Any answer can carry any Date (a proxy, a cache, a hostile server), and
// a wrong offset makes every signed request fail, so the offset moves only
// on evidence: a refused signature (invalid_signature) whose answer shows a
// different clock, or agreeingAnswers answers in a row that agree on a new
// offset. Answers with an Age header come from a cache and teach nothing;
// readings beyond maxClockOffset are ignored.
type skewClock struct {
	now    func() time.Time
	offset atomic.Int64 // server minus local, nanoseconds
	date   atomic.Pointer[parsedDate]

	// A candidate offset and how many answers in a row agreed with it;
	// pending avoids the lock while answers agree with the current offset.
	mu      sync.Mutex
	cand    time.Duration
	candN   int
	pending atomic.Bool
}

// parsedDate caches the last Date header: most answers within a second
// carry the same one.
type parsedDate struct {
	raw string
	t   time.Time
}

// serverNow is the current time on the server's clock, as far as known.
func (k *skewClock) serverNow() time.Time {
	return k.now().Add(k.Offset())
}

// Offset is the learned difference, server minus local.
func (k *skewClock) Offset() time.Duration { return time.Duration(k.offset.Load()) }

// reading returns the offset an answer's Date header shows; ok is false
// for answers without a readable Date and for cached answers (Age).
func (k *skewClock) reading(h http.Header) (time.Duration, bool) {
	if _, cached := h["Age"]; cached {
		return 0, false
	}
	vs := h["Date"]
	if len(vs) == 0 || vs[0] == "" {
		return 0, false
	}
	var t time.Time
	if d := k.date.Load(); d != nil && d.raw == vs[0] {
		t = d.t
	} else {
		var err error
		if t, err = http.ParseTime(vs[0]); err != nil {
			return 0, false
		}
		k.date.Store(&parsedDate{raw: vs[0], t: t})
	}
	return k.measure(t)
}

// measure is the offset that server time t, seen now, shows; ok is false
// beyond the cap.
func (k *skewClock) measure(t time.Time) (time.Duration, bool) {
	if t.IsZero() {
		return 0, false
	}
	m := t.Sub(k.now())
	if m > maxClockOffset || m < -maxClockOffset {
		return 0, false
	}
	return m, true
}

// observe counts an ordinary answer's reading towards a new offset; it
// reports whether the offset changed.
func (k *skewClock) observe(m time.Duration) bool {
	if near(m, k.Offset()) {
		if k.pending.Load() {
			k.mu.Lock()
			k.candN = 0
			k.pending.Store(false)
			k.mu.Unlock()
		}
		return false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.candN > 0 && near(m, k.cand) {
		k.candN++
	} else {
		k.cand, k.candN = m, 1
	}
	k.pending.Store(true)
	if k.candN < agreeingAnswers {
		return false
	}
	k.candN = 0
	k.pending.Store(false)
	k.offset.Store(int64(m))
	return true
}

// prove adopts a reading taken from an answer that refused the request's
// signature; it reports whether the offset changed.
func (k *skewClock) prove(m time.Duration) bool {
	if near(m, k.Offset()) {
		return false
	}
	k.mu.Lock()
	k.candN = 0
	k.pending.Store(false)
	k.mu.Unlock()
	k.offset.Store(int64(m))
	return true
}

// near reports whether two offsets differ by less than skewThreshold.
func near(a, b time.Duration) bool {
	d := a - b
	return d < skewThreshold && d > -skewThreshold
}

// ClockOffset returns the difference between the server's clock and the
// local one, as learned from responses (0 until learned). It is added to
// X-Api-Timestamp. It changes only on evidence: an invalid_signature
// answer whose Date shows another clock, or three answers in a row that
// agree on a new offset; cached answers (with an Age header) and offsets
// over an hour are ignored.
func (c *Client) ClockOffset() time.Duration { return c.clock.Offset() }
