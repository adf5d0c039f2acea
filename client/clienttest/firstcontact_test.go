package clienttest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

// GET /ping answers like the vendor's documented example: message "OK",
// result {status, site_name, time} with a numeric UTC offset.
func TestPingAnswersAsDocumented(t *testing.T) {
	s := NewServer(t)
	r := newTClient(t, s, Key{}).do(http.MethodGet, "/ping", nil, nil)
	mustStatus(t, r, 200)
	var env struct {
		State   int    `json:"state"`
		Message string `json:"message"`
		Result  struct {
			Status   string `json:"status"`
			SiteName string `json:"site_name"`
			Time     string `json:"time"`
		} `json:"result"`
	}
	if err := json.Unmarshal(r.body, &env); err != nil {
		t.Fatal(err)
	}
	if env.State != 0 || env.Message != "OK" || env.Result.Status != "ok" || env.Result.SiteName != SiteName {
		t.Errorf("ping answer %s", r.body)
	}
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$`).MatchString(env.Result.Time) {
		t.Errorf("time %q, want the documented form 2026-06-23T10:00:00+00:00", env.Result.Time)
	}
}

// Status changes made by a schedule or by the test (the operator) are
// delivered with X-Request-Id, one per move, and order.payment_received
// carries the payment.
func TestOperatorEventsCarryRequestIDAndPayment(t *testing.T) {
	s := NewServer(t, WithOrderSchedule([]string{StatusProcessing}, 20*time.Millisecond))
	c := newTClient(t, s, s.Key())
	rc := newReceiver(t)
	_, secret := registerEndpoint(t, c, rc.srv.URL, "order.status_changed", "order.payment_received")
	rc.setSecret(secret)
	mustStatus(t, c.do(http.MethodPost, "/private/exchange/orders", orderBody, map[string]string{"Idempotency-Key": "create-order-reqid-1"}), 201)
	deadline := time.Now().Add(5 * time.Second)
	for s.Orders()[0].Status != StatusProcessing && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := s.AdvanceOrder(s.Orders()[0].TrackingID, StatusCompleted); err != nil {
		t.Fatal(err)
	}
	s.WaitForDeliveries(5 * time.Second)
	got, _, _ := rc.snapshot()
	if len(got) != 3 {
		t.Fatalf("%d deliveries, want status_changed and payment_received (schedule), status_changed (operator)", len(got))
	}
	ids := map[string]bool{}
	for _, d := range got {
		id := d.header.Get("X-Request-Id")
		if id == "" {
			t.Errorf("%s delivered without X-Request-Id", d.typ)
		}
		ids[id] = true
	}
	if got[0].header.Get("X-Request-Id") != got[1].header.Get("X-Request-Id") || len(ids) != 2 {
		t.Errorf("request ids %v: want one per move (the schedule's two events share one)", ids)
	}

	var paid *delivered
	for i := range got {
		if got[i].typ == webhook.TypeOrderPaymentReceived {
			paid = &got[i]
		}
	}
	if paid == nil {
		t.Fatal("no order.payment_received")
	}
	ev := &webhook.Event{Type: paid.typ}
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(paid.raw, &env); err != nil {
		t.Fatal(err)
	}
	ev.Data = env.Data
	p, err := ev.Payload()
	if err != nil {
		t.Fatal(err)
	}
	pe, ok := p.(*webhook.PaymentReceivedEvent)
	if !ok {
		t.Fatalf("payload %T", p)
	}
	o := s.Orders()[0]
	if string(pe.Payment.Amount) != o.Give || pe.Payment.Currency == "" || pe.Payment.TxID == "" {
		t.Errorf("payment %+v, want the give amount %s, a currency and a transaction id", pe.Payment, o.Give)
	}
}
