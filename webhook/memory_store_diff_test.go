package webhook

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// The pointer-free MemoryStore gives the same answer as the plain design
// (refShard) to every call of a long random sequence: new, repeated and
// expired ids, ids and owners too long to be held inline, leases that end,
// a TTL that passes, and a store that fills up with done events and with
// running claims. Its tables are checked after every call.
func TestMemoryStoreMatchesReference(t *testing.T) {
	for _, size := range []int{1, 7, 64, 4096} {
		t.Run(fmt.Sprint("size-", size), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(size), 15))
			diffMemoryStore(t, size, 20_000, rng.IntN)
		})
	}
}

// FuzzMemoryStore drives the same comparison with calls chosen by the
// fuzzer's bytes.
func FuzzMemoryStore(f *testing.F) {
	f.Add([]byte{3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 7, 7, 7, 0, 0, 0})
	f.Add([]byte{1, 9, 9, 9, 9, 0, 0, 0, 0, 5, 5, 5, 5, 5})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || len(data) > 4096 {
			return
		}
		size := 1 + int(data[0]%16)
		data = data[1:]
		pick := func(n int) int {
			if len(data) == 0 {
				return 0
			}
			b := int(data[0])
			data = data[1:]
			return b % n
		}
		diffMemoryStore(t, size, len(data)/4, pick)
	})
}

// diffMemoryStore makes steps calls chosen by pick(n), which returns a
// number in [0, n), of a MemoryStore and of the reference, and fails at
// the first difference.
func diffMemoryStore(t *testing.T, size, steps int, pick func(n int) int) {
	t.Helper()
	ctx := context.Background()
	now := time.Unix(1782190000, 0)
	const ttl = time.Hour
	m := NewMemoryStore(WithMemorySize(size), WithMemoryTTL(ttl), WithMemoryClock(func() time.Time { return now }))
	refs := make([]*refShard, len(m.shards))
	for i := range refs {
		refs[i] = newRefShard(m.perShard, ttl)
	}
	refOf := func(id string) *refShard {
		_, s := m.shard(id)
		return refs[(uintptr(unsafe.Pointer(s))-uintptr(unsafe.Pointer(&m.shards[0])))/unsafe.Sizeof(m.shards[0])]
	}
	// Ids: short, at the inline limit and one byte over it, the Handler's
	// 256 bytes, and longer than any header.
	var ids []string
	for i := 0; i < 3*size+40; i++ {
		switch i % 8 {
		case 4:
			ids = append(ids, fmt.Sprintf("%0*d", memoryKeySize+1, i))
		case 5:
			ids = append(ids, fmt.Sprintf("%0*d", memoryKeySize, i))
		case 6:
			ids = append(ids, fmt.Sprintf("%0256d", i))
		case 7:
			ids = append(ids, strings.Repeat("x", 1000)+fmt.Sprint(i))
		default:
			ids = append(ids, fmt.Sprint("evt_", i))
		}
	}
	owners := []string{"A", "B", "0123456789abcdef-1f", "", strings.Repeat("o", 100)}
	leases := []time.Duration{time.Second, time.Minute, 10 * time.Minute, time.Duration(math.MaxInt64)}
	seen := map[string]int{}
	defer func() { t.Log(seen, m.Len(), len(m.shards)) }()
	for step := 0; step < steps; step++ {
		id := ids[pick(len(ids))]
		if pick(2) == 0 { // often one of the last few, to repeat calls
			id = ids[(step+pick(8))%len(ids)]
		}
		owner := owners[pick(len(owners))]
		ref := refOf(id)
		at := now.UnixNano()
		switch op := pick(10); {
		case op < 5:
			lease := leases[pick(len(leases)-1)]
			if pick(100) == 0 { // a claim that outlives the test
				lease = leases[len(leases)-1]
			}
			got, gerr := m.Claim(ctx, id, owner, lease)
			want, werr := ref.claim(at, id, owner, lease)
			seen[fmt.Sprint(got, gerr)]++
			if got != want || gerr != werr {
				t.Fatalf("step %d: Claim(%.20s, %q, %v) = %v, %v; reference %v, %v", step, id, owner, lease, got, gerr, want, werr)
			}
		case op < 8:
			if err := m.Complete(ctx, id, owner); err != nil {
				t.Fatalf("step %d: Complete: %v", step, err)
			}
			ref.complete(at, id, owner)
		default:
			if err := m.Release(ctx, id, owner); err != nil {
				t.Fatalf("step %d: Release: %v", step, err)
			}
			ref.release(id, owner)
		}
		if pick(4) == 0 {
			now = now.Add(time.Duration(pick(120)) * time.Second)
		}
		if pick(2000) == 0 {
			now = now.Add(ttl)
		}
		want := 0
		for _, r := range refs {
			want += len(r.entries)
		}
		if got := m.Len(); got != want {
			t.Fatalf("step %d: Len = %d, reference %d", step, got, want)
		}
		if size < 100 || step%97 == 0 || step == steps-1 {
			for i := range m.shards {
				checkShard(t, &m.shards[i], refs[i])
			}
		}
	}
}

// checkShard checks a shard's tables against themselves and its lists
// against the reference's, in order.
func checkShard(t *testing.T, s *memoryShard, ref *refShard) {
	t.Helper()
	if s.count != len(ref.entries) || s.index.n != s.count {
		t.Fatalf("count %d, indexed %d, reference %d", s.count, s.index.n, len(ref.entries))
	}
	for _, l := range []struct {
		got  memoryList
		want refList
		done bool
	}{{s.claims, ref.claims, false}, {s.done, ref.done, true}} {
		k, e, prev := l.got.head, l.want.head, int32(-1)
		for ; k >= 0 && e != nil; k, e = s.slots[k].next, e.next {
			sl := &s.slots[k]
			// The head's prev link is not kept (memoryList).
			if sl.done != l.done || (prev >= 0 && sl.prev != prev) || !s.hasID(k, e.id) || s.find(sl.hash, e.id) != k {
				t.Fatalf("slot %d (done %v, prev %d) does not hold %.20s as the reference's list has it", k, sl.done, sl.prev, e.id)
			}
			if !l.done && (!s.ownedBy(k, e.owner) || sl.at != e.leaseUntil) {
				t.Fatalf("claim %.20s: owner or lease differs from the reference", e.id)
			}
			if l.done && sl.at != e.doneAt {
				t.Fatalf("done %.20s: doneAt differs from the reference", e.id)
			}
			prev = k
		}
		if k >= 0 || e != nil || (prev >= 0 && l.got.tail != prev) {
			t.Fatalf("list (done %v) differs in length or tail from the reference", l.done)
		}
	}
	if len(s.slots) <= s.bound && cap(s.slots) > max(s.bound, memoryIndexMin) {
		t.Fatalf("%d slots' room for a bound of %d", cap(s.slots), s.bound)
	}
	free := 0
	for k := s.free; k >= 0; k = s.slots[k].next {
		free++
	}
	if free+s.count != len(s.slots) {
		t.Fatalf("%d free + %d used slots != %d slots", free, s.count, len(s.slots))
	}
	long := 0
	for k := range s.slots {
		if !s.slots[k].inline {
			long++
		}
	}
	if long != len(s.long) {
		t.Fatalf("%d slots out of line, long map holds %d", long, len(s.long))
	}
	claims := 0
	for k := s.claims.head; k >= 0; k = s.slots[k].next {
		claims++
	}
	if claims != len(s.owners) {
		t.Fatalf("%d running claims, %d owners", claims, len(s.owners))
	}
	checkIndex(t, &s.index)
}

// checkIndex checks the probing invariant: no empty cell lies between a
// cell and its home, so every cell is found.
func checkIndex(t *testing.T, x *memoryIndex) {
	t.Helper()
	n := 0
	mask := len(x.cells) - 1
	for i, c := range x.cells {
		if c == 0 {
			continue
		}
		n++
		for j := x.cellHome(c); j != i; j = (j + 1) & mask {
			if x.cells[j] == 0 {
				t.Fatalf("cell %d (home %d) is cut off by the empty cell %d", i, x.cellHome(c), j)
			}
		}
	}
	if n != x.n || (len(x.cells) > 0 && 2*n > len(x.cells)) {
		t.Fatalf("%d cells used, index counts %d, length %d", n, x.n, len(x.cells))
	}
}

// Ids whose hashes collide, wholly or in the bits the index keeps, are
// still told apart by their bytes, and deleting any of them keeps the
// others reachable.
func TestMemoryShardCollidingHashes(t *testing.T) {
	s := newMemoryShard(8)
	rng := rand.New(rand.NewPCG(1, 2))
	hashes := []uint64{42, 42, 1<<40 | 42, 2<<40 | 42, 43, 42 + 16, 7}
	type item struct {
		hash uint64
		id   string
		slot int32
	}
	var live []item
	for round := 0; round < 2000; round++ {
		if len(live) < 40 && rng.IntN(3) > 0 {
			h := hashes[rng.IntN(len(hashes))]
			id := fmt.Sprint("id-", round)
			live = append(live, item{h, id, s.add(h, id)})
		} else if len(live) > 0 {
			i := rng.IntN(len(live))
			s.pushBack(&s.claims, live[i].slot) // drop takes it off a list
			s.drop(&s.claims, live[i].slot)
			live = append(live[:i], live[i+1:]...)
		}
		for _, it := range live {
			if got := s.find(it.hash, it.id); got != it.slot {
				t.Fatalf("round %d: find(%d, %s) = %d, want %d", round, it.hash, it.id, got, it.slot)
			}
			if got := s.find(it.hash, it.id+"x"); got >= 0 {
				t.Fatalf("round %d: an absent id with a colliding hash found slot %d", round, got)
			}
		}
		checkIndex(t, &s.index)
	}
}

// A slot holds no pointers (the garbage collector skips the tables however
// many events they hold) and fills one cache line.
func TestMemorySlotIsPointerFree(t *testing.T) {
	typ := reflect.TypeFor[memorySlot]()
	for i := 0; i < typ.NumField(); i++ {
		switch typ.Field(i).Type.Kind() {
		case reflect.Bool, reflect.Int32, reflect.Int64, reflect.Uint16, reflect.Uint64, reflect.Array:
		default:
			t.Errorf("field %s is a %s", typ.Field(i).Name, typ.Field(i).Type)
		}
	}
	if size := unsafe.Sizeof(memorySlot{}); size != 64 {
		t.Errorf("memorySlot is %d bytes, want 64", size)
	}
	if reflect.TypeFor[memoryIndex]().Field(0).Type.Elem().Kind() != reflect.Uint64 {
		t.Error("the index's cells are not plain words")
	}
}
