package webhook_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/iexkit/exchanger-go/webhook"
)

func event(typ, data string) *webhook.Event {
	return &webhook.Event{ID: "evt_1", Type: typ, Data: json.RawMessage(data)}
}

func TestPayloadTypes(t *testing.T) {
	cases := []struct {
		typ, data string
		want      any
	}{
		{webhook.TypeOrderCreated, `{"order":{"id":17,"public_id":"p1","tracking_id":"TRK1","status":"created","amounts":{"give":"100.50","receive":99.1234567890123456789}}}`,
			&webhook.OrderEvent{Order: webhook.Order{ID: "17", PublicID: "p1", TrackingID: "TRK1", Status: webhook.Status{Key: "created"},
				Amounts: webhook.OrderAmounts{Give: "100.50", Receive: "99.1234567890123456789"}}}},
		{webhook.TypeOrderStatusChanged, `{"order":{"tracking_id":"TRK2","status":{"id":5,"key":"paid","name":"Paid","is_final":false,"is_payment_flow":true}},"previous_status":"created"}`,
			&webhook.OrderEvent{Order: webhook.Order{TrackingID: "TRK2", Status: webhook.Status{ID: "5", Key: "paid", Name: "Paid", IsPaymentFlow: true}},
				PreviousStatus: &webhook.Status{Key: "created"}}},
		// Some deployments nest the previous status inside the order.
		{webhook.TypeOrderStatusChanged, `{"order":{"tracking_id":"TRK7","status":"completed","previous_status":"processing"}}`,
			&webhook.OrderEvent{Order: webhook.Order{TrackingID: "TRK7", Status: webhook.Status{Key: "completed"}, PreviousStatus: &webhook.Status{Key: "processing"}},
				PreviousStatus: &webhook.Status{Key: "processing"}}},
		{webhook.TypeOrderPreflight, `{"order":{"tracking_id":"TRK3","status":null}}`,
			&webhook.OrderEvent{Order: webhook.Order{TrackingID: "TRK3"}}},
		{webhook.TypeOrderPaymentReceived, `{"order":{"tracking_id":"TRK4","status":"paid"},"payment":{"amount":"0.00100000","currency":"BTC","tx_id":123}}`,
			&webhook.PaymentReceivedEvent{Order: webhook.Order{TrackingID: "TRK4", Status: webhook.Status{Key: "paid"}},
				Payment: webhook.Payment{Amount: "0.00100000", Currency: "BTC", TxID: "123"}}},
		{webhook.TypeVerificationIdentityStatusChanged, `{"verification":{"id":"9","type":"identity","status":{"key":"rejected","label":"Rejected"},"reason":"blurry"}}`,
			&webhook.VerificationEvent{Verification: webhook.Verification{ID: "9", Kind: "identity", Status: webhook.Status{Key: "rejected", Name: "Rejected"}, Reason: "blurry"}}},
		{webhook.TypeVerificationCardCreated, `{"verification":{"id":3,"status":"pending"},"order":{"tracking_id":"TRK5"}}`,
			&webhook.VerificationEvent{Verification: webhook.Verification{ID: "3", Status: webhook.Status{Key: "pending"}}, Order: &webhook.Order{TrackingID: "TRK5"}}},
		{webhook.TypeFileUploaded, `{"file":{"uuid":"u-1","purpose":"order_attachment","size":2048,"sha256":"ab"}}`,
			&webhook.FileUploadedEvent{File: webhook.File{UUID: "u-1", Purpose: "order_attachment", Size: "2048", SHA256: "ab"}}},
		{webhook.TypeSandboxSimulated, `{"scenario":"order_paid","order":{"tracking_id":"TRK6","status":"paid"}}`,
			&webhook.SandboxEvent{Scenario: "order_paid", Order: &webhook.Order{TrackingID: "TRK6", Status: webhook.Status{Key: "paid"}}}},
		{webhook.TypeReviewCreated, `{"review":{"id":1,"name":"Ann","text":"fast","rating":5,"status":{"id":2,"name":"moderation"}}}`,
			&webhook.ReviewCreatedEvent{Review: webhook.Review{ID: "1", Name: "Ann", Text: "fast", Rating: "5", Status: webhook.Status{ID: "2", Key: "moderation", Name: "moderation"}}}},
		{webhook.TypePartnerPayoutPaid, `{"payout":{"id":"po_1","amount":12.5,"currency":"USDT","status":"paid"}}`,
			&webhook.PartnerPayoutEvent{Payout: webhook.Payout{ID: "po_1", Amount: "12.5", Currency: "USDT", Status: webhook.Status{Key: "paid"}}}},
		{webhook.TypeAPITest, `{"message":"hello","extra":1}`,
			&webhook.TestEvent{Message: "hello", Fields: map[string]any{"message": "hello", "extra": float64(1)}}},
	}
	for _, c := range cases {
		got, err := event(c.typ, c.data).Payload()
		if err != nil {
			t.Fatalf("%s: %v", c.typ, err)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %#v\nwant %#v", c.typ, got, c.want)
		}
	}
}

func TestPayloadUnknownTypeIsRaw(t *testing.T) {
	got, err := event("order.teleported", `{"order":{"x":1}}`).Payload()
	if err != nil {
		t.Fatal(err)
	}
	if raw, ok := got.(json.RawMessage); !ok || string(raw) != `{"order":{"x":1}}` {
		t.Fatalf("got %#v", got)
	}
}

func TestPayloadDecodeErrorNamesEvent(t *testing.T) {
	_, err := event(webhook.TypeOrderCreated, `{"order":{"status":[1]}}`).Payload()
	if err == nil {
		t.Fatal("want an error for a status that is an array")
	}
}

func TestOrderRefAcrossTypes(t *testing.T) {
	// The vendor's sample payloads carry an order under every type.
	for _, typ := range webhook.KnownTypes() {
		o := event(typ, `{"order":{"tracking_id":"TRK9","status":{"key":"completed","is_final":true}}}`).OrderRef()
		if o == nil || o.TrackingID != "TRK9" || o.Status.Key != "completed" || !o.Final() {
			t.Fatalf("%s: %+v", typ, o)
		}
	}
	if o := event("x", `{"file":{}}`).OrderRef(); o != nil {
		t.Fatalf("no order: %+v", o)
	}
}

func TestVectorPayloadsDecode(t *testing.T) {
	for i, c := range loadVectors(t) {
		v, _ := webhook.NewVerifier(c.Secret, webhook.WithTolerance(0))
		ev, err := v.Verify(c.headers(), c.body(t))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ev.Payload(); err != nil {
			t.Errorf("case %d (%s): %v", i, c.EventType, err)
		}
		if o := ev.OrderRef(); o == nil || o.TrackingID == "" || o.Status.Key == "" {
			t.Errorf("case %d: order %+v", i, o)
		}
	}
}
