package client

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
)

// readBody with a declared length: what arrives counts, whether less, as
// much or more than declared, and the client's limit holds either way.
func TestReadBodyDeclaredLength(t *testing.T) {
	c := &Client{maxBody: 100}
	for _, tc := range []struct {
		name     string
		body     string
		declared int64
		want     string
		err      error
	}{
		{"exact", "hello", 5, "hello", nil},
		{"shorter than declared", "hel", 5, "hel", nil},
		{"longer than declared", "hello, world", 5, "hello, world", nil},
		{"longer than declared, over the limit", strings.Repeat("x", 101), 5, "", ErrResponseTooLarge},
		{"declared at the limit", strings.Repeat("x", 100), 100, strings.Repeat("x", 100), nil},
		{"at the limit, one more than declared", strings.Repeat("x", 101), 100, "", ErrResponseTooLarge},
		{"declared over the limit", "x", 101, "", ErrResponseTooLarge},
		{"unknown length", "hello", -1, "hello", nil},
		{"unknown length, over the limit", strings.Repeat("x", 101), -1, "", ErrResponseTooLarge},
	} {
		for _, oneByte := range []bool{false, true} {
			var r io.Reader = strings.NewReader(tc.body)
			if oneByte {
				r = iotest.OneByteReader(r)
			}
			got, err := c.readBody(&http.Response{Body: io.NopCloser(r), ContentLength: tc.declared})
			if !errors.Is(err, tc.err) || (tc.err == nil && string(got) != tc.want) {
				t.Errorf("%s (one byte a read %v): %q, %v; want %q, %v", tc.name, oneByte, got, err, tc.want, tc.err)
			}
		}
	}
	// A read error is reported with what came before it.
	got, err := c.readBody(&http.Response{Body: io.NopCloser(io.MultiReader(strings.NewReader("he"), iotest.ErrReader(io.ErrUnexpectedEOF))), ContentLength: 5})
	if !errors.Is(err, io.ErrUnexpectedEOF) || string(got) != "he" {
		t.Errorf("truncated body: %q, %v", got, err)
	}
}

// An answer of declared length is read into one buffer of its size.
func TestReadBodyOneAllocation(t *testing.T) {
	c := &Client{maxBody: DefaultMaxResponseBytes}
	body := []byte(benchOrderBody)
	r := bytes.NewReader(body)
	resp := &http.Response{Body: io.NopCloser(r), ContentLength: int64(len(body))}
	allocs := allocsPerRun(100, func() {
		r.Reset(body)
		if got, err := c.readBody(resp); err != nil || len(got) != len(body) {
			t.Fatal(err, len(got))
		}
	})
	if allocs != 1 {
		t.Errorf("readBody: %v allocations, want 1", allocs)
	}
}
