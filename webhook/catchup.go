package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"sync"
	"time"
)

// EventLog is where CatchUp reads the events it may have missed: the API's
// log of emitted events (GET /private/webhooks/events, docs/api.md §5 and
// §8). *client.Client satisfies it; tests can use any function-backed type.
//
// WebhookEventLog yields every event created at or after since (all of them
// for a zero since), in any order, each as the raw JSON of one list entry
// ({"id","type","payload":{...},"created_at",...}), stopping after the first
// error, which it yields. It must honour ctx.
type EventLog interface {
	WebhookEventLog(ctx context.Context, since time.Time) iter.Seq2[json.RawMessage, error]
}

// EventLogFunc adapts a function to EventLog, as http.HandlerFunc does for
// handlers: for tests, or an event log kept elsewhere.
type EventLogFunc func(ctx context.Context, since time.Time) iter.Seq2[json.RawMessage, error]

// WebhookEventLog calls f.
func (f EventLogFunc) WebhookEventLog(ctx context.Context, since time.Time) iter.Seq2[json.RawMessage, error] {
	return f(ctx, since)
}

// Defaults of a CatchUp.
const (
	DefaultCatchUpInterval = time.Minute
	DefaultCatchUpOverlap  = 2 * time.Minute
	DefaultCheckpointName  = "default"
)

// CatchUp runs the events of the API's event log that the receiver has not
// completed, through the same exactly-once path as live deliveries: the
// Handler's Store, lease and business function, with the event id as the
// key. An event delivered live and fetched by catch-up at the same moment
// runs once; whichever comes second is a duplicate (or waits for the first
// one's lease).
//
// Events fetched from the API are authenticated by the API call itself (the
// client's Bearer token and HMAC request signature over TLS), not by a
// webhook signature: there is no delivery to verify, so the freshness window
// does not apply, and an event refused live as stale is still run here.
//
// Position: a checkpoint, a created_at time on the server's clock before
// which every event has been seen done. Each pass lists the events created
// since the checkpoint minus an overlap (for events the server commits
// late), runs the ones not done, and moves the checkpoint to the newest
// event seen, but never past an event that failed or is still running
// elsewhere, so such an event is listed again by the next pass. The
// checkpoint lives in the Store when it implements CheckpointStore
// (MemoryStore and SQLStore do), so replicas share it and a restart resumes.
//
// An event whose business function keeps failing holds the checkpoint at its
// created_at, so every pass lists from there again (done events cost little,
// see below) and retries it: the failure is logged on each pass until its
// cause is fixed. SQLStore.Purge keeps the done records such a pass lists
// again; MemoryStore forgets done events after its TTL (WithMemoryTTL), so
// keep catch-up's reach (WithCatchUpFrom, a held checkpoint) within it.
//
// Pacing is the client's: its rate limiting and Retry-After handling apply
// to every page fetched. Events of one pass run one after the other unless
// WithCatchUpWorkers says otherwise. With a Store that implements
// DoneFilter (SQLStore does), events already done cost one query per batch
// of entries instead of a claim each.
type CatchUp struct {
	h        *Handler
	src      EventLog
	interval time.Duration
	overlap  time.Duration
	from     time.Time
	name     string
	types    map[string]bool
	now      func() time.Time

	workers int

	cps     CheckpointStore // nil: the position lives in local below
	done    DoneFilter      // nil: every listed event is claimed
	local   time.Time
	hasLoc  bool
	passMu  sync.Mutex // one pass at a time in this process
	trigger chan struct{}
}

// CatchUpOption configures a CatchUp.
type CatchUpOption func(*CatchUp) error

// WithCatchUpInterval sets the time between the passes of Run (default one
// minute).
func WithCatchUpInterval(d time.Duration) CatchUpOption {
	return func(c *CatchUp) error {
		if d <= 0 {
			return fmt.Errorf("webhook: catch-up interval must be positive, got %v", d)
		}
		c.interval = d
		return nil
	}
}

// WithCatchUpOverlap sets how far before the checkpoint each pass starts
// listing (default two minutes): it covers events the server records with
// a created_at slightly older than events already seen. Events seen twice
// cost one store lookup each.
func WithCatchUpOverlap(d time.Duration) CatchUpOption {
	return func(c *CatchUp) error {
		if d < 0 {
			return fmt.Errorf("webhook: catch-up overlap must not be negative, got %v", d)
		}
		c.overlap = d
		return nil
	}
}

// WithCatchUpFrom sets where the first pass starts when no checkpoint is
// stored yet (default: the time of that pass, minus the overlap, so a new
// receiver does not replay the whole history). Give an earlier time to
// backfill; once a checkpoint exists, it wins.
func WithCatchUpFrom(t time.Time) CatchUpOption {
	return func(c *CatchUp) error {
		c.from = t
		return nil
	}
}

// WithCatchUpName names the checkpoint (default "default"), for several
// independent catch-ups sharing one store (at most MaxCheckpointNameLength
// bytes).
func WithCatchUpName(name string) CatchUpOption {
	return func(c *CatchUp) error {
		if name == "" || len(name) > MaxCheckpointNameLength {
			return fmt.Errorf("webhook: checkpoint name must be 1 to %d bytes", MaxCheckpointNameLength)
		}
		c.name = name
		return nil
	}
}

// WithCatchUpTypes runs only events of these types (as the webhook endpoint
// subscribes to them); others in the log, for example those meant for
// another endpoint of the same account, are passed over. Default: all.
func WithCatchUpTypes(types ...string) CatchUpOption {
	return func(c *CatchUp) error {
		if len(types) == 0 {
			return errors.New("webhook: WithCatchUpTypes needs at least one type")
		}
		c.types = make(map[string]bool, len(types))
		for _, t := range types {
			if t == "*" {
				c.types = nil
				return nil
			}
			c.types[t] = true
		}
		return nil
	}
}

// WithCatchUpWorkers sets how many events of a pass run at once (default
// 1, one after the other). More workers catch up a long backlog faster
// when the business function waits on I/O; events then run out of order.
func WithCatchUpWorkers(n int) CatchUpOption {
	return func(c *CatchUp) error {
		if n < 1 || n > 256 {
			return fmt.Errorf("webhook: catch-up workers must be 1 to 256, got %d", n)
		}
		c.workers = n
		return nil
	}
}

// WithCatchUpClock sets the clock that places the first checkpoint (default
// time.Now), for tests.
func WithCatchUpClock(now func() time.Time) CatchUpOption {
	return func(c *CatchUp) error {
		if now == nil {
			return errors.New("webhook: nil clock")
		}
		c.now = now
		return nil
	}
}

// NewCatchUp returns a CatchUp that runs events from src through h.
func NewCatchUp(h *Handler, src EventLog, opts ...CatchUpOption) (*CatchUp, error) {
	if h == nil || src == nil {
		return nil, errors.New("webhook: NewCatchUp needs a handler and an event log")
	}
	c := &CatchUp{
		h: h, src: src,
		interval: DefaultCatchUpInterval, overlap: DefaultCatchUpOverlap, name: DefaultCheckpointName,
		now: time.Now, trigger: make(chan struct{}, 1), workers: 1,
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	c.cps, _ = h.store.(CheckpointStore)
	c.done, _ = h.store.(DoneFilter)
	return c, nil
}

// CatchUpResult counts what one pass did.
type CatchUpResult struct {
	Listed     int       // log entries read
	Ran        int       // events whose business function ran now
	Duplicates int       // events already done (delivered live, or by a replica)
	Busy       int       // events running elsewhere right now
	Failed     int       // business function or store failures
	Skipped    int       // types not selected by WithCatchUpTypes
	Invalid    int       // entries that are not events (see ErrBadLogEvent)
	Checkpoint time.Time // the checkpoint after the pass
}

// Run catches up once at once, then every interval and whenever Trigger is
// called, until ctx is done; it then returns ctx's error. A failed pass (the
// API unreachable, say) is logged and retried at the next interval. The
// event in hand when ctx ends gets the cancelled ctx; if its function fails
// because of that, its claim is released and a later pass runs it.
func (c *CatchUp) Run(ctx context.Context) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		case <-c.trigger:
			timer.Stop() // Go 1.23 timers: no stale tick can follow
		}
		res, err := c.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			c.h.log.Warn("webhook: catch-up pass failed", "err", err, "ran", res.Ran, "failed", res.Failed)
		} else if res.Ran > 0 || res.Failed > 0 {
			c.h.log.Info("webhook: catch-up pass", "listed", res.Listed, "ran", res.Ran, "failed", res.Failed,
				"busy", res.Busy, "checkpoint", res.Checkpoint)
		}
		timer.Reset(c.interval)
	}
}

// Trigger asks a running Run for a pass now, without waiting for it (for
// example when an operator knows deliveries were lost). It never blocks.
func (c *CatchUp) Trigger() {
	select {
	case c.trigger <- struct{}{}:
	default:
	}
}

// RunOnce makes one pass now and returns what it did. An error means the
// log could not be read to its end (or ctx ended): the checkpoint stays,
// and the events run so far are recorded as usual.
func (c *CatchUp) RunOnce(ctx context.Context) (CatchUpResult, error) {
	c.passMu.Lock()
	defer c.passMu.Unlock()
	var res CatchUpResult
	from, stored, err := c.loadCheckpoint(ctx)
	if err != nil {
		return res, err
	}
	res.Checkpoint = from

	p := &pass{c: c, res: &res}
	for raw, err := range c.src.WebhookEventLog(ctx, from.Add(-c.overlap)) {
		if err != nil {
			p.flush(ctx) // what was read still runs
			return res, fmt.Errorf("webhook: catch-up: read event log: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if p.add(raw) {
			p.flush(ctx)
		}
	}
	p.flush(ctx)
	if err := ctx.Err(); err != nil {
		return res, err
	}
	newest, oldestOpen, open := p.newest, p.oldestOpen, p.open

	next := from
	if newest.After(next) {
		next = newest
	}
	if open && oldestOpen.Before(next) {
		next = oldestOpen
	}
	if next.After(from) || !stored {
		if err := c.saveCheckpoint(ctx, next); err != nil {
			return res, err
		}
	}
	if next.After(res.Checkpoint) {
		res.Checkpoint = next
	}
	return res, nil
}

// Checkpoint returns the stored position: every event created before it has
// been seen done. ok is false before the first pass saved one.
func (c *CatchUp) Checkpoint(ctx context.Context) (at time.Time, ok bool, err error) {
	if c.cps == nil {
		c.passMu.Lock()
		defer c.passMu.Unlock()
		return c.local, c.hasLoc, nil
	}
	return c.loadStored(ctx)
}

// loadCheckpoint returns where this pass starts and whether that position
// was stored (false: the first pass ever, starting at WithCatchUpFrom or
// now).
func (c *CatchUp) loadCheckpoint(ctx context.Context) (time.Time, bool, error) {
	if c.cps == nil {
		if c.hasLoc {
			return c.local, true, nil
		}
	} else {
		at, ok, err := c.loadStored(ctx)
		if err != nil || ok {
			return at, ok, err
		}
	}
	if !c.from.IsZero() {
		return c.from.UTC(), false, nil
	}
	return c.now().UTC(), false, nil
}

func (c *CatchUp) loadStored(ctx context.Context) (time.Time, bool, error) {
	sctx, cancel := context.WithTimeout(ctx, c.h.storeTimeout)
	defer cancel()
	at, ok, err := c.cps.LoadCheckpoint(sctx, c.name)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("webhook: catch-up: %w", err)
	}
	return at, ok, nil
}

func (c *CatchUp) saveCheckpoint(ctx context.Context, at time.Time) error {
	if c.cps == nil {
		if !c.hasLoc || at.After(c.local) {
			c.local, c.hasLoc = at, true
		}
		return nil
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.h.storeTimeout)
	defer cancel()
	if err := c.cps.SaveCheckpoint(sctx, c.name, at); err != nil {
		return fmt.Errorf("webhook: catch-up: %w", err)
	}
	return nil
}
