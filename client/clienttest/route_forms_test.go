package clienttest

import (
	"net/http"
	"testing"
)

// TestFakeRefusesMixedRouteForms: like openapi.yaml's oneOf, the fake takes
// one route form per request; a mix is a validation error naming route_id.
func TestFakeRefusesMixedRouteForms(t *testing.T) {
	s := NewServer(t)
	c := newTClient(t, s, s.Key())
	for _, body := range []map[string]any{
		{"route_id": 1, "direction_id": 1, "amount": "100"},
		{"route_id": 1, "from": "USDTTRC20", "to": "SBERRUB", "amount": "100"},
		{"income_payment_system": 1, "outcome_payment_system": 3, "from_currency_id": 1, "to_currency_id": 3, "amount": "100"},
	} {
		r := c.do(http.MethodPost, "/private/exchange/quotes", body, nil)
		mustError(t, r, 422, "validation_error")
		if !contains(string(r.env.Error.Details), "route_id") {
			t.Errorf("%v: details %s do not name route_id", body, r.env.Error.Details)
		}
	}
	// Each form alone still works.
	mustStatus(t, c.do(http.MethodPost, "/private/exchange/quotes", map[string]any{"direction_id": 1, "amount": "100"}, nil), 200)
}
