package clienttest

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestVerificationsAndReviews(t *testing.T) {
	s := NewServer(t)
	c := newTClient(t, s, s.Key())
	rc := newReceiver(t)
	_, secret := registerEndpoint(t, c, rc.srv.URL, "verification.card.created", "verification.card.status_changed", "review.created")
	rc.setSecret(secret)
	idem := func(k string) map[string]string { return map[string]string{"Idempotency-Key": "state-test-" + k} }

	var in struct {
		UploadIntent struct{ UUID string } `json:"upload_intent"`
	}
	c.do(http.MethodPost, "/private/files/upload-intents", map[string]any{"purpose": "card_verification"}, idem("i1")).result(t, &in)
	card := map[string]any{"card_number": "4276000011112222", "file_intent": in.UploadIntent.UUID}
	// An intent must be committed before a verification may use it.
	mustError(t, c.do(http.MethodPost, "/private/verifications/cards", card, idem("v0")), 422, "validation_error")
	mustStatus(t, c.upload(in.UploadIntent.UUID, "card.jpg", []byte("jpeg"), ""), 200)
	var v struct {
		Verification struct {
			ID     int64
			Status struct{ Key string }
		}
	}
	c.do(http.MethodPost, "/private/verifications/cards", card, idem("v1")).result(t, &v)
	if v.Verification.Status.Key != "pending" {
		t.Fatalf("new verification %+v", v.Verification)
	}
	// A consumed intent cannot be used twice.
	mustError(t, c.do(http.MethodPost, "/private/verifications/cards", card, idem("v2")), 422, "validation_error")
	if err := s.SetVerificationStatus(v.Verification.ID, "approved"); err != nil {
		t.Fatal(err)
	}
	var req struct {
		Requirements struct {
			Card struct {
				Required bool
				Current  struct {
					Key             string
					IsFinalApproved bool `json:"is_final_approved"`
				}
			}
		}
	}
	c.do(http.MethodGet, "/private/verifications/requirements?income_payment_system=3&outcome_payment_system=1", nil, nil).result(t, &req)
	if !req.Requirements.Card.Required || req.Requirements.Card.Current.Key != "approved" || !req.Requirements.Card.Current.IsFinalApproved {
		t.Fatalf("requirements %+v", req.Requirements)
	}
	other, _ := s.CreateKey(KeyOptions{ClientID: 2})
	mustError(t, newTClient(t, s, other).do(http.MethodGet, "/private/verifications/cards/"+strconv.FormatInt(v.Verification.ID, 10), nil, nil), 404, "not_found")

	mustStatus(t, c.do(http.MethodPost, "/private/exchange/orders", orderBody, idem("o1")), 201)
	tracking := s.Orders()[0].TrackingID
	review := map[string]any{"name": "Ivan", "text": "Good.", "rating": 4, "tracking_id": tracking}
	mustStatus(t, c.do(http.MethodPost, "/private/reviews", review, idem("r1")), 201)
	mustError(t, c.do(http.MethodPost, "/private/reviews", review, idem("r2")), 409, "review_exists")
	review["rating"] = 9
	mustError(t, c.do(http.MethodPost, "/private/reviews", review, idem("r3")), 422, "validation_error")
	// New reviews wait for moderation: the published list does not show them.
	var list []struct{ ID int64 }
	c.do(http.MethodGet, "/private/reviews", nil, nil).result(t, &list)
	if len(list) != 2 {
		t.Fatalf("published reviews %d, want the 2 seeded", len(list))
	}

	s.WaitForDeliveries(5 * time.Second)
	got, bad, _ := rc.snapshot()
	var types []string
	for _, d := range got {
		types = append(types, d.typ)
	}
	want := []string{"verification.card.created", "verification.card.status_changed", "review.created"}
	if bad != 0 || len(types) != 3 || types[0] != want[0] || types[1] != want[1] || types[2] != want[2] {
		t.Fatalf("events %v (bad signatures %d), want %v", types, bad, want)
	}
}

func TestWebhookEndpointLifecycle(t *testing.T) {
	s := NewServer(t)
	c := newTClient(t, s, s.Key())
	rc := newReceiver(t)
	id, secret := registerEndpoint(t, c, rc.srv.URL, "order.created")
	rc.setSecret(secret)
	idem := func(k string) map[string]string { return map[string]string{"Idempotency-Key": "lifecycle-" + k} }
	mustError(t, c.do(http.MethodPost, "/private/webhooks", map[string]any{"name": "x", "url": "ftp://x", "events": []string{"order.created"}}, idem("bad-url")), 422, "validation_error")
	mustError(t, c.do(http.MethodPost, "/private/webhooks", map[string]any{"name": "x", "url": rc.srv.URL, "events": []string{"order.shipped"}}, idem("bad-event")), 422, "validation_error")

	// A paused endpoint receives nothing.
	mustStatus(t, c.do(http.MethodPatch, "/private/webhooks/"+id, map[string]any{"status": "paused"}, idem("pause")), 200)
	mustStatus(t, c.do(http.MethodPost, "/private/exchange/orders", orderBody, idem("o1")), 201)
	mustStatus(t, c.do(http.MethodPatch, "/private/webhooks/"+id, map[string]any{"status": "active"}, idem("resume")), 200)
	mustStatus(t, c.do(http.MethodPost, "/private/exchange/orders", orderBody, idem("o2")), 201)
	s.WaitForDeliveries(5 * time.Second)
	if got, _, _ := rc.snapshot(); len(got) != 1 {
		t.Fatalf("%d deliveries, want 1 (the first order was created while paused)", len(got))
	}
	mustStatus(t, c.do(http.MethodDelete, "/private/webhooks/"+id, nil, idem("delete")), 200)
	mustError(t, c.do(http.MethodGet, "/private/webhooks/"+id, nil, nil), 404, "not_found")
	for i := 0; i < maxEndpoints; i++ {
		registerEndpoint(t, c, rc.srv.URL+"/"+strconv.Itoa(i), "*")
	}
	mustError(t, c.do(http.MethodPost, "/private/webhooks", map[string]any{"name": "x", "url": rc.srv.URL, "events": []string{"*"}}, idem("eleventh")), 422, "validation_error")
}
