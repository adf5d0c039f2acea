package webhook

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// DoneFilter is the optional side of a Store that tells, in one call, which
// of a batch of event ids are done. CatchUp uses it to pass over the events
// it lists again (the overlap, or everything after an unfinished event)
// without claiming each one. SQLStore implements it.
type DoneFilter interface {
	// DoneEvents returns the ids among ids that are recorded as done.
	DoneEvents(ctx context.Context, ids []string) (map[string]bool, error)
}

// passBatch is how many log entries a pass collects before it runs them:
// one page of the API's list at its largest.
const passBatch = 100

// pass is the state of one CatchUp.RunOnce: the batch in hand and what the
// checkpoint may become.
type pass struct {
	c     *CatchUp
	res   *CatchUpResult
	batch []*Event

	mu         sync.Mutex // guards res and the fields below while workers run
	newest     time.Time  // latest created_at seen
	oldestOpen time.Time  // earliest created_at of an event not done
	open       bool
}

// add decodes one log entry into the batch and reports whether the batch is
// full.
func (p *pass) add(raw json.RawMessage) bool {
	p.res.Listed++
	ev, err := EventFromLog(raw)
	if err != nil {
		p.res.Invalid++
		p.c.h.log.Error("webhook: catch-up: skipping an unreadable log entry", "err", err)
		return false
	}
	if ev.CreatedAt.After(p.newest) {
		p.newest = ev.CreatedAt
	}
	if p.c.types != nil && !p.c.types[ev.Type] {
		p.res.Skipped++
		return false
	}
	p.batch = append(p.batch, ev)
	return len(p.batch) >= passBatch
}

// flush runs the batch: events already done are counted and passed over,
// the others go through the Handler's exactly-once path.
func (p *pass) flush(ctx context.Context) {
	batch := p.batch
	p.batch = nil
	if len(batch) == 0 || ctx.Err() != nil {
		p.holdAll(batch)
		return
	}
	if p.c.done != nil {
		ids := make([]string, len(batch))
		for i, ev := range batch {
			ids[i] = ev.ID
		}
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.c.h.storeTimeout)
		done, err := p.c.done.DoneEvents(sctx, ids)
		cancel()
		if err != nil {
			// Not fatal: Claim answers the same question one event at a time.
			p.c.h.log.Warn("webhook: catch-up: done lookup failed; claiming each event", "err", err)
		} else {
			kept := batch[:0]
			for _, ev := range batch {
				if done[ev.ID] {
					p.res.Duplicates++
					continue
				}
				kept = append(kept, ev)
			}
			batch = kept
		}
	}
	if p.c.workers <= 1 {
		for i, ev := range batch {
			if ctx.Err() != nil {
				p.holdAll(batch[i:])
				return
			}
			p.run(ctx, ev)
		}
		return
	}
	sem := make(chan struct{}, p.c.workers)
	var wg sync.WaitGroup
	for i, ev := range batch {
		if ctx.Err() != nil {
			p.holdAll(batch[i:])
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			p.run(ctx, ev)
		}()
	}
	wg.Wait()
}

// run sends one event through the Handler and records the outcome.
func (p *pass) run(ctx context.Context, ev *Event) {
	out, _ := p.c.h.process(ctx, ev)
	p.mu.Lock()
	defer p.mu.Unlock()
	switch out {
	case outcomeRan:
		p.res.Ran++
		return
	case outcomeDuplicate:
		p.res.Duplicates++
		return
	case outcomeBusy:
		p.res.Busy++
	default:
		p.res.Failed++
	}
	p.hold(ev)
}

// holdAll keeps the checkpoint before events that were not run (the pass
// was cancelled).
func (p *pass) holdAll(evs []*Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, ev := range evs {
		p.hold(ev)
	}
}

// hold keeps the checkpoint at or before ev, which is not done. Called with
// p.mu held.
func (p *pass) hold(ev *Event) {
	if ev.CreatedAt.IsZero() {
		p.c.h.log.Warn("webhook: catch-up: an unfinished event has no created_at; only the overlap can bring it back", "event_id", ev.ID)
		return
	}
	if !p.open || ev.CreatedAt.Before(p.oldestOpen) {
		p.oldestOpen, p.open = ev.CreatedAt, true
	}
}
