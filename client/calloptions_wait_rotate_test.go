package client

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// WaitForOrder's call options reach every poll, after WaitOptions.CallOptions.
func TestWaitForOrderTakesCallOptions(t *testing.T) {
	var n atomic.Int32
	s, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			envelope(w, 200, rawJSON(`{"order":{"tracking_id":"T","status":"processing","is_final":false}}`), nil)
			return
		}
		envelope(w, 200, rawJSON(`{"order":{"tracking_id":"T","status":"completed","is_final":true}}`), nil)
	})
	var resp Response
	st, err := c.WaitForOrder(context.Background(), "T", WaitOptions{Interval: time.Millisecond,
		CallOptions: []CallOption{WithCorrelationID("from-wait-options")}},
		WithCorrelationID("checkout-42"), WithResponse(&resp))
	if err != nil || !st.IsFinal {
		t.Fatalf("%v %+v", err, st)
	}
	reqs := s.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d polls, want 3", len(reqs))
	}
	for i, r := range reqs {
		if got := r.Header.Get("X-Correlation-Id"); got != "checkout-42" {
			t.Errorf("poll %d: X-Correlation-Id %q, want the variadic option's", i+1, got)
		}
	}
	if resp.RequestID != "req-1" || resp.Attempts != 1 {
		t.Errorf("WithResponse not filled by the last poll: %+v", resp)
	}
}

// RotateCredentials' call options reach the health check and the
// simulation, which still run with the new key.
func TestRotateCredentialsTakesCallOptions(t *testing.T) {
	newTok, newSec := "tok-rotated-000000077", "sec-rotated-077"
	f := newFakeExchanger(t, func(_ int, a attempt, w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(a.Header.Get("Authorization"), "Bearer ")
		switch {
		case tok != newTok || !verifyWith(newSec, a):
			writeErr(w, 401, "invalid_token", "r", nil)
		case r.URL.Path == "/api/v3/private/health/client":
			writeOK(w, healthBody("ok", "crm-3", []string{"public-api:client:health:read"}, true, time.Time{}), "h-1")
		default:
			writeOK(w, map[string]any{"simulated": true}, "s-1")
		}
	})
	c := newTestClient(t, f)
	var resp Response
	_, err := c.RotateCredentials(context.Background(), Credentials{Token: newTok, HMACSecret: newSec},
		RotateOptions{SimulateOrder: map[string]any{"route_id": 1, "amount": "10"}},
		WithCorrelationID("rotation-2026-12"), WithIdempotencyKey("rotation-check-0001"), WithResponse(&resp))
	if err != nil {
		t.Fatal(err)
	}
	seen := f.seen()
	if len(seen) != 2 {
		t.Fatalf("%d requests, want the health check and the simulation", len(seen))
	}
	for _, a := range seen {
		if got := a.Header.Get("X-Correlation-Id"); got != "rotation-2026-12" {
			t.Errorf("%s %s: X-Correlation-Id %q", a.Method, a.EscapedPath, got)
		}
	}
	if got := seen[1].Header.Get("Idempotency-Key"); got != "rotation-check-0001" {
		t.Errorf("simulation Idempotency-Key %q", got)
	}
	if resp.RequestID != "s-1" {
		t.Errorf("WithResponse: %+v, want the simulation's request id", resp)
	}
}
