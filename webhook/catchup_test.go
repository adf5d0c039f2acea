package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

// memLog is an in-memory event log: entries shaped like the API's
// WebhookEvent, listed newest first as the API does, filtered by since.
type memLog struct {
	mu      sync.Mutex
	entries []logEntryT
	sinces  []time.Time
	failAt  int // yield an error after this many entries (0: never)
}

type logEntryT struct {
	id, typ string
	created time.Time
}

func (l *memLog) add(id, typ string, created time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, logEntryT{id, typ, created})
}

func (l *memLog) WebhookEventLog(ctx context.Context, since time.Time) iter.Seq2[json.RawMessage, error] {
	l.mu.Lock()
	l.sinces = append(l.sinces, since)
	entries := append([]logEntryT(nil), l.entries...)
	failAt := l.failAt
	l.mu.Unlock()
	return func(yield func(json.RawMessage, error) bool) {
		n := 0
		for i := len(entries) - 1; i >= 0; i-- {
			e := entries[i]
			if !since.IsZero() && e.created.Before(since.Truncate(time.Second)) {
				continue
			}
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			if failAt > 0 && n == failAt {
				yield(nil, errors.New("event log unavailable"))
				return
			}
			n++
			created := e.created.UTC().Format(time.RFC3339)
			raw := fmt.Sprintf(`{"id":"uuid-%s","type":%q,"status":"failed","request_id":null,"correlation_id":"corr-%s",`+
				`"payload":{"id":%q,"type":%q,"created_at":%q,"data":{"order":{"tracking_id":"TRK-%s","status":"paid","ids":[]}}},`+
				`"deliveries_count":1,"created_at":%q}`, e.id, e.typ, e.id, e.id, e.typ, created, e.id, created)
			if !yield(json.RawMessage(raw), nil) {
				return
			}
		}
	}
}

func (l *memLog) lastSince() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sinces[len(l.sinces)-1]
}

// counter counts business-function runs per event id.
type counter struct {
	mu   sync.Mutex
	runs map[string]int
}

func (c *counter) add(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.runs == nil {
		c.runs = map[string]int{}
	}
	c.runs[id]++
}

func (c *counter) get(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.runs[id]
}

func newCatchUp(t testing.TB, h *webhook.Handler, src webhook.EventLog, opts ...webhook.CatchUpOption) *webhook.CatchUp {
	t.Helper()
	c, err := webhook.NewCatchUp(h, src, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCatchUpRunsMissedEventsOnceBesideLiveDeliveries(t *testing.T) {
	t.Parallel()
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	log := &memLog{}
	for i := 0; i < 20; i++ {
		log.add(fmt.Sprintf("evt_%02d", i), webhook.TypeOrderStatusChanged, base.Add(time.Duration(i)*time.Second))
	}
	var runs counter
	var caught atomic.Int32
	h := newHandler(t, webhook.NewMemoryStore(), func(ctx context.Context, e *webhook.Event) error {
		runs.add(e.ID)
		if e.CaughtUp {
			caught.Add(1)
			if o := e.OrderRef(); o == nil || o.TrackingID != "TRK-"+e.ID {
				t.Errorf("%s: order %+v", e.ID, o)
			}
			var i int
			fmt.Sscanf(e.ID, "evt_%d", &i)
			if e.CorrelationID != "corr-"+e.ID || !e.CreatedAt.Equal(base.Add(time.Duration(i)*time.Second)) {
				t.Errorf("%s: correlation %q created %v", e.ID, e.CorrelationID, e.CreatedAt)
			}
		}
		return nil
	})
	// Five events arrived live before the pass.
	for i := 0; i < 20; i += 4 {
		if rec := deliver(t, h, fmt.Sprintf("evt_%02d", i)); rec.Code != http.StatusOK {
			t.Fatalf("live delivery: %d", rec.Code)
		}
	}
	cu := newCatchUp(t, h, log, webhook.WithCatchUpFrom(base.Add(-time.Minute)))
	res, err := cu.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Listed != 20 || res.Ran != 15 || res.Duplicates != 5 || res.Failed != 0 {
		t.Fatalf("first pass %+v", res)
	}
	if !res.Checkpoint.Equal(base.Add(19 * time.Second)) {
		t.Fatalf("checkpoint %v, want the newest event's created_at %v", res.Checkpoint, base.Add(19*time.Second))
	}
	// A live redelivery after catch-up is a duplicate too.
	if rec := deliver(t, h, "evt_01"); rec.Code != http.StatusOK || rec.Body.String() != "duplicate\n" {
		t.Fatalf("redelivery after catch-up: %d %q", rec.Code, rec.Body)
	}
	res, err = cu.RunOnce(context.Background())
	if err != nil || res.Ran != 0 {
		t.Fatalf("second pass %+v, %v", res, err)
	}
	if got, want := log.lastSince(), base.Add(19*time.Second-webhook.DefaultCatchUpOverlap); !got.Equal(want) {
		t.Fatalf("second pass listed since %v, want checkpoint minus overlap %v", got, want)
	}
	for i := 0; i < 20; i++ {
		if n := runs.get(fmt.Sprintf("evt_%02d", i)); n != 1 {
			t.Errorf("evt_%02d ran %d times", i, n)
		}
	}
	if caught.Load() != 15 {
		t.Fatalf("%d events marked CaughtUp, want 15", caught.Load())
	}
}

func TestCatchUpCheckpointStopsAtAnUnfinishedEvent(t *testing.T) {
	t.Parallel()
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	log := &memLog{}
	for i := 0; i < 10; i++ {
		log.add(fmt.Sprintf("evt_%d", i), webhook.TypeOrderCreated, base.Add(time.Duration(i)*time.Minute))
	}
	var failing atomic.Bool
	failing.Store(true)
	var runs counter
	h := newHandler(t, webhook.NewMemoryStore(), func(ctx context.Context, e *webhook.Event) error {
		if e.ID == "evt_4" && failing.Load() {
			return errors.New("downstream unavailable")
		}
		runs.add(e.ID)
		return nil
	})
	cu := newCatchUp(t, h, log, webhook.WithCatchUpFrom(base), webhook.WithCatchUpOverlap(0))
	res, err := cu.RunOnce(context.Background())
	if err != nil || res.Ran != 9 || res.Failed != 1 {
		t.Fatalf("first pass %+v, %v", res, err)
	}
	if !res.Checkpoint.Equal(base.Add(4 * time.Minute)) {
		t.Fatalf("checkpoint %v moved past the failed event (created %v)", res.Checkpoint, base.Add(4*time.Minute))
	}
	failing.Store(false)
	res, err = cu.RunOnce(context.Background())
	if err != nil || res.Ran != 1 || res.Duplicates != 5 {
		t.Fatalf("second pass %+v, %v", res, err)
	}
	if !res.Checkpoint.Equal(base.Add(9*time.Minute)) || runs.get("evt_4") != 1 {
		t.Fatalf("checkpoint %v, evt_4 ran %d times", res.Checkpoint, runs.get("evt_4"))
	}
}

func TestCatchUpCheckpointIsSharedThroughTheStore(t *testing.T) {
	t.Parallel()
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	log := &memLog{}
	log.add("evt_a", webhook.TypeOrderCreated, base)
	log.add("evt_b", webhook.TypeOrderCreated, base.Add(time.Minute))
	store := webhook.NewMemoryStore()
	h := newHandler(t, store, func(context.Context, *webhook.Event) error { return nil })
	first := newCatchUp(t, h, log, webhook.WithCatchUpFrom(base))
	if _, err := first.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A second replica (or a restarted process) on the same store resumes.
	second := newCatchUp(t, h, log, webhook.WithCatchUpFrom(base.Add(-24*time.Hour)))
	at, ok, err := second.Checkpoint(context.Background())
	if err != nil || !ok || !at.Equal(base.Add(time.Minute)) {
		t.Fatalf("shared checkpoint %v %v %v", at, ok, err)
	}
	if _, err := second.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, want := log.lastSince(), base.Add(time.Minute-webhook.DefaultCatchUpOverlap); !got.Equal(want) {
		t.Fatalf("resumed pass listed since %v, want %v", got, want)
	}
	// A checkpoint never moves back.
	if err := store.SaveCheckpoint(context.Background(), webhook.DefaultCheckpointName, base); err != nil {
		t.Fatal(err)
	}
	if at, _, _ := second.Checkpoint(context.Background()); !at.Equal(base.Add(time.Minute)) {
		t.Fatalf("checkpoint moved back to %v", at)
	}
	// Another name is another position.
	other := newCatchUp(t, h, log, webhook.WithCatchUpName("accounting"))
	if _, ok, _ := other.Checkpoint(context.Background()); ok {
		t.Fatal("a new checkpoint name found a position")
	}
}

func TestCatchUpFirstPassStartsNowUnlessTold(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 23, 10, 0, 0, 0, time.UTC)
	log := &memLog{}
	log.add("evt_old", webhook.TypeOrderCreated, now.Add(-time.Hour))
	var runs counter
	h := newHandler(t, webhook.NewMemoryStore(), func(_ context.Context, e *webhook.Event) error { runs.add(e.ID); return nil })
	cu := newCatchUp(t, h, log, webhook.WithCatchUpClock(func() time.Time { return now }))
	res, err := cu.RunOnce(context.Background())
	if err != nil || res.Listed != 0 || runs.get("evt_old") != 0 {
		t.Fatalf("first pass replayed history: %+v %v", res, err)
	}
	if got := log.lastSince(); !got.Equal(now.Add(-webhook.DefaultCatchUpOverlap)) {
		t.Fatalf("listed since %v", got)
	}
	if at, ok, _ := cu.Checkpoint(context.Background()); !ok || !at.Equal(now) {
		t.Fatalf("first pass did not save its starting point: %v %v", at, ok)
	}
}

func TestCatchUpLogErrorKeepsTheCheckpoint(t *testing.T) {
	t.Parallel()
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	log := &memLog{failAt: 3}
	for i := 0; i < 6; i++ {
		log.add(fmt.Sprintf("evt_%d", i), webhook.TypeOrderCreated, base.Add(time.Duration(i)*time.Second))
	}
	h := newHandler(t, webhook.NewMemoryStore(), func(context.Context, *webhook.Event) error { return nil })
	cu := newCatchUp(t, h, log, webhook.WithCatchUpFrom(base))
	res, err := cu.RunOnce(context.Background())
	if err == nil || res.Ran != 3 {
		t.Fatalf("pass over a failing log: %+v, %v", res, err)
	}
	if _, ok, _ := cu.Checkpoint(context.Background()); ok {
		t.Fatal("an incomplete pass saved a checkpoint")
	}
}

func TestCatchUpTypesFilter(t *testing.T) {
	t.Parallel()
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	log := &memLog{}
	log.add("evt_o", webhook.TypeOrderCreated, base)
	log.add("evt_r", webhook.TypeReviewCreated, base.Add(time.Second))
	var runs counter
	h := newHandler(t, webhook.NewMemoryStore(), func(_ context.Context, e *webhook.Event) error { runs.add(e.ID); return nil })
	cu := newCatchUp(t, h, log, webhook.WithCatchUpFrom(base), webhook.WithCatchUpTypes(webhook.TypeOrderCreated))
	res, err := cu.RunOnce(context.Background())
	if err != nil || res.Ran != 1 || res.Skipped != 1 || runs.get("evt_r") != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	if !res.Checkpoint.Equal(base.Add(time.Second)) {
		t.Fatalf("a passed-over type held the checkpoint: %v", res.Checkpoint)
	}
}

func TestCatchUpRunStopsOnCancelAndTriggers(t *testing.T) {
	t.Parallel()
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	log := &memLog{}
	log.add("evt_0", webhook.TypeOrderCreated, base)
	started := make(chan string, 10)
	h := newHandler(t, webhook.NewMemoryStore(), func(ctx context.Context, e *webhook.Event) error {
		started <- e.ID
		if e.ID == "evt_block" {
			<-ctx.Done() // a business action that honours cancellation
			return ctx.Err()
		}
		return nil
	})
	cu := newCatchUp(t, h, log, webhook.WithCatchUpFrom(base), webhook.WithCatchUpInterval(time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cu.Run(ctx) }()
	if id := <-started; id != "evt_0" {
		t.Fatalf("first pass ran %s", id)
	}
	// On demand: a new event is run at once, not after the hour.
	log.add("evt_block", webhook.TypeOrderCreated, base.Add(time.Second))
	time.Sleep(20 * time.Millisecond)
	cu.Trigger()
	select {
	case id := <-started:
		if id != "evt_block" {
			t.Fatalf("triggered pass ran %s", id)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Trigger did not start a pass")
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop on cancellation")
	}
	// The interrupted event failed, so the checkpoint stays before it.
	if at, _, _ := cu.Checkpoint(context.Background()); !at.Equal(base) {
		t.Fatalf("checkpoint %v moved past the interrupted event", at)
	}
}

func TestNewCatchUpRejectsBadOptions(t *testing.T) {
	t.Parallel()
	h := newHandler(t, webhook.NewMemoryStore(), func(context.Context, *webhook.Event) error { return nil })
	log := &memLog{}
	for name, opt := range map[string]webhook.CatchUpOption{
		"interval": webhook.WithCatchUpInterval(0),
		"overlap":  webhook.WithCatchUpOverlap(-time.Second),
		"name":     webhook.WithCatchUpName(""),
		"types":    webhook.WithCatchUpTypes(),
		"clock":    webhook.WithCatchUpClock(nil),
	} {
		if _, err := webhook.NewCatchUp(h, log, opt); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := webhook.NewCatchUp(nil, log); err == nil {
		t.Error("nil handler accepted")
	}
	if _, err := webhook.NewCatchUp(h, nil); err == nil {
		t.Error("nil log accepted")
	}
}

func TestCatchUpWorkersRunEachEventOnce(t *testing.T) {
	t.Parallel()
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	log := &memLog{}
	for i := 0; i < 250; i++ {
		log.add(fmt.Sprintf("evt_%03d", i), webhook.TypeOrderCreated, base.Add(time.Duration(i)*time.Second))
	}
	var runs counter
	var inFlight, most atomic.Int32
	h := newHandler(t, webhook.NewMemoryStore(), func(_ context.Context, e *webhook.Event) error {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(time.Millisecond)
		runs.add(e.ID)
		return nil
	})
	cu := newCatchUp(t, h, log, webhook.WithCatchUpFrom(base), webhook.WithCatchUpWorkers(8))
	res, err := cu.RunOnce(context.Background())
	if err != nil || res.Ran != 250 {
		t.Fatalf("%+v %v", res, err)
	}
	for i := 0; i < 250; i++ {
		if n := runs.get(fmt.Sprintf("evt_%03d", i)); n != 1 {
			t.Fatalf("evt_%03d ran %d times", i, n)
		}
	}
	if most.Load() < 2 {
		t.Fatalf("at most %d events ran at once with 8 workers", most.Load())
	}
	if !res.Checkpoint.Equal(base.Add(249 * time.Second)) {
		t.Fatalf("checkpoint %v", res.Checkpoint)
	}
}

// plainStore hides MemoryStore's optional interfaces: a Store of the
// caller's own that keeps no checkpoint.
type plainStore struct{ webhook.Store }

func TestCatchUpWithoutCheckpointStoreKeepsItsPositionInMemory(t *testing.T) {
	t.Parallel()
	base := time.Now().Add(-time.Hour).Truncate(time.Second)
	log := &memLog{}
	log.add("evt_a", webhook.TypeOrderCreated, base)
	var runs counter
	h := newHandler(t, plainStore{webhook.NewMemoryStore()}, func(_ context.Context, e *webhook.Event) error { runs.add(e.ID); return nil })
	cu := newCatchUp(t, h, log, webhook.WithCatchUpFrom(base), webhook.WithCatchUpOverlap(0))
	if _, err := cu.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	log.add("evt_b", webhook.TypeOrderCreated, base.Add(time.Minute))
	if res, err := cu.RunOnce(context.Background()); err != nil || res.Ran != 1 || res.Listed != 2 {
		t.Fatalf("second pass %+v %v", res, err)
	}
	if got := log.lastSince(); !got.Equal(base) {
		t.Fatalf("second pass listed since %v, want the first pass's checkpoint %v", got, base)
	}
	if at, ok, _ := cu.Checkpoint(context.Background()); !ok || !at.Equal(base.Add(time.Minute)) {
		t.Fatalf("checkpoint %v %v", at, ok)
	}
	if runs.get("evt_a") != 1 || runs.get("evt_b") != 1 {
		t.Fatalf("runs %v", runs.runs)
	}
}
