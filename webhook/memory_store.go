package webhook

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// Defaults of a MemoryStore.
const (
	DefaultMemoryStoreSize = 100_000
	DefaultMemoryStoreTTL  = 72 * time.Hour
)

// MemoryStore is a Store for a single process. It keeps at most a fixed
// number of events and forgets done events after a TTL, so it is bounded in
// memory; choose the TTL longer than the sender's retry horizon. Several
// replicas need SQLStore instead.
type MemoryStore struct {
	mu      sync.Mutex
	entries map[string]*list.Element
	order   *list.List // oldest first; values are *memoryEntry
	maxSize int
	ttl     time.Duration
	now     func() time.Time

	checkpoints memoryCheckpoints // CatchUp positions (memory_checkpoint.go)
}

type memoryEntry struct {
	id         string
	done       bool
	owner      string
	leaseUntil time.Time // while processing
	doneAt     time.Time // once done
}

// MemoryOption configures a MemoryStore.
type MemoryOption func(*MemoryStore)

// WithMemorySize bounds the number of events kept (default 100,000). When
// full, the oldest finished or expired entries are dropped first.
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

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore(opts ...MemoryOption) *MemoryStore {
	m := &MemoryStore{
		entries: make(map[string]*list.Element),
		order:   list.New(),
		maxSize: DefaultMemoryStoreSize,
		ttl:     DefaultMemoryStoreTTL,
		now:     time.Now,
	}
	for _, o := range opts {
		o(m)
	}
	return m
}

// Len returns the number of events held, done or in progress.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}

// Claim implements Store.
func (m *MemoryStore) Claim(_ context.Context, eventID, owner string, lease time.Duration) (ClaimState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if el, ok := m.entries[eventID]; ok {
		e := el.Value.(*memoryEntry)
		switch {
		case e.done && now.Sub(e.doneAt) < m.ttl:
			return AlreadyDone, nil
		case !e.done && now.Before(e.leaseUntil):
			return InProgress, nil
		}
		// Expired record or abandoned claim: take it over as a fresh entry.
		m.remove(el)
	}
	m.evict(now)
	e := &memoryEntry{id: eventID, owner: owner, leaseUntil: now.Add(lease)}
	m.entries[eventID] = m.order.PushBack(e)
	return Claimed, nil
}

// Complete implements Store.
func (m *MemoryStore) Complete(_ context.Context, eventID, owner string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if el, ok := m.entries[eventID]; ok {
		e := el.Value.(*memoryEntry)
		e.done, e.owner, e.doneAt = true, owner, now
		return nil
	}
	m.evict(now)
	m.entries[eventID] = m.order.PushBack(&memoryEntry{id: eventID, owner: owner, done: true, doneAt: now})
	return nil
}

// Release implements Store.
func (m *MemoryStore) Release(_ context.Context, eventID, owner string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.entries[eventID]; ok {
		if e := el.Value.(*memoryEntry); !e.done && e.owner == owner {
			m.remove(el)
		}
	}
	return nil
}

func (m *MemoryStore) remove(el *list.Element) {
	delete(m.entries, el.Value.(*memoryEntry).id)
	m.order.Remove(el)
}

// evict makes room for one entry. It drops expired entries from the front,
// then, if still full, the oldest entries whatever their state: a bound on
// memory matters more than remembering the oldest events. Live claims are
// passed over once, so only a store full of live claims drops one.
func (m *MemoryStore) evict(now time.Time) {
	for el := m.order.Front(); el != nil; {
		e := el.Value.(*memoryEntry)
		expired := (e.done && now.Sub(e.doneAt) >= m.ttl) || (!e.done && !now.Before(e.leaseUntil))
		if !expired {
			break
		}
		next := el.Next()
		m.remove(el)
		el = next
	}
	for el := m.order.Front(); el != nil && len(m.entries) >= m.maxSize; {
		next := el.Next()
		if el.Value.(*memoryEntry).done {
			m.remove(el)
		}
		el = next
	}
	for len(m.entries) >= m.maxSize {
		m.remove(m.order.Front())
	}
}
