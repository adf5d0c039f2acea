package webhook_test

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

// Options at their extremes keep working: a body limit of math.MaxInt64
// accepts deliveries (limit+1 once overflowed, read every body as empty
// and refused them all), and so do the largest lease, store timeout,
// Retry-After and tolerance.
func TestHandlerOptionExtremes(t *testing.T) {
	for _, limit := range []int64{math.MaxInt64, math.MaxInt64 - 1, 1 << 40} {
		v, err := webhook.NewVerifier(testSecret, webhook.WithMaxBodySize(limit), webhook.WithTolerance(math.MaxInt64))
		if err != nil {
			t.Fatal(err)
		}
		ran := 0
		h, err := webhook.NewHandler(v, webhook.NewMemoryStore(), func(context.Context, *webhook.Event) error { ran++; return nil },
			webhook.WithLease(math.MaxInt64), webhook.WithStoreTimeout(math.MaxInt64), webhook.WithRetryAfter(math.MaxInt64))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"evt_1", "evt_1", "evt_2"} {
			if rec := deliver(t, h, id); rec.Code != http.StatusOK {
				t.Fatalf("limit %d: %s answered %d %q", limit, id, rec.Code, rec.Body)
			}
		}
		if ran != 2 {
			t.Fatalf("limit %d: ran %d times, want 2", limit, ran)
		}
	}
}

// The smallest limit still refuses a larger body with 413 and accepts one
// that fits it exactly.
func TestHandlerSmallestBodyLimit(t *testing.T) {
	body := []byte(`{}`)
	v, err := webhook.NewVerifier(testSecret, webhook.WithMaxBodySize(int64(len(body))))
	if err != nil {
		t.Fatal(err)
	}
	h, err := webhook.NewHandler(v, webhook.NewMemoryStore(), func(context.Context, *webhook.Event) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		body string
		want int
	}{{`{}`, http.StatusOK}, {`{} `, http.StatusRequestEntityTooLarge}} {
		req, err := webhook.Delivery{Secret: testSecret, EventType: webhook.TypeOrderStatusChanged, Body: []byte(tc.body), Timestamp: time.Now()}.Request()
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = -1 // unknown: the limit is found by reading
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Fatalf("body %q: %d, want %d", tc.body, rec.Code, tc.want)
		}
	}
}
