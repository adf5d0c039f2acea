package webhook

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// readAtMost must return exactly what io.ReadAll of a LimitReader returns,
// whatever the size hint says and however the reader splits its data.
func TestReadAtMostMatchesReadAll(t *testing.T) {
	data := strings.Repeat("0123456789", 300) // 3,000 bytes
	for _, size := range []int{0, 1, 511, 512, 513, 2999, 3000} {
		for _, max := range []int64{1, 100, 2999, 3000, 3001, 10000} {
			for _, hint := range []int64{-1, 0, 1, int64(size), int64(size) + 7, 1 << 30} {
				for name, wrap := range map[string]func(io.Reader) io.Reader{
					"plain": func(r io.Reader) io.Reader { return r },
					"bytes": iotest.OneByteReader,
					"half":  iotest.HalfReader,
				} {
					src := data[:size]
					want, _ := io.ReadAll(io.LimitReader(strings.NewReader(src), max))
					got, err := readAtMost(wrap(strings.NewReader(src)), hint, max)
					if err != nil || !bytes.Equal(got, want) {
						t.Fatalf("size %d max %d hint %d %s: got %d bytes, %v; want %d bytes", size, max, hint, name, len(got), err, len(want))
					}
				}
			}
		}
	}
	boom := errors.New("boom")
	if _, err := readAtMost(iotest.ErrReader(boom), 10, 100); !errors.Is(err, boom) {
		t.Fatalf("read error lost: %v", err)
	}
}

// With the size announced, the body is read into one allocation.
func TestReadAtMostAllocatesOnceWithHint(t *testing.T) {
	body := bytes.Repeat([]byte("x"), 1<<10)
	r := bytes.NewReader(body)
	n := testing.AllocsPerRun(50, func() {
		r.Reset(body)
		if b, err := readAtMost(r, int64(len(body)), 1<<20); err != nil || len(b) != len(body) {
			t.Fatal(len(b), err)
		}
	})
	if n > 1 {
		t.Fatalf("%v allocations, want 1", n)
	}
}

// A Content-Length far beyond what arrives does not allocate what it
// announces.
func TestReadAtMostDoesNotTrustAHugeSizeHint(t *testing.T) {
	for _, hint := range []int64{1 << 40, 1<<63 - 1} {
		var got []byte
		r := strings.NewReader("")
		n := testing.AllocsPerRun(5, func() {
			r.Reset("{}")
			b, err := readAtMost(r, hint, 1<<63-1)
			if err != nil {
				t.Fatal(err)
			}
			got = b
		})
		if string(got) != "{}" || n > 1 || cap(got) > maxPreallocation+1 {
			t.Fatalf("hint %d: %q, %v allocations, capacity %d", hint, got, n, cap(got))
		}
	}
}
