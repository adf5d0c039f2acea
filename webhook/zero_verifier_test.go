package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/iexkit/exchanger-go/webhook"
)

// A zero (or nil) Verifier is inert, like a zero value should be: Verify
// returns an error matching ErrNoSecret instead of panicking, the other
// methods answer, and NewHandler refuses it.
func TestZeroVerifierReturnsErrors(t *testing.T) {
	req, err := webhook.Delivery{Secret: testSecret, EventType: webhook.TypeOrderStatusChanged}.Request()
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"id":"evt_1"}`)
	for name, v := range map[string]*webhook.Verifier{"zero": {}, "nil": nil} {
		t.Run(name, func(t *testing.T) {
			ev, err := v.Verify(req.Header, body)
			if ev != nil || !errors.Is(err, webhook.ErrNoSecret) {
				t.Fatalf("Verify = %v, %v; want ErrNoSecret", ev, err)
			}
			if v.SecretCount() != 0 || v.MaxBodySize() != 0 {
				t.Fatalf("count %d, limit %d", v.SecretCount(), v.MaxBodySize())
			}
			_ = fmt.Sprintf("%v %+v %#v %s", v, v, v, v)
			if _, err := webhook.NewHandler(v, webhook.NewMemoryStore(), func(context.Context, *webhook.Event) error { return nil }); err == nil {
				t.Fatal("NewHandler accepted a verifier that accepts nothing")
			}
			if ok, err := v.RemoveSecret(testSecret); ok || err != nil {
				t.Fatalf("RemoveSecret = %v, %v", ok, err)
			}
			if err := v.AddSecret(testSecret); !errors.Is(err, webhook.ErrNoSecret) {
				t.Fatalf("AddSecret = %v; a zero Verifier has no limits to verify with", err)
			}
		})
	}
}
