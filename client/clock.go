package client

import (
	"net/http"
	"sync/atomic"
	"time"
)

// skewThreshold is the smallest clock difference worth correcting. The
// Date header has one-second resolution and arrives after some latency, so
// smaller differences are measurement noise.
const skewThreshold = 2 * time.Second

// skewClock is the local clock corrected by the offset learned from the
// server's Date headers and meta.timestamp values, so a machine whose clock
// is minutes off still sends X-Api-Timestamp values the server accepts.
type skewClock struct {
	now    func() time.Time
	offset atomic.Int64 // server minus local, nanoseconds
	date   atomic.Pointer[parsedDate]
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

// learn records the server's time seen now; it reports whether the offset
// changed.
func (k *skewClock) learn(server time.Time) bool {
	if server.IsZero() {
		return false
	}
	measured := server.Sub(k.now())
	cur := k.Offset()
	d := measured - cur
	if d < 0 {
		d = -d
	}
	if d < skewThreshold {
		return false
	}
	k.offset.Store(int64(measured))
	return true
}

// learnDate learns from a response's Date header.
func (k *skewClock) learnDate(h http.Header) bool {
	vs := h["Date"]
	if len(vs) == 0 || vs[0] == "" {
		return false
	}
	if d := k.date.Load(); d != nil && d.raw == vs[0] {
		return k.learn(d.t)
	}
	t, err := http.ParseTime(vs[0])
	if err != nil {
		return false
	}
	k.date.Store(&parsedDate{raw: vs[0], t: t})
	return k.learn(t)
}

// ClockOffset returns the difference between the server's clock and the
// local one, as learned from responses (0 until one arrived). It is added
// to X-Api-Timestamp.
func (c *Client) ClockOffset() time.Duration { return c.clock.Offset() }
