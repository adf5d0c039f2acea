package webhook_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

func TestEventFromLog(t *testing.T) {
	t.Parallel()
	ev, err := webhook.EventFromLog(json.RawMessage(`{"id":"3f1c-uuid","type":"order.created","status":"failed",
		"request_id":"req-1","correlation_id":null,"created_at":"2026-06-23T10:00:05+00:00",
		"payload":{"id":"evt_01J","type":"order.status_changed","created_at":"2026-06-23T10:00:00+00:00","data":{"order":{"tracking_id":"T1"}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	// The payload's id and type are what deliveries carry in their headers.
	if ev.ID != "evt_01J" || ev.Type != "order.status_changed" || !ev.CaughtUp || ev.RequestID != "req-1" || ev.CorrelationID != "" {
		t.Fatalf("%+v", ev)
	}
	if !ev.CreatedAt.Equal(time.Date(2026, 6, 23, 10, 0, 0, 0, time.UTC)) || ev.OrderRef().TrackingID != "T1" {
		t.Fatalf("created %v, order %+v", ev.CreatedAt, ev.OrderRef())
	}
	if !strings.HasPrefix(string(ev.Body), `{"id":"evt_01J"`) || !ev.SentAt.IsZero() || ev.Nonce != "" {
		t.Fatalf("body %s, sent %v, nonce %q", ev.Body, ev.SentAt, ev.Nonce)
	}

	// Without id, type and created_at in the payload, the entry's own serve.
	ev, err = webhook.EventFromLog(json.RawMessage(`{"id":"e2","type":"review.created","created_at":"2026-06-23T11:00:00Z","payload":{"data":null}}`))
	if err != nil || ev.ID != "e2" || ev.Type != "review.created" || ev.Data != nil || ev.CreatedAt.Hour() != 11 {
		t.Fatalf("fallbacks: %+v, %v", ev, err)
	}

	for name, raw := range map[string]string{
		"not json":        `{"id":`,
		"not an object":   `[1,2]`,
		"no payload":      `{"id":"e","type":"t"}`,
		"payload array":   `{"id":"e","type":"t","payload":[]}`,
		"payload string":  `{"id":"e","type":"t","payload":"{}"}`,
		"no id":           `{"type":"t","payload":{}}`,
		"no type":         `{"id":"e","payload":{}}`,
		"bad payload":     `{"id":"e","type":"t","payload":{"id":5}}`,
		"control char id": `{"type":"t","payload":{"id":"a\u0000b"}}`,
		"id too long":     `{"type":"t","payload":{"id":"` + strings.Repeat("x", webhook.MaxEventIDLength+1) + `"}}`,
	} {
		if _, err := webhook.EventFromLog(json.RawMessage(raw)); !errors.Is(err, webhook.ErrBadLogEvent) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := webhook.EventFromLog(json.RawMessage(`{"type":"t","payload":{"id":"` + strings.Repeat("x", webhook.MaxEventIDLength) + `"}}`)); err != nil {
		t.Errorf("an id of exactly MaxEventIDLength bytes: %v", err)
	}
}

// FuzzEventFromLog: any entry gives an error or an event with an id and a
// type within the limits and a body that is a JSON object; never a panic.
func FuzzEventFromLog(f *testing.F) {
	f.Add([]byte(`{"id":"e1","type":"order.created","payload":{"id":"evt_1","type":"order.created","created_at":"2026-06-23T10:00:00Z","data":{}}}`))
	f.Add([]byte(`{"id":"e2","type":"t","created_at":null,"request_id":null,"payload":{"data":[]}}`))
	f.Add([]byte(`{"payload":{"id":"\u0001"}}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		ev, err := webhook.EventFromLog(raw)
		if err != nil {
			if !errors.Is(err, webhook.ErrBadLogEvent) {
				t.Fatalf("error %v is not ErrBadLogEvent", err)
			}
			return
		}
		if ev.ID == "" || ev.Type == "" || len(ev.ID) > webhook.MaxEventIDLength || !ev.CaughtUp {
			t.Fatalf("event %+v", ev)
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal(ev.Body, &obj) != nil {
			t.Fatalf("body %q is not a JSON object", ev.Body)
		}
	})
}
