package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// Response headers are bounded by the client's response limit, and an
// answer whose headers are over it is not retried: it would repeat, and
// each attempt would allocate the headers again.
func TestOversizeResponseHeadersAreRefusedOnce(t *testing.T) {
	cases := []struct {
		name   string
		header int
		opts   []Option
	}{
		{"64 KiB against a 1 KiB limit", 64 << 10, []Option{WithMaxResponseBytes(1024)}},
		{"2 MiB against the default limit", 2 << 20, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("X-Padding", strings.Repeat("a", tc.header))
				w.WriteHeader(503)
			})
			c := newTestClient(t, f, tc.opts...)
			_, err := c.do(context.Background(), statusCall("1"), nil, nil)
			var re *RequestError
			if !errors.As(err, &re) || !errors.Is(err, ErrResponseTooLarge) {
				t.Fatalf("%T %v, want a *RequestError matching ErrResponseTooLarge", err, err)
			}
			if n := len(f.seen()); n != 1 {
				t.Fatalf("%d attempts, want 1", n)
			}
		})
	}
}

// Ordinary headers pass with a tiny body limit: the header limit has a
// floor.
func TestSmallBodyLimitKeepsOrdinaryHeaders(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Padding", strings.Repeat("a", 4<<10))
		writeOK(w, nil, "r")
	})
	c := newTestClient(t, f, WithMaxResponseBytes(512))
	if _, err := c.do(context.Background(), statusCall("1"), nil, nil); err != nil {
		t.Fatal(err)
	}
}
