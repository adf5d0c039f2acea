package main

import "time"

// tracked is what the bot knows about one order.
type tracked struct {
	ref     string   // what the status calls and the summary use
	aliases []string // every id the order is known by, to match webhook events

	status string
	final  bool
	via    string // "webhook" or "poll": what told the bot the final status

	events int // verified webhook events about it
	polls  int // status polls sent for it

	started  time.Time
	finished time.Time
	nextPoll time.Time     // no poll before this
	backoff  time.Duration // the wait after the next poll that shows no final status
	polling  bool          // a poll is in flight
	gaveUp   string        // why polling it stopped for good (404, 403...); "" while followed
}

func newTracked(ref string, now time.Time) *tracked {
	return &tracked{ref: ref, aliases: []string{ref}, started: now}
}

// heard records an event: the order is not stale, its polling backoff
// starts over.
func (t *tracked) heard(now time.Time, status string, final bool, stale time.Duration) {
	t.events++
	if status != "" {
		t.status = status
	}
	t.backoff = stale
	t.nextPoll = now.Add(stale)
	if final && !t.final {
		t.final, t.via, t.finished = true, "webhook", now
	}
}

// polled records a status poll's answer and, while the order is not final,
// doubles the wait before the next poll, up to maxWait.
func (t *tracked) polled(now time.Time, status string, final bool, maxWait time.Duration) {
	if t.final {
		return // a webhook said so while the poll was in flight
	}
	t.status = status
	if final {
		t.final, t.via, t.finished = true, "poll", now
		return
	}
	t.nextPoll = now.Add(t.backoff)
	t.backoff = min(2*t.backoff, maxWait)
}

// failed records a poll that got no status: try again after the backoff.
func (t *tracked) failed(now time.Time, maxWait time.Duration) {
	t.nextPoll = now.Add(t.backoff)
	t.backoff = min(2*t.backoff, maxWait)
}

// open reports whether the bot is still waiting for the order.
func (t *tracked) open() bool { return !t.final && t.gaveUp == "" }

// due reports whether the order should be polled now.
func (t *tracked) due(now time.Time) bool {
	return t.open() && !t.polling && !now.Before(t.nextPoll)
}
