package webhook

import (
	"context"
	"errors"
	"hash/maphash"
	"math"
	"time"
)

// Defaults of a MemoryStore.
const (
	DefaultMemoryStoreSize = 100_000
	DefaultMemoryStoreTTL  = 72 * time.Hour
)

// ErrMemoryStoreFull is returned by MemoryStore when it is at its size
// bound and every event it holds is still running: dropping a running
// event's claim would let a redelivery run it a second time, so the store
// refuses the new event instead and the Handler answers 503, which makes
// the sender retry later.
var ErrMemoryStoreFull = errors.New("webhook: memory store is full of running events")

// MemoryStore is a Store for a single process. It keeps at most a fixed
// number of events and forgets done events after a TTL, so it is bounded in
// memory; choose the TTL longer than the sender's retry horizon. Several
// replicas need SQLStore instead.
//
// Events are spread over independently locked shards by a hash of their
// id, so concurrent deliveries of different events rarely wait for one
// another, and every operation costs the same however full the store is:
// events are kept in flat, pointer-free tables that the garbage collector
// does not scan, and a full store reuses the room of the event it drops.
type MemoryStore struct {
	shards   []memoryShard // memory_shard.go
	shift    uint          // a hash's top bits choose its shard
	seed     maphash.Seed
	maxSize  int
	perShard int // maxSize split over the shards
	ttl      time.Duration
	now      func() time.Time // WithMemoryClock's; nil for the default clock

	// The default clock: the store's creation, with its monotonic
	// reading, and as Unix ns (see unixNano).
	born     time.Time
	bornUnix int64

	checkpoints memoryCheckpoints // CatchUp positions (memory_checkpoint.go)
}

// MemoryOption configures a MemoryStore.
type MemoryOption func(*MemoryStore)

// WithMemorySize bounds the number of events kept (default 100,000). When
// full, expired entries are dropped first, then the oldest done events.
// Running events are never dropped: a store full of them refuses new events
// with ErrMemoryStoreFull. A large store splits the bound evenly over its
// shards and applies it per shard.
func WithMemorySize(n int) MemoryOption {
	return func(m *MemoryStore) {
		if n > 0 {
			m.maxSize = n
		}
	}
}

// WithMemoryTTL sets how long a done event is remembered (default 72 hours).
func WithMemoryTTL(d time.Duration) MemoryOption {
	return func(m *MemoryStore) {
		if d > 0 {
			m.ttl = d
		}
	}
}

// WithMemoryClock sets the store's clock, for tests. The default is the
// system clock, read as the monotonic time elapsed since the store was made.
func WithMemoryClock(now func() time.Time) MemoryOption {
	return func(m *MemoryStore) {
		if now != nil {
			m.now = now
		}
	}
}

// Sharding: a shard per 1,024 events of the bound, a power of two up to 64.
// A small store is one shard, so its bound is exact.
const (
	memoryShardMinSize = 1024
	memoryMaxShards    = 64
)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore(opts ...MemoryOption) *MemoryStore {
	m := &MemoryStore{
		seed:    maphash.MakeSeed(),
		maxSize: DefaultMemoryStoreSize,
		ttl:     DefaultMemoryStoreTTL,
		born:    time.Now(),
	}
	m.bornUnix = m.born.UnixNano()
	for _, o := range opts {
		o(m)
	}
	n := 1
	for n < memoryMaxShards && m.maxSize/(2*n) >= memoryShardMinSize {
		n *= 2
	}
	m.shards = make([]memoryShard, n)
	m.shift = 64
	for ; n > 1; n /= 2 {
		m.shift--
	}
	m.perShard = m.maxSize / len(m.shards)
	for i := range m.shards {
		m.shards[i] = newMemoryShard(m.perShard)
	}
	return m
}

// shard returns eventID's hash and shard. The shard is chosen by the
// hash's top bits; the shard's index uses its low bits.
func (m *MemoryStore) shard(eventID string) (uint64, *memoryShard) {
	h := maphash.String(m.seed, eventID)
	if m.shift >= 64 {
		return h, &m.shards[0]
	}
	return h, &m.shards[h>>m.shift]
}

// unixNano returns the time now in Unix ns. The default clock adds the
// monotonic time elapsed since the store was made to its wall time then:
// time.Since takes one clock reading where time.Now takes two, and each
// Claim and Complete reads the clock under its shard's lock. Leases and the
// TTL are spans of time, which the monotonic clock measures even across a
// change of the wall clock.
func (m *MemoryStore) unixNano() int64 {
	if m.now != nil {
		return m.now().UnixNano()
	}
	return m.bornUnix + int64(time.Since(m.born))
}

// Len returns the number of events held, done or in progress.
func (m *MemoryStore) Len() int {
	n := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		n += s.count
		s.mu.Unlock()
	}
	return n
}

// Claim implements Store. It returns ErrMemoryStoreFull when the event is
// new and the store holds nothing but running events.
func (m *MemoryStore) Claim(_ context.Context, eventID, owner string, lease time.Duration) (ClaimState, error) {
	hash, s := m.shard(eventID)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := m.unixNano()
	k := s.find(hash, eventID)
	if k >= 0 {
		e := &s.slots[k]
		switch {
		case e.done && now-e.at < int64(m.ttl):
			return AlreadyDone, nil
		case !e.done && now < e.at:
			return InProgress, nil
		}
		// Expired record or abandoned claim: take it over as a fresh claim.
		s.remove(s.list(k), k)
	} else {
		if !m.makeRoom(s, now) {
			return 0, ErrMemoryStoreFull
		}
		k = s.add(hash, eventID)
	}
	until := now + int64(lease)
	if lease > 0 && until < now { // a lease of centuries: saturate, not wrap
		until = math.MaxInt64
	}
	e := &s.slots[k]
	e.done, e.at = false, until
	s.owners[k] = owner
	s.pushBack(&s.claims, k)
	return Claimed, nil
}

// Complete implements Store.
func (m *MemoryStore) Complete(_ context.Context, eventID, owner string) error {
	hash, s := m.shard(eventID)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := m.unixNano()
	// A done event keeps no owner: only Release of a running claim asks.
	k := s.find(hash, eventID)
	if k >= 0 {
		s.remove(s.list(k), k)
		delete(s.owners, k)
	} else {
		// The claim was lost (its lease ended and it was dropped): record
		// the event anyway, so that it does not run again, even one over
		// the bound if only running claims are left: the event did run.
		m.makeRoom(s, now)
		k = s.add(hash, eventID)
	}
	e := &s.slots[k]
	e.done, e.at = true, now
	s.pushBack(&s.done, k)
	return nil
}

// Release implements Store.
func (m *MemoryStore) Release(_ context.Context, eventID, owner string) error {
	hash, s := m.shard(eventID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if k := s.find(hash, eventID); k >= 0 && s.ownedBy(k, owner) {
		s.drop(&s.claims, k)
	}
	return nil
}

// makeRoom makes room for one entry in s and reports whether there is. It
// drops expired done events and abandoned claims from the fronts of their
// lists, then, if still full, the oldest done events: a bound on memory
// matters more than remembering the oldest events. It never drops a running
// claim, so it reports false when only those are left.
func (m *MemoryStore) makeRoom(s *memoryShard, now int64) bool {
	for k := s.done.head; k >= 0 && now-s.slots[k].at >= int64(m.ttl); k = s.done.head {
		s.drop(&s.done, k)
	}
	// Claims are in claiming order; with the Handler's fixed lease that is
	// also the order in which they expire.
	for k := s.claims.head; k >= 0 && now >= s.slots[k].at; k = s.claims.head {
		s.drop(&s.claims, k)
	}
	for s.count >= m.perShard && s.done.head >= 0 {
		s.drop(&s.done, s.done.head)
	}
	if s.count < m.perShard {
		return true
	}
	// Only running claims are left; one whose lease ended may still sit
	// behind a longer one (leases of different lengths), so look once.
	for k := s.claims.head; k >= 0; k = s.slots[k].next {
		if now >= s.slots[k].at {
			s.drop(&s.claims, k)
			return true
		}
	}
	return false
}
