package webhook

import (
	"math"
	"time"
)

// refShard is the reference MemoryStore shard the pointer-free one is
// checked against (memory_store_diff_test.go): the plain design, a map of
// id to entry and two linked lists, with the same rules for leases, TTL,
// the bound and making room.
type refShard struct {
	entries      map[string]*refEntry
	claims, done refList
	perShard     int
	ttl          time.Duration
}

type refEntry struct {
	id, owner          string
	done               bool
	leaseUntil, doneAt int64
	prev, next         *refEntry
}

type refList struct{ head, tail *refEntry }

func (l *refList) pushBack(e *refEntry) {
	e.prev, e.next = l.tail, nil
	if l.tail != nil {
		l.tail.next = e
	} else {
		l.head = e
	}
	l.tail = e
}

func (l *refList) remove(e *refEntry) {
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

func newRefShard(perShard int, ttl time.Duration) *refShard {
	return &refShard{entries: map[string]*refEntry{}, perShard: perShard, ttl: ttl}
}

func (s *refShard) list(e *refEntry) *refList {
	if e.done {
		return &s.done
	}
	return &s.claims
}

func (s *refShard) drop(l *refList, e *refEntry) {
	l.remove(e)
	delete(s.entries, e.id)
}

func (s *refShard) makeRoom(now int64) bool {
	for e := s.done.head; e != nil && now-e.doneAt >= int64(s.ttl); e = s.done.head {
		s.drop(&s.done, e)
	}
	for e := s.claims.head; e != nil && now >= e.leaseUntil; e = s.claims.head {
		s.drop(&s.claims, e)
	}
	for len(s.entries) >= s.perShard && s.done.head != nil {
		s.drop(&s.done, s.done.head)
	}
	if len(s.entries) < s.perShard {
		return true
	}
	for e := s.claims.head; e != nil; e = e.next {
		if now >= e.leaseUntil {
			s.drop(&s.claims, e)
			return true
		}
	}
	return false
}

func (s *refShard) claim(now int64, id, owner string, lease time.Duration) (ClaimState, error) {
	e, ok := s.entries[id]
	if ok {
		switch {
		case e.done && now-e.doneAt < int64(s.ttl):
			return AlreadyDone, nil
		case !e.done && now < e.leaseUntil:
			return InProgress, nil
		}
		s.list(e).remove(e)
	} else {
		if !s.makeRoom(now) {
			return 0, ErrMemoryStoreFull
		}
		e = &refEntry{id: id}
		s.entries[id] = e
	}
	until := now + int64(lease)
	if lease > 0 && until < now {
		until = math.MaxInt64
	}
	e.owner, e.done, e.leaseUntil, e.doneAt = owner, false, until, 0
	s.claims.pushBack(e)
	return Claimed, nil
}

func (s *refShard) complete(now int64, id, owner string) {
	e, ok := s.entries[id]
	if ok {
		s.list(e).remove(e)
	} else {
		s.makeRoom(now)
		e = &refEntry{id: id}
		s.entries[id] = e
	}
	e.owner, e.done, e.doneAt = owner, true, now
	s.done.pushBack(e)
}

func (s *refShard) release(id, owner string) {
	if e, ok := s.entries[id]; ok && !e.done && e.owner == owner {
		s.claims.remove(e)
		delete(s.entries, id)
	}
}
