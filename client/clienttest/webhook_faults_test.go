package clienttest

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// headerLog records the signed headers of every delivery attempt and
// answers with the status its function picks.
type headerLog struct {
	mu      sync.Mutex
	headers []http.Header
}

func newHeaderLog(t *testing.T, status func(n int) int) (*headerLog, string) {
	hl := &headerLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hl.mu.Lock()
		hl.headers = append(hl.headers, r.Header.Clone())
		n := len(hl.headers)
		hl.mu.Unlock()
		w.WriteHeader(status(n))
	}))
	t.Cleanup(srv.Close)
	return hl, srv.URL
}

func (hl *headerLog) all() []http.Header {
	hl.mu.Lock()
	defer hl.mu.Unlock()
	return append([]http.Header(nil), hl.headers...)
}

func TestEmitEventDeliversAndRejectsUnknownTypes(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	hl, u := newHeaderLog(t, func(int) int { return http.StatusOK })
	if _, _, err := s.RegisterWebhook(u); err != nil {
		t.Fatal(err)
	}
	id, err := s.EmitEvent("review.created", map[string]any{"review": map[string]any{"id": 7}})
	if err != nil {
		t.Fatal(err)
	}
	if !s.WaitForDeliveries(5 * time.Second) {
		t.Fatal("delivery did not settle")
	}
	hs := hl.all()
	if len(hs) != 1 || hs[0].Get("X-Webhook-Event-Id") != id || hs[0].Get("X-Webhook-Event-Type") != "review.created" {
		t.Fatalf("deliveries %v", hs)
	}
	if _, err := s.EmitEvent("order.exploded", nil); err == nil {
		t.Fatal("unknown event type accepted")
	}
	if n := len(EventTypes()); n != 13 {
		t.Fatalf("%d event types, want 13", n)
	}
}

func TestRetrySameSignatureResendsTheFirstAttemptsHeaders(t *testing.T) {
	t.Parallel()
	for _, same := range []bool{false, true} {
		var opts []Option
		if same {
			opts = append(opts, WithWebhookRetrySameSignature())
		}
		s := NewServer(t, append(opts, WithWebhookRetry(3, 20*time.Millisecond, 0))...)
		hl, u := newHeaderLog(t, func(n int) int {
			if n == 1 {
				return http.StatusServiceUnavailable
			}
			return http.StatusOK
		})
		if _, _, err := s.RegisterWebhook(u); err != nil {
			t.Fatal(err)
		}
		if _, err := s.EmitEvent("order.created", nil); err != nil {
			t.Fatal(err)
		}
		if !s.WaitForDeliveries(10 * time.Second) {
			t.Fatal("delivery did not settle")
		}
		hs := hl.all()
		if len(hs) != 2 {
			t.Fatalf("same=%v: %d attempts, want 2", same, len(hs))
		}
		// The timestamp has a resolution of a second, so only the nonce and
		// signature tell a fresh retry apart; all three must match a resent one.
		for _, h := range []string{"X-Webhook-Timestamp", "X-Webhook-Nonce", "X-Webhook-Signature"} {
			if h == "X-Webhook-Timestamp" && !same {
				continue
			}
			if equal := hs[0].Get(h) == hs[1].Get(h); equal != same {
				t.Errorf("same=%v: %s of the retry equal to the first attempt's: %v (%q, %q)", same, h, equal, hs[0].Get(h), hs[1].Get(h))
			}
		}
	}
}

func TestDroppedDeliveriesAreNeverSentButStayInTheLog(t *testing.T) {
	t.Parallel()
	s := NewServer(t)
	hl, u := newHeaderLog(t, func(int) int { return http.StatusOK })
	if _, _, err := s.RegisterWebhook(u); err != nil {
		t.Fatal(err)
	}
	s.DropWebhookDeliveries(time.Hour)
	dropped, err := s.EmitEvent("order.created", nil)
	if err != nil {
		t.Fatal(err)
	}
	s.DropWebhookDeliveries(0)
	kept, err := s.EmitEvent("order.created", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !s.WaitForDeliveries(5 * time.Second) {
		t.Fatal("deliveries did not settle")
	}
	hs := hl.all()
	if len(hs) != 1 || hs[0].Get("X-Webhook-Event-Id") != kept {
		t.Fatalf("sent %d deliveries (want only %s)", len(hs), kept)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ev := range s.events {
		if ev.id == dropped && (ev.status() != "failed" || ev.deliveries[0].attempt != 0) {
			t.Fatalf("dropped event: status %s, attempts %d", ev.status(), ev.deliveries[0].attempt)
		}
	}
}

func TestDropWindowOption(t *testing.T) {
	t.Parallel()
	s := NewServer(t, WithWebhookDropWindow(0, time.Hour))
	hl, u := newHeaderLog(t, func(int) int { return http.StatusOK })
	if _, _, err := s.RegisterWebhook(u); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EmitEvent("order.created", nil); err != nil {
		t.Fatal(err)
	}
	if !s.WaitForDeliveries(5*time.Second) || len(hl.all()) != 0 {
		t.Fatalf("a delivery inside the drop window was sent (%d)", len(hl.all()))
	}
}
