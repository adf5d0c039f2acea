package clienttest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/iexkit/exchanger-go/internal/apispec"
)

// specRouter loads openapi.yaml with its server set to base.
func specRouter(t testing.TB, base string) (*openapi3.T, routers.Router) {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(apispec.Document())
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: base}}
	r, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatalf("router: %v", err)
	}
	return doc, r
}

// validator checks one exchange against openapi.yaml: the request, then the
// response with its status required to be one the operation declares.
type validator struct {
	t      *testing.T
	router routers.Router
	seen   map[string]bool
}

func (v *validator) check(c *tclient, r *tresp) {
	v.t.Helper()
	req := c.lastReq.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(c.lastBody))
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		v.t.Fatalf("%s %s: no route in openapi.yaml: %v", req.Method, req.URL.Path, err)
	}
	v.seen[req.Method+" "+route.Path] = true
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		v.t.Errorf("%s %s: request does not match openapi.yaml: %v", req.Method, route.Path, err)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: r.status, Header: r.header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	out.SetBodyBytes(r.body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		v.t.Errorf("%s %s: %d response does not match openapi.yaml: %v\n%s", req.Method, route.Path, r.status, err, r.body)
	}
}

// TestEveryOperationMatchesOpenAPI walks all 68 operations on their happy
// path, in an order that builds the state each needs, and validates every
// request and response with kin-openapi; it then checks a few declared error
// responses too.
func TestEveryOperationMatchesOpenAPI(t *testing.T) {
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer receiver.Close()
	// openapi.yaml describes GET /openapi.yaml as a string (the document's
	// text); kin-openapi would parse YAML bodies into objects.
	openapi3filter.RegisterBodyDecoder("application/yaml", openapi3filter.PlainBodyDecoder)
	s := NewServer(t, WithKeyOptions(KeyOptions{Name: "all", HMAC: HMACAll}))
	_, router := specRouter(t, s.URL)
	v := &validator{t: t, router: router, seen: map[string]bool{}}
	c := newTClient(t, s, s.Key())
	idem := 0
	key := func() map[string]string {
		idem++
		return map[string]string{"Idempotency-Key": "conformance-" + strings.Repeat("k", 4) + string(rune('a'+idem%26)) + time.Now().Format("150405.000000")}
	}
	call := func(method, path string, body any, hdr map[string]string, want int) *tresp {
		t.Helper()
		r := c.do(method, path, body, hdr)
		if r.status != want {
			t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.body)
		}
		v.check(c, r)
		return r
	}
	get := func(path string) *tresp { t.Helper(); return call(http.MethodGet, path, nil, nil, 200) }

	// Public and platform.
	get("/ping")
	get("/openapi.yaml")
	get("/public/contracts")
	get("/public/contracts/operation-contract")
	get("/public/schemas")
	get("/public/schemas/success-envelope.v1")
	get("/public/orders/statuses")
	get("/private/ping")
	get("/private/health/client")
	get("/private/contracts")
	get("/private/contracts/operation-contract")
	get("/private/schemas")
	get("/private/schemas/success-envelope.v1")
	get("/private/scopes")
	get("/private/usage")
	get("/private/client")

	// Webhooks: an endpoint that receives everything.
	var ep struct {
		Endpoint struct{ ID, Secret string } `json:"endpoint"`
	}
	call(http.MethodPost, "/private/webhooks", map[string]any{"name": "all", "url": receiver.URL, "events": []string{"*"}},
		key(), 201).result(t, &ep)
	get("/private/webhooks")
	get("/private/webhooks/" + ep.Endpoint.ID)
	call(http.MethodPatch, "/private/webhooks/"+ep.Endpoint.ID, map[string]any{"name": "renamed"}, key(), 200)
	call(http.MethodPost, "/private/webhooks/test", map[string]any{"endpoint_id": ep.Endpoint.ID}, key(), 201)
	call(http.MethodPost, "/private/webhooks/"+ep.Endpoint.ID+"/rotate-secret", nil, key(), 200)

	// Exchange.
	get("/private/exchange/payment-systems?filter[side]=give&per_page=2")
	get("/private/exchange/payment-systems?pagination=cursor&per_page=2")
	get("/private/exchange/routes?filter[from_currency_id]=1&filter[to_currency_id]=3")
	get("/private/exchange/routes/1")
	get("/private/exchange/routes/details?route_id=1")
	get("/private/exchange/routes/1/details")
	get("/private/exchange/routes/1/capabilities")
	get("/private/exchange/routes/1/3/details")
	get("/private/exchange/routes/1/3/capabilities")
	call(http.MethodPost, "/private/exchange/quotes", map[string]any{"route_id": 1, "amount": "100"}, nil, 200)
	call(http.MethodPost, "/private/exchange/orders/preflight", map[string]any{"route_id": 1, "amount": "100"}, nil, 200)
	call(http.MethodPost, "/private/sandbox/exchange/orders/simulate",
		map[string]any{"route_id": 1, "amount": "100", "outcome_account": "4276000011112222"}, key(), 200)
	var created struct {
		Order struct {
			ID         int64  `json:"id"`
			TrackingID string `json:"tracking_id"`
		} `json:"order"`
	}
	call(http.MethodPost, "/private/exchange/orders", map[string]any{"route_id": 1, "amount": "100",
		"outcome_account": "4276000011112222", "type_rate": "fixed"}, key(), 201).result(t, &created)
	ord := created.Order.TrackingID
	get("/private/exchange/orders/" + ord)
	get("/private/exchange/orders/" + ord + "/status")
	get("/private/exchange/orders/" + ord + "/actions")
	get("/private/exchange/orders/" + ord + "/verifications")
	call(http.MethodPost, "/private/exchange/orders/"+ord+"/confirm", map[string]any{"type": "paid", "num_tx": "0xabc"}, key(), 200)
	get("/private/orders/statuses")
	get("/private/orders?filter[status]=paid&sort=-created_at")
	get("/private/orders/" + ord)

	// Files and verifications.
	intent := func(purpose string) string {
		var res struct {
			UploadIntent struct{ UUID string } `json:"upload_intent"`
		}
		call(http.MethodPost, "/private/files/upload-intents", map[string]any{"purpose": purpose}, key(), 201).result(t, &res)
		r := c.upload(res.UploadIntent.UUID, "passport.png", []byte("\x89PNG fake image bytes"), "")
		mustStatus(t, r, 200)
		v.check(c, r)
		return res.UploadIntent.UUID
	}
	idIntent := intent("identity_verification")
	get("/private/files/upload-intents/" + idIntent)
	var ident struct {
		Verification struct{ ID int64 } `json:"verification"`
	}
	call(http.MethodPost, "/private/verifications/identity", map[string]any{"full_name": "Ivan Petrov",
		"file_intents": []string{idIntent}}, key(), 201).result(t, &ident)
	get("/private/verifications/identity/" + itoa(ident.Verification.ID))
	get("/private/verifications/identity/" + itoa(ident.Verification.ID) + "/actions")
	var card struct {
		Verification struct{ ID int64 } `json:"verification"`
	}
	call(http.MethodPost, "/private/verifications/cards", map[string]any{"card_number": "4276000011112222",
		"file_intent": intent("card_verification")}, key(), 201).result(t, &card)
	get("/private/verifications/cards/" + itoa(card.Verification.ID))
	get("/private/verifications/cards/" + itoa(card.Verification.ID) + "/actions")
	get("/private/verifications/requirements?route_id=3")
	call(http.MethodPost, "/private/exchange/orders/"+ord+"/verifications/submit", map[string]any{
		"identity": map[string]any{"file_intents": []string{intent("identity_verification")}}}, key(), 200)

	// Reviews and partner.
	get("/private/reviews?filter[rating]=5")
	call(http.MethodPost, "/private/reviews", map[string]any{"name": "Ivan", "text": "Quick.", "rating": 5,
		"tracking_id": ord}, key(), 201)
	get("/private/partner")
	get("/private/partner/statistics")
	get("/private/partner/referrals")
	get("/private/partner/exchanges?filter[bonus_min]=6")
	get("/private/partner/payouts?filter[status]=paid")

	// The delivery log, once deliveries have settled.
	if !s.WaitForDeliveries(5 * time.Second) {
		t.Fatal("webhook deliveries did not settle")
	}
	var events struct {
		Events []struct{ ID string } `json:"events"`
	}
	get("/private/webhooks/events?filter[event_type]=order.created").result(t, &events)
	if len(events.Events) != 1 {
		t.Fatalf("order.created events: %d, want 1", len(events.Events))
	}
	get("/private/webhooks/events/" + events.Events[0].ID)
	var dels struct {
		Deliveries []struct{ ID, Status string } `json:"deliveries"`
	}
	get("/private/webhooks/deliveries?filter[event_type]=order.created").result(t, &dels)
	if len(dels.Deliveries) != 1 || dels.Deliveries[0].Status != "succeeded" {
		t.Fatalf("deliveries: %+v", dels.Deliveries)
	}
	get("/private/webhooks/deliveries/" + dels.Deliveries[0].ID)
	call(http.MethodPost, "/private/webhooks/deliveries/"+dels.Deliveries[0].ID+"/retry", nil, key(), 200)

	// Cancel both ways, then delete the endpoint.
	var second struct {
		Order struct {
			PublicID string `json:"public_id"`
		} `json:"order"`
	}
	call(http.MethodPost, "/private/exchange/orders", map[string]any{"route_id": 2, "amount": "0.5",
		"outcome_account": "TXwallet"}, key(), 201).result(t, &second)
	call(http.MethodPost, "/private/exchange/orders/"+second.Order.PublicID+"/cancel", map[string]any{"reason": "changed my mind"}, key(), 200)
	third := call(http.MethodPost, "/private/exchange/orders", map[string]any{"route_id": 2, "amount": "0.5",
		"outcome_account": "TXwallet"}, key(), 201)
	third.result(t, &second)
	call(http.MethodDelete, "/private/exchange/orders/"+second.Order.PublicID, nil, key(), 200)
	call(http.MethodDelete, "/private/webhooks/"+ep.Endpoint.ID, nil, key(), 200)

	// Declared error responses validate too.
	call(http.MethodGet, "/public/contracts/nope", nil, nil, 404)
	call(http.MethodGet, "/private/exchange/orders/nope", nil, nil, 404)
	call(http.MethodPost, "/private/exchange/quotes", map[string]any{"route_id": 999, "amount": "1"}, nil, 422)
	call(http.MethodPost, "/private/exchange/orders/"+ord+"/cancel", nil, key(), 200)
	call(http.MethodPost, "/private/exchange/orders/"+ord+"/cancel", nil, key(), 422)

	var missing []string
	for _, name := range Operations() {
		if !v.seen[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(v.seen) != 68 || len(missing) > 0 {
		t.Fatalf("walked %d operations; not walked: %v", len(v.seen), missing)
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }
