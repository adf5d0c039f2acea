package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

// A full store must not make room by dropping a claim that is still
// running: a redelivery of that event would then claim it again and run it
// twice. It refuses the new event instead.
func TestMemoryStoreFullOfRunningClaimsRefuses(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{t: time.Unix(1782190000, 0)}
	m := webhook.NewMemoryStore(webhook.WithMemorySize(2), webhook.WithMemoryClock(clock.now))
	for _, id := range []string{"e1", "e2"} {
		if st, err := m.Claim(ctx, id, "A", time.Minute); st != webhook.Claimed || err != nil {
			t.Fatalf("Claim(%s) = %v, %v", id, st, err)
		}
	}
	if st, err := m.Claim(ctx, "e3", "B", time.Minute); !errors.Is(err, webhook.ErrMemoryStoreFull) {
		t.Fatalf("Claim(e3) in a store full of running claims = %v, %v; want ErrMemoryStoreFull", st, err)
	}
	if st, err := m.Claim(ctx, "e1", "C", time.Minute); st != webhook.InProgress || err != nil {
		t.Fatalf("redelivery of running e1 = %v, %v; want in progress", st, err)
	}

	// A done event makes room: the oldest done event goes first.
	if err := m.Complete(ctx, "e1", "A"); err != nil {
		t.Fatal(err)
	}
	if st, err := m.Claim(ctx, "e3", "B", time.Minute); st != webhook.Claimed || err != nil {
		t.Fatalf("Claim(e3) with a done event to drop = %v, %v", st, err)
	}
	if st, err := m.Claim(ctx, "e2", "C", time.Minute); st != webhook.InProgress || err != nil {
		t.Fatalf("running e2 was dropped: %v, %v", st, err)
	}

	// An abandoned claim (lease over) makes room too.
	clock.advance(2 * time.Minute)
	if st, err := m.Claim(ctx, "e4", "D", time.Minute); st != webhook.Claimed || err != nil {
		t.Fatalf("Claim(e4) after the leases ended = %v, %v", st, err)
	}
	if n := m.Len(); n > 2 {
		t.Fatalf("Len = %d, bound is 2", n)
	}
}

// Through the Handler: while two events run in a store of two, a third is
// answered 503 and a redelivery of a running one is answered 503 without
// running it again.
func TestHandlerRefusesRatherThanEvictRunningEvent(t *testing.T) {
	var runs [3]atomic.Int32
	release := make(chan struct{})
	var started sync.WaitGroup
	started.Add(2)
	h := newHandler(t, webhook.NewMemoryStore(webhook.WithMemorySize(2)), func(_ context.Context, e *webhook.Event) error {
		var n int
		if _, err := fmt.Sscanf(e.ID, "evt_%d", &n); err != nil {
			return err
		}
		if runs[n].Add(1) == 1 && n < 2 {
			started.Done()
			<-release
		}
		return nil
	})
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if rec := deliver(t, h, fmt.Sprintf("evt_%d", i)); rec.Code != http.StatusOK {
				t.Errorf("evt_%d: %d %s", i, rec.Code, rec.Body)
			}
		}()
	}
	started.Wait()
	if rec := deliver(t, h, "evt_2"); rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Errorf("new event in a store full of running ones: %d %s", rec.Code, rec.Body)
	}
	if rec := deliver(t, h, "evt_0"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("redelivery of running evt_0: %d %s", rec.Code, rec.Body)
	}
	close(release)
	wg.Wait()
	if rec := deliver(t, h, "evt_2"); rec.Code != http.StatusOK {
		t.Errorf("evt_2 once there is room: %d %s", rec.Code, rec.Body)
	}
	for i := range runs {
		if n := runs[i].Load(); n != 1 {
			t.Errorf("evt_%d ran %d times, want 1", i, n)
		}
	}
}

// A large store is sharded; the bound still holds over all shards, and
// concurrent claims of one id still give exactly one Claimed.
func TestMemoryStoreShardedBoundAndAtomicity(t *testing.T) {
	ctx := context.Background()
	m := webhook.NewMemoryStore(webhook.WithMemorySize(8192))
	for i := 0; i < 20000; i++ {
		id := fmt.Sprint("e", i)
		if st, err := m.Claim(ctx, id, "o", time.Minute); st != webhook.Claimed || err != nil {
			t.Fatalf("%s: %v %v", id, st, err)
		}
		if err := m.Complete(ctx, id, "o"); err != nil {
			t.Fatal(err)
		}
	}
	if n := m.Len(); n > 8192 || n < 8192/2 {
		t.Fatalf("Len = %d, want at most 8192 and most of it used", n)
	}
	var claimed atomic.Int32
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if st, _ := m.Claim(ctx, "contended", fmt.Sprint("o", g), time.Minute); st == webhook.Claimed {
				claimed.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := claimed.Load(); n != 1 {
		t.Fatalf("%d concurrent claims succeeded, want 1", n)
	}
}

// Complete records an event whose claim was dropped even when the store is
// full of running claims: the event ran, and forgetting it would let a
// redelivery run it again.
func TestMemoryStoreCompleteRecordsEvenWhenFull(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{t: time.Unix(1782190000, 0)}
	m := webhook.NewMemoryStore(webhook.WithMemorySize(2), webhook.WithMemoryClock(clock.now))
	m.Claim(ctx, "slow", "A", time.Second)
	clock.advance(2 * time.Second) // slow's lease ends while it still runs
	m.Claim(ctx, "e1", "B", time.Minute)
	m.Claim(ctx, "e2", "C", time.Minute) // drops the abandoned claim of slow
	if err := m.Complete(ctx, "slow", "A"); err != nil {
		t.Fatalf("Complete of a dropped claim in a full store: %v", err)
	}
	if st, err := m.Claim(ctx, "slow", "D", time.Minute); st != webhook.AlreadyDone || err != nil {
		t.Fatalf("redelivery of completed slow = %v, %v; want already done", st, err)
	}
}

// A lease as long as time.Duration allows still protects the claim.
func TestMemoryStoreHugeLease(t *testing.T) {
	ctx := context.Background()
	m := webhook.NewMemoryStore()
	if st, err := m.Claim(ctx, "e", "A", time.Duration(1<<63-1)); st != webhook.Claimed || err != nil {
		t.Fatal(st, err)
	}
	if st, err := m.Claim(ctx, "e", "B", time.Minute); st != webhook.InProgress || err != nil {
		t.Fatalf("claim with a huge lease taken over: %v %v", st, err)
	}
}
