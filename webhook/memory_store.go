package webhook

import (
	"context"
	"errors"
	"hash/maphash"
	"math"
	"sync"
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
// another, and every operation costs the same however full the store is.
type MemoryStore struct {
	shards   []memoryShard
	mask     uint64
	seed     maphash.Seed
	maxSize  int
	perShard int // maxSize split over the shards
	ttl      time.Duration
	now      func() time.Time

	checkpoints memoryCheckpoints // CatchUp positions (memory_checkpoint.go)
}

// memoryShard holds a part of the events under its own lock. Within it,
// running claims and done events are kept in two lists, oldest first, so
// that making room never walks past a running claim.
type memoryShard struct {
	mu      sync.Mutex
	entries map[string]*memoryEntry
	claims  memoryList // not done; oldest claim first
	done    memoryList // done; oldest completion first
	// Shards sit next to one another in a slice: padding keeps two locks
	// off one cache line, or cores would still contend for it.
	_ [64]byte
}

type memoryEntry struct {
	id         string
	owner      string
	done       bool
	leaseUntil int64 // Unix nanoseconds, while running
	doneAt     int64 // Unix nanoseconds, once done
	prev, next *memoryEntry
}

// memoryList is an intrusive doubly linked list: no allocation besides the
// entry itself.
type memoryList struct {
	head, tail *memoryEntry
}

func (l *memoryList) pushBack(e *memoryEntry) {
	e.prev, e.next = l.tail, nil
	if l.tail != nil {
		l.tail.next = e
	} else {
		l.head = e
	}
	l.tail = e
}

func (l *memoryList) remove(e *memoryEntry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		l.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		l.tail = e.prev
	}
	e.prev, e.next = nil, nil
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

// WithMemoryClock sets the store's clock (default time.Now), for tests.
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
		now:     time.Now,
	}
	for _, o := range opts {
		o(m)
	}
	n := 1
	for n < memoryMaxShards && m.maxSize/(2*n) >= memoryShardMinSize {
		n *= 2
	}
	m.shards = make([]memoryShard, n)
	m.mask = uint64(n - 1)
	m.perShard = m.maxSize / n
	for i := range m.shards {
		m.shards[i].entries = make(map[string]*memoryEntry)
	}
	return m
}

func (m *MemoryStore) shard(eventID string) *memoryShard {
	if m.mask == 0 {
		return &m.shards[0]
	}
	return &m.shards[maphash.String(m.seed, eventID)&m.mask]
}

// Len returns the number of events held, done or in progress.
func (m *MemoryStore) Len() int {
	n := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		n += len(s.entries)
		s.mu.Unlock()
	}
	return n
}

// Claim implements Store. It returns ErrMemoryStoreFull when the event is
// new and the store holds nothing but running events.
func (m *MemoryStore) Claim(_ context.Context, eventID, owner string, lease time.Duration) (ClaimState, error) {
	s := m.shard(eventID)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := m.now().UnixNano()
	e, ok := s.entries[eventID]
	if ok {
		switch {
		case e.done && now-e.doneAt < int64(m.ttl):
			return AlreadyDone, nil
		case !e.done && now < e.leaseUntil:
			return InProgress, nil
		}
		// Expired record or abandoned claim: take it over as a fresh claim.
		s.list(e).remove(e)
	} else {
		if !m.makeRoom(s, now) {
			return 0, ErrMemoryStoreFull
		}
		e = &memoryEntry{id: eventID}
		s.entries[eventID] = e
	}
	until := now + int64(lease)
	if lease > 0 && until < now { // a lease of centuries: saturate, not wrap
		until = math.MaxInt64
	}
	e.owner, e.done, e.leaseUntil, e.doneAt = owner, false, until, 0
	s.claims.pushBack(e)
	return Claimed, nil
}

// Complete implements Store.
func (m *MemoryStore) Complete(_ context.Context, eventID, owner string) error {
	s := m.shard(eventID)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := m.now().UnixNano()
	e, ok := s.entries[eventID]
	if ok {
		s.list(e).remove(e)
	} else {
		// The claim was lost (its lease ended and it was dropped): record
		// the event anyway, so that it does not run again, even one over
		// the bound if only running claims are left: the event did run.
		m.makeRoom(s, now)
		e = &memoryEntry{id: eventID}
		s.entries[eventID] = e
	}
	e.owner, e.done, e.doneAt = owner, true, now
	s.done.pushBack(e)
	return nil
}

// Release implements Store.
func (m *MemoryStore) Release(_ context.Context, eventID, owner string) error {
	s := m.shard(eventID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[eventID]; ok && !e.done && e.owner == owner {
		s.claims.remove(e)
		delete(s.entries, eventID)
	}
	return nil
}

// list returns the list e is in.
func (s *memoryShard) list(e *memoryEntry) *memoryList {
	if e.done {
		return &s.done
	}
	return &s.claims
}

func (s *memoryShard) drop(l *memoryList, e *memoryEntry) {
	l.remove(e)
	delete(s.entries, e.id)
}

// makeRoom makes room for one entry in s and reports whether there is. It
// drops expired done events and abandoned claims from the fronts of their
// lists, then, if still full, the oldest done events: a bound on memory
// matters more than remembering the oldest events. It never drops a running
// claim, so it reports false when only those are left.
func (m *MemoryStore) makeRoom(s *memoryShard, now int64) bool {
	for e := s.done.head; e != nil && now-e.doneAt >= int64(m.ttl); e = s.done.head {
		s.drop(&s.done, e)
	}
	// Claims are in claiming order; with the Handler's fixed lease that is
	// also the order in which they expire.
	for e := s.claims.head; e != nil && now >= e.leaseUntil; e = s.claims.head {
		s.drop(&s.claims, e)
	}
	for len(s.entries) >= m.perShard && s.done.head != nil {
		s.drop(&s.done, s.done.head)
	}
	if len(s.entries) < m.perShard {
		return true
	}
	// Only running claims are left; one whose lease ended may still sit
	// behind a longer one (leases of different lengths), so look once.
	for e := s.claims.head; e != nil; e = e.next {
		if now >= e.leaseUntil {
			s.drop(&s.claims, e)
			return true
		}
	}
	return false
}
