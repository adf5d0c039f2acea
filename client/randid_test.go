package client

import (
	"sync"
	"testing"

	"github.com/google/uuid"
)

// The IDs match uuid's own formatting of the same bytes, version and
// variant bits included, across refills of the block.
func TestIDSourceMatchesUUID(t *testing.T) {
	var next byte
	s := newIDSource()
	s.fill = func(b []byte) {
		for i := range b {
			b[i] = next
			next += 37
		}
	}
	var want byte
	for i := 0; i < 3*idBlock/16+5; i++ {
		var raw [16]byte
		for j := range raw {
			raw[j] = want
			want += 37
		}
		u, err := uuid.NewRandomFromReader(bytesReader(raw[:]))
		if err != nil {
			t.Fatal(err)
		}
		if got := s.newString(); got != u.String() {
			t.Fatalf("id %d: %s, uuid formats the same bytes as %s", i, got, u)
		}
	}
}

// Handed-out bytes are wiped: the buffer never holds an ID already sent.
func TestIDSourceWipesUsedBytes(t *testing.T) {
	s := newIDSource()
	s.fill = func(b []byte) {
		for i := range b {
			b[i] = 0xff
		}
	}
	s.newString()
	s.newString()
	for i, c := range s.buf[:32] {
		if c != 0 {
			t.Fatalf("byte %d of a used ID left in the buffer: %#x", i, c)
		}
	}
	if s.buf[32] != 0xff {
		t.Fatal("an unused byte was wiped")
	}
}

// From crypto/rand, from many goroutines: valid version 4 UUIDs, none
// repeated.
func TestIDSourceConcurrentUnique(t *testing.T) {
	s := newIDSource()
	const workers, each = 8, 500
	ids := make([][]string, workers)
	var wg sync.WaitGroup
	for w := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				ids[w] = append(ids[w], s.newString())
			}
		}()
	}
	wg.Wait()
	seen := make(map[string]bool, workers*each)
	for _, list := range ids {
		for _, id := range list {
			u, err := uuid.Parse(id)
			if err != nil || u.Version() != 4 || u.Variant() != uuid.RFC4122 || u.String() != id {
				t.Fatalf("%q is not a canonical version 4 UUID (%v)", id, err)
			}
			if seen[id] {
				t.Fatalf("%s handed out twice", id)
			}
			seen[id] = true
		}
	}
}

// bytesReader reads b once.
type bytesReader []byte

func (r bytesReader) Read(p []byte) (int, error) { return copy(p, r), nil }
