package webhook_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// storeContract runs the behaviour every Store must have.
func storeContract(t *testing.T, s webhook.Store, clock *fakeClock) {
	ctx := context.Background()
	claim := func(id, owner string, want webhook.ClaimState) {
		t.Helper()
		got, err := s.Claim(ctx, id, owner, time.Minute)
		if err != nil || got != want {
			t.Fatalf("Claim(%s, %s) = %v, %v; want %v", id, owner, got, err, want)
		}
	}
	claim("e1", "A", webhook.Claimed)
	claim("e1", "B", webhook.InProgress)
	if err := s.Release(ctx, "e1", "B"); err != nil { // not B's claim: no effect
		t.Fatal(err)
	}
	claim("e1", "B", webhook.InProgress)
	if err := s.Release(ctx, "e1", "A"); err != nil {
		t.Fatal(err)
	}
	claim("e1", "B", webhook.Claimed)
	if err := s.Complete(ctx, "e1", "B"); err != nil {
		t.Fatal(err)
	}
	claim("e1", "C", webhook.AlreadyDone)
	if err := s.Release(ctx, "e1", "B"); err != nil { // a done record stays
		t.Fatal(err)
	}
	claim("e1", "C", webhook.AlreadyDone)

	// A crashed holder's claim is taken over after its lease.
	claim("e2", "A", webhook.Claimed)
	clock.advance(59 * time.Second)
	claim("e2", "B", webhook.InProgress)
	clock.advance(2 * time.Second)
	claim("e2", "B", webhook.Claimed)
	if err := s.Release(ctx, "e2", "A"); err != nil { // the old holder wakes up and fails
		t.Fatal(err)
	}
	claim("e2", "C", webhook.InProgress) // B's claim survived
}

func TestMemoryStoreContract(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1782190000, 0)}
	storeContract(t, webhook.NewMemoryStore(webhook.WithMemoryClock(clock.now)), clock)
}

func TestMemoryStoreTTLAndBound(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{t: time.Unix(1782190000, 0)}
	m := webhook.NewMemoryStore(webhook.WithMemoryClock(clock.now), webhook.WithMemoryTTL(time.Hour), webhook.WithMemorySize(100))
	for i := 0; i < 1000; i++ {
		id := fmt.Sprint("e", i)
		if st, _ := m.Claim(ctx, id, "o", time.Minute); st != webhook.Claimed {
			t.Fatalf("%s: %v", id, st)
		}
		_ = m.Complete(ctx, id, "o")
	}
	if n := m.Len(); n > 100 {
		t.Fatalf("Len = %d, bound is 100", n)
	}
	if st, _ := m.Claim(ctx, "e999", "o", time.Minute); st != webhook.AlreadyDone {
		t.Fatalf("recent event forgotten: %v", st)
	}
	clock.advance(time.Hour)
	if st, _ := m.Claim(ctx, "e999", "o", time.Minute); st != webhook.Claimed {
		t.Fatalf("expired event still remembered: %v", st)
	}
}

// The default clock (monotonic time since the store was made) ends leases
// and done events when their time is up, and not before. Only lower bounds
// are checked: a slow machine may wait longer, never less.
func TestMemoryStoreDefaultClock(t *testing.T) {
	ctx := context.Background()
	m := webhook.NewMemoryStore(webhook.WithMemoryTTL(time.Hour))
	claim := func(id, owner string, lease time.Duration, want webhook.ClaimState) {
		t.Helper()
		if got, err := m.Claim(ctx, id, owner, lease); err != nil || got != want {
			t.Fatalf("Claim(%s, %s) = %v, %v; want %v", id, owner, got, err, want)
		}
	}
	claim("long", "A", time.Hour, webhook.Claimed)
	claim("short", "A", time.Millisecond, webhook.Claimed)
	time.Sleep(20 * time.Millisecond)
	claim("long", "B", time.Hour, webhook.InProgress) // an hour has not passed
	claim("short", "B", time.Hour, webhook.Claimed)   // A's lease ended: taken over
	if err := m.Complete(ctx, "short", "B"); err != nil {
		t.Fatal(err)
	}
	claim("short", "C", time.Hour, webhook.AlreadyDone) // within the TTL

	short := webhook.NewMemoryStore(webhook.WithMemoryTTL(time.Millisecond))
	if st, err := short.Claim(ctx, "e", "A", time.Hour); st != webhook.Claimed || err != nil {
		t.Fatal(st, err)
	}
	if err := short.Complete(ctx, "e", "A"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	if st, err := short.Claim(ctx, "e", "B", time.Hour); st != webhook.Claimed || err != nil {
		t.Fatalf("a done event past its TTL: %v, %v; want Claimed", st, err)
	}
}
