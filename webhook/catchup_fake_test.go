package webhook_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
	"github.com/iexkit/exchanger-go/webhook"
)

// fakeClient returns a client of the fake exchanger s.
func fakeClient(t testing.TB, s *clienttest.Server) *client.Client {
	t.Helper()
	k := s.Key()
	c, err := client.New(s.URL, client.WithToken(k.Token), client.WithHMACSecret(k.HMACSecret))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCatchUpThroughTheClient runs, with the real client against the fake
// exchanger, every event whose only delivery the receiver refused: all 13
// types, over several pages of the event log.
func TestCatchUpThroughTheClient(t *testing.T) {
	t.Parallel()
	s := clienttest.NewServer(t, clienttest.WithWebhookRetry(1, 0, 0))
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer down.Close()
	if _, _, err := s.RegisterWebhook(down.URL); err != nil {
		t.Fatal(err)
	}
	start := s.Now()
	types := clienttest.EventTypes()
	want := map[string]string{} // id -> type
	for i := 0; i < 260; i++ {
		typ := types[i%len(types)]
		id, err := s.EmitEvent(typ, map[string]any{"n": i, "amount": "0.10000000", "empty": []any{}})
		if err != nil {
			t.Fatal(err)
		}
		want[id] = typ
	}
	if !s.WaitForDeliveries(10 * time.Second) {
		t.Fatal("deliveries did not settle")
	}

	var runs counter
	h := newHandler(t, webhook.NewMemoryStore(), func(_ context.Context, e *webhook.Event) error {
		runs.add(e.ID)
		if want[e.ID] != e.Type || !e.CaughtUp {
			t.Errorf("event %s: type %q (want %q), caught up %v", e.ID, e.Type, want[e.ID], e.CaughtUp)
		}
		if !bytes.Contains(e.Body, []byte(`"empty":[]`)) || !bytes.Contains(e.Data, []byte(`"amount":"0.10000000"`)) {
			t.Errorf("event %s: payload changed on the way: %s", e.ID, e.Body)
		}
		return nil
	})
	cu := newCatchUp(t, h, fakeClient(t, s), webhook.WithCatchUpFrom(start.Add(-time.Second)))
	res, err := cu.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Ran != len(want) || res.Listed != len(want) {
		t.Fatalf("pass %+v, want %d events run", res, len(want))
	}
	for id := range want {
		if n := runs.get(id); n != 1 {
			t.Errorf("%s ran %d times", id, n)
		}
	}
	if res, err = cu.RunOnce(context.Background()); err != nil || res.Ran != 0 || res.Duplicates == 0 {
		t.Fatalf("second pass %+v, %v", res, err)
	}
}

// ExampleCatchUp shows the recommended receiver: live deliveries and
// catch-up from the API's event log share one Store and one business
// function, so every event runs once whichever way it arrives.
func ExampleCatchUp() {
	fake, _ := clienttest.New(clienttest.WithWebhookDropWindow(0, time.Hour)) // a sender that loses everything
	defer fake.Close()
	apiClient, _ := client.New(fake.URL, client.WithToken(fake.Key().Token), client.WithHMACSecret(fake.Key().HMACSecret))
	_, secret, _ := fake.RegisterWebhook("http://127.0.0.1:1/webhook")
	for i := 0; i < 3; i++ {
		_, _ = fake.EmitEvent("order.status_changed", map[string]any{"order": map[string]any{"tracking_id": fmt.Sprint("TRK", i)}})
	}

	verifier, _ := webhook.NewVerifier(secret)
	process := func(ctx context.Context, e *webhook.Event) error {
		fmt.Println(e.Type, e.OrderRef().TrackingID, "caught up:", e.CaughtUp)
		return nil
	}

	// The three lines of a receiver that loses no event:
	handler, _ := webhook.NewHandler(verifier, webhook.NewMemoryStore(), process) // serve it for live deliveries
	catchUp, _ := webhook.NewCatchUp(handler, apiClient, webhook.WithCatchUpFrom(time.Now().Add(-time.Hour)))
	// go catchUp.Run(ctx) in a program; one pass here:
	res, _ := catchUp.RunOnce(context.Background())
	fmt.Println("ran", res.Ran)
	// Unordered output:
	// order.status_changed TRK2 caught up: true
	// order.status_changed TRK1 caught up: true
	// order.status_changed TRK0 caught up: true
	// ran 3
}
