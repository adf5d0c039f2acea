package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/iexkit/exchanger-go/webhook"
)

func ExampleSign() {
	body := []byte(`{"id":"evt_1","type":"api.test","created_at":"2026-06-23T10:00:00+00:00","data":{}}`)
	fmt.Println(webhook.Sign("whsec_example", "evt_1", "api.test", "1782190000", "wh_1", body))
	// Output: sha256=1ba749b706bdb06f89b70d440470282e97aa00b8039dc8c81f687fe9ad8e6b81
}

func ExampleVerifier_Verify() {
	v, err := webhook.NewVerifier("whsec_example", webhook.WithTolerance(0)) // fixed timestamp below
	if err != nil {
		panic(err)
	}
	body := []byte(`{"id":"evt_1","type":"order.status_changed","created_at":"2026-06-23T10:00:00+00:00","data":{"order":{"tracking_id":"TRK1","status":"paid"}}}`)
	h := http.Header{}
	h.Set(webhook.HeaderEventID, "evt_1")
	h.Set(webhook.HeaderEventType, webhook.TypeOrderStatusChanged)
	h.Set(webhook.HeaderTimestamp, "1782190000")
	h.Set(webhook.HeaderNonce, "wh_1")
	h.Set(webhook.HeaderSignature, webhook.Sign("whsec_example", "evt_1", webhook.TypeOrderStatusChanged, "1782190000", "wh_1", body))

	ev, err := v.Verify(h, body)
	if err != nil {
		panic(err)
	}
	p, _ := ev.Payload()
	o := p.(*webhook.OrderEvent).Order
	fmt.Println(ev.ID, ev.Type, o.TrackingID, o.Status)

	// One changed byte and the delivery is refused, with the check named.
	body[len(body)-3] = 'X'
	_, err = v.Verify(h, body)
	fmt.Println(errors.Is(err, webhook.ErrBadSignature), err)
	// Output:
	// evt_1 order.status_changed TRK1 paid
	// true webhook: bad signature: X-Webhook-Signature: no configured secret made this signature
}

func ExampleVerifier_AddSecret() {
	v, _ := webhook.NewVerifier("whsec_old")
	// After rotate-secret: accept both until every delivery uses the new one.
	_ = v.AddSecret("whsec_new")
	fmt.Println(v.SecretCount())
	_, _ = v.RemoveSecret("whsec_old")
	fmt.Println(v.SecretCount())
	// Output:
	// 2
	// 1
}

func ExampleNewHandler() {
	v, _ := webhook.NewVerifier("whsec_example")
	runs := 0
	h, _ := webhook.NewHandler(v, webhook.NewMemoryStore(), func(ctx context.Context, e *webhook.Event) error {
		runs++ // the business action: update the CRM, notify someone...
		return nil
	})

	// The exchanger retries deliveries: the same event arrives twice.
	d := webhook.Delivery{Secret: "whsec_example", EventID: "evt_42", EventType: webhook.TypeOrderCreated,
		Data: map[string]any{"order": map[string]any{"tracking_id": "TRK42", "status": "created"}}}
	for i := 0; i < 2; i++ {
		req, _ := d.Request()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Print(rec.Code, " ", rec.Body.String())
	}
	fmt.Println("runs:", runs)
	// Output:
	// 200 ok
	// 200 duplicate
	// runs: 1
}

func ExampleNewTestDelivery() {
	req, _ := webhook.NewTestDelivery("whsec_example", webhook.TypeAPITest, map[string]string{"message": "hello"})
	v, _ := webhook.NewVerifier("whsec_example")
	body := make([]byte, req.ContentLength)
	_, _ = io.ReadFull(req.Body, body)
	ev, err := v.Verify(req.Header, body)
	fmt.Println(err, ev.Type, string(ev.Data))
	// Output: <nil> api.test {"message":"hello"}
}
