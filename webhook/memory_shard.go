package webhook

import (
	"sync"
)

// memoryShard holds a part of a MemoryStore's events under its own lock.
//
// Its events live in a flat slice of 64-byte slots without pointers, found
// through a pointer-free hash index (memory_index.go) and chained into two
// lists by slot number: running claims and done events, oldest first, so
// that making room never walks past a running claim. A store holding
// 100,000 events therefore gives the garbage collector nothing to scan per
// event, dropping the oldest event to make room for a new one frees a slot
// that the new event reuses at once, without allocating, and an event is
// one cache line. Only running claims have an owner, kept in a small map
// of its own.
type memoryShard struct {
	mu     sync.Mutex
	slots  []memorySlot
	index  memoryIndex
	free   int32 // first free slot, chained through next; -1 when none
	count  int   // slots in use
	bound  int   // the store's bound per shard (Complete may pass it)
	claims memoryList
	done   memoryList
	// owners holds the owner of each running claim, by slot.
	owners map[int32]string
	// long holds the ids too long for memorySlot.key, by slot.
	long map[int32]string
	// Shards sit next to one another in a slice: padding keeps two locks
	// off one cache line, or cores would still contend for it.
	_ [64]byte
}

// memoryKeySize is how many bytes of id a slot holds inline: it makes a
// slot 64 bytes, one cache line. The API's ids ("evt_" and a 26-letter
// ULID, 30 bytes) fit; a longer id goes to the shard's long map.
const memoryKeySize = 36

// memorySlot is one event: a running claim or a done event.
type memorySlot struct {
	hash       uint64 // of the id, with the store's seed
	at         int64  // Unix ns: when the lease ends, while running; when done, once done
	prev, next int32  // list links; -1 at the ends
	idLen      uint16 // in key, when inline
	done       bool
	inline     bool // the id is in key; otherwise in the long map
	key        [memoryKeySize]byte
}

// memoryList is a doubly linked list of slots, by slot number. The head's
// prev link is not kept up to date: dropping the oldest event then does not
// have to touch the next one's slot, a cache miss in a large store, and a
// slot is known to be the head by being l.head. pushBack sets it again.
type memoryList struct {
	head, tail int32
}

func newMemoryShard(bound int) memoryShard {
	return memoryShard{bound: bound, free: -1, owners: make(map[int32]string), claims: memoryList{-1, -1}, done: memoryList{-1, -1}}
}

func (s *memoryShard) pushBack(l *memoryList, k int32) {
	e := &s.slots[k]
	e.prev, e.next = l.tail, -1
	if l.tail >= 0 {
		s.slots[l.tail].next = k
	} else {
		l.head = k
	}
	l.tail = k
}

func (s *memoryShard) remove(l *memoryList, k int32) {
	e := &s.slots[k]
	if l.head == k {
		l.head = e.next // the new head's prev link goes stale
		if e.next < 0 {
			l.tail = -1
		}
	} else {
		s.slots[e.prev].next = e.next
		if e.next >= 0 {
			s.slots[e.next].prev = e.prev
		} else {
			l.tail = e.prev
		}
	}
	e.prev, e.next = -1, -1
}

// list returns the list slot k is in.
func (s *memoryShard) list(k int32) *memoryList {
	if s.slots[k].done {
		return &s.done
	}
	return &s.claims
}

// find returns the slot holding id, hashed to hash, or -1.
func (s *memoryShard) find(hash uint64, id string) int32 {
	return s.index.lookup(hash, func(k int32) bool {
		return s.slots[k].hash == hash && s.hasID(k, id)
	})
}

// add takes a free slot for a new event and indexes it. The caller sets
// its state and owner and puts it in a list.
func (s *memoryShard) add(hash uint64, id string) int32 {
	k := s.free
	if k >= 0 {
		s.free = s.slots[k].next
	} else {
		k = int32(len(s.slots))
		if len(s.slots) == cap(s.slots) {
			s.growSlots()
		}
		s.slots = s.slots[:k+1]
	}
	// Field by field: a dropped event's slot comes back here at once, and
	// writing the whole of it would touch its second cache line for
	// nothing when the id is short.
	e := &s.slots[k]
	e.hash, e.prev, e.next, e.inline = hash, -1, -1, true
	s.setID(k, id)
	s.index.insert(hash, k)
	s.count++
	return k
}

// growSlots doubles the slots' room, but not past the shard's bound while
// under it: append would overshoot a full shard by a quarter.
func (s *memoryShard) growSlots() {
	n := 2 * cap(s.slots)
	if n < memoryIndexMin {
		n = memoryIndexMin
	}
	if cap(s.slots) < s.bound && n > s.bound {
		n = s.bound
	}
	slots := make([]memorySlot, len(s.slots), n)
	copy(slots, s.slots)
	s.slots = slots
}

// drop removes slot k from list l and from the index, and frees it.
func (s *memoryShard) drop(l *memoryList, k int32) {
	s.remove(l, k)
	e := &s.slots[k]
	s.index.remove(e.hash, k)
	if !e.inline {
		delete(s.long, k)
	}
	if !e.done {
		delete(s.owners, k)
	}
	e.next, e.inline, e.idLen = s.free, true, 0
	s.free = k
	s.count--
}

// setID stores the id of slot k: inline when it fits, in the long map
// otherwise.
func (s *memoryShard) setID(k int32, id string) {
	e := &s.slots[k]
	if len(id) <= memoryKeySize {
		copy(e.key[:], id)
		e.idLen, e.inline = uint16(len(id)), true
		return
	}
	if s.long == nil {
		s.long = make(map[int32]string)
	}
	s.long[k] = id
	e.idLen, e.inline = 0, false
}

// hasID reports whether slot k's id is id. (A conversion compared at once
// does not allocate.)
func (s *memoryShard) hasID(k int32, id string) bool {
	e := &s.slots[k]
	if e.inline {
		return string(e.key[:e.idLen]) == id
	}
	return s.long[k] == id
}

// ownedBy reports whether slot k is a running claim of owner.
func (s *memoryShard) ownedBy(k int32, owner string) bool {
	o, ok := s.owners[k]
	return ok && !s.slots[k].done && o == owner
}
