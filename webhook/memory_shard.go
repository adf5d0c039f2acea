package webhook

import (
	"sync"
)

// memoryShard holds a part of a MemoryStore's events under its own lock.
//
// Its events live in a flat slice of slots without pointers, found through
// a pointer-free hash index (memory_index.go) and chained into two lists
// by slot number: running claims and done events, oldest first, so that
// making room never walks past a running claim. A store holding 100,000
// events therefore gives the garbage collector nothing to scan per event,
// and dropping the oldest event to make room for a new one frees a slot
// that the new event reuses at once, without allocating.
type memoryShard struct {
	mu     sync.Mutex
	slots  []memorySlot
	index  memoryIndex
	free   int32 // first free slot, chained through next; -1 when none
	count  int   // slots in use
	bound  int   // the store's bound per shard (Complete may pass it)
	claims memoryList
	done   memoryList
	// long holds the id and owner of the few slots whose bytes do not fit
	// in memorySlot.key (ids of the Handler fit; any string is accepted).
	long map[int32]memoryLongKey
	// Shards sit next to one another in a slice: padding keeps two locks
	// off one cache line, or cores would still contend for it.
	_ [64]byte
}

// memoryKeySize is how many bytes of id and owner a slot holds inline: it
// makes a slot 128 bytes, two cache lines. The Handler's owner tokens are
// at most 33 bytes and a done event keeps no owner, so ids of up to 57
// bytes never need the long map while running, and ids of up to 88 bytes
// never once done.
const memoryKeySize = 88

// memorySlot is one event: a running claim or a done event.
type memorySlot struct {
	hash       uint64 // of the id, with the store's seed
	leaseUntil int64  // Unix nanoseconds, while running
	doneAt     int64  // Unix nanoseconds, once done
	prev, next int32  // list links; -1 at the ends
	idLen      uint16 // in key, when inline
	ownerLen   uint16 // in key after the id, when inline
	done       bool
	inline     bool // id and owner are in key; otherwise in the long map
	key        [memoryKeySize]byte
}

type memoryLongKey struct{ id, owner string }

// memoryList is a doubly linked list of slots, by slot number. The head's
// prev link is not kept up to date: dropping the oldest event then does not
// have to touch the next one's slot, a cache miss in a large store, and a
// slot is known to be the head by being l.head. pushBack sets it again.
type memoryList struct {
	head, tail int32
}

func newMemoryShard(bound int) memoryShard {
	return memoryShard{bound: bound, free: -1, claims: memoryList{-1, -1}, done: memoryList{-1, -1}}
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
// its state and puts it in a list.
func (s *memoryShard) add(hash uint64, id, owner string) int32 {
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
	s.setKey(k, id, owner)
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
	e.next, e.inline, e.idLen, e.ownerLen = s.free, true, 0, 0
	s.free = k
	s.count--
}

// setKey stores the id and owner of slot k: inline when they fit, in the
// long map otherwise.
func (s *memoryShard) setKey(k int32, id, owner string) {
	e := &s.slots[k]
	if len(id)+len(owner) <= memoryKeySize {
		if !e.inline {
			delete(s.long, k)
		}
		copy(e.key[:], id)
		copy(e.key[len(id):], owner)
		e.idLen, e.ownerLen, e.inline = uint16(len(id)), uint16(len(owner)), true
		return
	}
	if s.long == nil {
		s.long = make(map[int32]memoryLongKey)
	}
	s.long[k] = memoryLongKey{id: id, owner: owner}
	e.idLen, e.ownerLen, e.inline = 0, 0, false
}

// hasID reports whether slot k's id is id. (A conversion compared at once
// does not allocate.)
func (s *memoryShard) hasID(k int32, id string) bool {
	e := &s.slots[k]
	if e.inline {
		return string(e.key[:e.idLen]) == id
	}
	return s.long[k].id == id
}

// ownedBy reports whether slot k's owner is owner.
func (s *memoryShard) ownedBy(k int32, owner string) bool {
	e := &s.slots[k]
	if e.inline {
		return string(e.key[e.idLen:e.idLen+e.ownerLen]) == owner
	}
	return s.long[k].owner == owner
}
