package clienttest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

// receiver records deliveries and checks their signatures with a secret
// the test sets once the endpoint exists.
type receiver struct {
	mu       sync.Mutex
	secret   string
	failN    int // answer 500 to the first failN deliveries
	got      []delivered
	badSigs  int
	srv      *httptest.Server
	attempts int
}

type delivered struct {
	id, typ string
	body    map[string]any
	raw     []byte
	header  http.Header
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h := r.Header
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.attempts++
		want := webhook.Sign(rc.secret, h.Get("X-Webhook-Event-Id"), h.Get("X-Webhook-Event-Type"),
			h.Get("X-Webhook-Timestamp"), h.Get("X-Webhook-Nonce"), body)
		if h.Get("X-Webhook-Signature") != want {
			rc.badSigs++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if rc.failN > 0 {
			rc.failN--
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		rc.got = append(rc.got, delivered{id: h.Get("X-Webhook-Event-Id"), typ: h.Get("X-Webhook-Event-Type"), body: m, raw: body, header: h.Clone()})
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) setSecret(s string) { rc.mu.Lock(); rc.secret = s; rc.mu.Unlock() }

func (rc *receiver) snapshot() ([]delivered, int, int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivered(nil), rc.got...), rc.badSigs, rc.attempts
}

func registerEndpoint(t *testing.T, c *tclient, url string, events ...string) (id, secret string) {
	t.Helper()
	var res struct {
		Endpoint struct{ ID, Secret string } `json:"endpoint"`
	}
	r := c.do(http.MethodPost, "/private/webhooks", map[string]any{"name": "test", "url": url, "events": events},
		map[string]string{"Idempotency-Key": "register-" + url})
	mustStatus(t, r, 201)
	r.result(t, &res)
	return res.Endpoint.ID, res.Endpoint.Secret
}

func TestWebhooksAreSignedAndFollowSubscriptions(t *testing.T) {
	s := NewServer(t)
	c := newTClient(t, s, s.Key())
	rc := newReceiver(t)
	_, secret := registerEndpoint(t, c, rc.srv.URL, "order.status_changed", "order.created")
	rc.setSecret(secret)

	r := c.do(http.MethodPost, "/private/exchange/orders", orderBody, map[string]string{
		"Idempotency-Key": "create-order-webhooks-1", "X-Correlation-Id": "corr-42"})
	mustStatus(t, r, 201)
	if r.header.Get("X-Correlation-Id") != "corr-42" || r.env.Meta.CorrelationID != "corr-42" {
		t.Errorf("correlation id not echoed: %q %q", r.header.Get("X-Correlation-Id"), r.env.Meta.CorrelationID)
	}
	o := s.Orders()[0]
	// Preflight is not subscribed: no delivery.
	mustStatus(t, c.do(http.MethodPost, "/private/exchange/orders/preflight", map[string]any{"route_id": 1, "amount": "100"}, nil), 200)
	if err := s.AdvanceOrder(o.TrackingID, StatusProcessing); err != nil {
		t.Fatal(err)
	}
	if err := s.AdvanceOrder(o.PublicID, StatusCompleted); err != nil {
		t.Fatal(err)
	}
	if !s.WaitForDeliveries(5 * time.Second) {
		t.Fatal("deliveries did not settle")
	}
	got, bad, _ := rc.snapshot()
	if bad != 0 {
		t.Fatalf("%d deliveries with a bad signature", bad)
	}
	var types []string
	for _, d := range got {
		types = append(types, d.typ)
	}
	if len(got) != 3 || types[0] != "order.created" {
		t.Fatalf("delivered %v", types)
	}
	last := got[2]
	data := last.body["data"].(map[string]any)["order"].(map[string]any)
	if data["status"] != StatusCompleted || data["previous_status"] != StatusProcessing || data["tracking_id"] != o.TrackingID {
		t.Errorf("last event data %v", data)
	}
	for _, d := range got {
		if d.header.Get("X-Correlation-Id") != "corr-42" {
			t.Errorf("%s delivery has correlation id %q, want the order's", d.typ, d.header.Get("X-Correlation-Id"))
		}
	}
	if last.body["id"] != last.id || last.body["type"] != "order.status_changed" {
		t.Errorf("payload %v", last.body)
	}
	// The SDK's own verifier accepts every delivery.
	v, err := webhook.NewVerifier(secret)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range got {
		ev, err := v.Verify(d.header, d.raw)
		if err != nil || ev.ID != d.id || ev.Type != d.typ {
			t.Fatalf("webhook.Verifier: %v (%+v)", err, ev)
		}
	}
	if err := s.AdvanceOrder("nope", StatusCompleted); err == nil {
		t.Error("AdvanceOrder(unknown order) succeeded")
	}
	if err := s.AdvanceOrder(o.PublicID, "shipped"); err == nil {
		t.Error("AdvanceOrder(unknown status) succeeded")
	}
}

func TestWebhookRetriesWithBackoffAndManualRetry(t *testing.T) {
	s := NewServer(t, WithWebhookRetry(3, 10*time.Millisecond, 40*time.Millisecond))
	c := newTClient(t, s, s.Key())
	rc := newReceiver(t)
	_, secret := registerEndpoint(t, c, rc.srv.URL, "*")
	rc.setSecret(secret)
	rc.mu.Lock()
	rc.failN = 2
	rc.mu.Unlock()
	mustStatus(t, c.do(http.MethodPost, "/private/webhooks/test", nil, map[string]string{"Idempotency-Key": "webhook-test-1"}), 201)
	if !s.WaitForDeliveries(5 * time.Second) {
		t.Fatal("deliveries did not settle")
	}
	got, _, attempts := rc.snapshot()
	if len(got) != 1 || attempts != 3 || got[0].typ != "api.test" || got[0].header.Get("X-Webhook-Attempt") != "3" {
		t.Fatalf("delivered %d after %d attempts", len(got), attempts)
	}
	var dels struct {
		Deliveries []struct {
			ID, Status string
			Attempt    int
		} `json:"deliveries"`
	}
	c.do(http.MethodGet, "/private/webhooks/deliveries", nil, nil).result(t, &dels)
	if len(dels.Deliveries) != 1 || dels.Deliveries[0].Status != "succeeded" || dels.Deliveries[0].Attempt != 3 {
		t.Fatalf("log %+v", dels.Deliveries)
	}

	// Every attempt fails: the delivery ends failed after 3 attempts; a
	// manual retry makes one more.
	rc.mu.Lock()
	rc.failN = 100
	rc.mu.Unlock()
	mustStatus(t, c.do(http.MethodPost, "/private/webhooks/test", nil, map[string]string{"Idempotency-Key": "webhook-test-2"}), 201)
	if !s.WaitForDeliveries(5 * time.Second) {
		t.Fatal("deliveries did not settle")
	}
	c.do(http.MethodGet, "/private/webhooks/deliveries?filter[status]=failed", nil, nil).result(t, &dels)
	if len(dels.Deliveries) != 1 || dels.Deliveries[0].Attempt != 3 {
		t.Fatalf("failed deliveries %+v", dels.Deliveries)
	}
	rc.mu.Lock()
	rc.failN = 0
	rc.mu.Unlock()
	id := dels.Deliveries[0].ID
	mustStatus(t, c.do(http.MethodPost, "/private/webhooks/deliveries/"+id+"/retry", nil, map[string]string{"Idempotency-Key": "retry-" + id}), 200)
	if !s.WaitForDeliveries(5 * time.Second) {
		t.Fatal("deliveries did not settle")
	}
	var one struct {
		Delivery struct {
			Status  string
			Attempt int
		} `json:"delivery"`
	}
	c.do(http.MethodGet, "/private/webhooks/deliveries/"+id, nil, nil).result(t, &one)
	if one.Delivery.Status != "succeeded" || one.Delivery.Attempt != 4 {
		t.Fatalf("after manual retry: %+v", one.Delivery)
	}
}

func TestWebhookRotateSecret(t *testing.T) {
	s := NewServer(t)
	c := newTClient(t, s, s.Key())
	rc := newReceiver(t)
	id, secret := registerEndpoint(t, c, rc.srv.URL, "api.test")
	var rot struct {
		Endpoint struct{ Secret string } `json:"endpoint"`
	}
	c.do(http.MethodPost, "/private/webhooks/"+id+"/rotate-secret", nil, map[string]string{"Idempotency-Key": "rotate-1-" + id}).result(t, &rot)
	if rot.Endpoint.Secret == "" || rot.Endpoint.Secret == secret {
		t.Fatalf("rotate-secret returned %q", rot.Endpoint.Secret)
	}
	if cur, _ := s.WebhookSecret(id); cur != rot.Endpoint.Secret {
		t.Fatal("WebhookSecret does not return the rotated secret")
	}
	rc.setSecret(rot.Endpoint.Secret)
	mustStatus(t, c.do(http.MethodPost, "/private/webhooks/test", map[string]any{"endpoint_id": id},
		map[string]string{"Idempotency-Key": "webhook-test-rotate"}), 201)
	s.WaitForDeliveries(5 * time.Second)
	if got, bad, _ := rc.snapshot(); len(got) != 1 || bad != 0 {
		t.Fatalf("after rotation: %d delivered, %d bad signatures", len(got), bad)
	}
	// The list never shows secrets.
	r := c.do(http.MethodGet, "/private/webhooks", nil, nil)
	if contains(string(r.body), rot.Endpoint.Secret) || contains(string(r.body), secret) {
		t.Fatal("the endpoint list shows a secret")
	}
}

func TestOrderScheduleWalksToFinal(t *testing.T) {
	s := NewServer(t, WithOrderSchedule([]string{StatusProcessing, StatusCompleted}, 20*time.Millisecond))
	c := newTClient(t, s, s.Key())
	rc := newReceiver(t)
	_, secret := registerEndpoint(t, c, rc.srv.URL, "order.status_changed", "order.payment_received")
	rc.setSecret(secret)
	mustStatus(t, c.do(http.MethodPost, "/private/exchange/orders", orderBody, map[string]string{"Idempotency-Key": "create-order-schedule-1"}), 201)
	deadline := time.Now().Add(5 * time.Second)
	for s.Orders()[0].Status != StatusCompleted && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	s.WaitForDeliveries(5 * time.Second)
	got, _, _ := rc.snapshot()
	var types []string
	for _, d := range got {
		types = append(types, d.typ+":"+d.body["data"].(map[string]any)["order"].(map[string]any)["status"].(string))
	}
	want := []string{"order.status_changed:processing", "order.payment_received:processing", "order.status_changed:completed"}
	if len(types) != 3 || types[0] != want[0] || types[1] != want[1] || types[2] != want[2] {
		t.Fatalf("events %v, want %v", types, want)
	}

	// Cancelling stops the schedule.
	mustStatus(t, c.do(http.MethodPost, "/private/exchange/orders", orderBody, map[string]string{"Idempotency-Key": "create-order-schedule-2"}), 201)
	id := s.Orders()[1].PublicID
	mustStatus(t, c.do(http.MethodPost, "/private/exchange/orders/"+id+"/cancel", nil, map[string]string{"Idempotency-Key": "cancel-" + id}), 200)
	time.Sleep(60 * time.Millisecond)
	if st := s.Orders()[1].Status; st != StatusCancelled {
		t.Fatalf("schedule moved a cancelled order to %s", st)
	}
}
