package client

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/routers/legacy"
)

// formCalls sends every documented alternative of openapi.yaml's oneOf
// request shapes (route forms, amount and requisite aliases, card order_id)
// and the list filters in their declared types.
var formCalls = map[string]func(context.Context, *Client) error{
	"quote by route_id":  quoteWith(QuoteParams{RouteID: 7, Amount: "1"}),
	"quote by direction": quoteWith(QuoteParams{DirectionID: 7, Amount: "1"}),
	"quote by payment systems": quoteWith(QuoteParams{IncomePaymentSystem: 1, OutcomePaymentSystem: 2, Amount: "1",
		TypeRate: TypeRateFixed}),
	"quote by currency ids":  quoteWith(QuoteParams{FromCurrencyID: 1, ToCurrencyID: 2, Amount: "1"}),
	"quote by letter codes":  quoteWith(QuoteParams{From: "USDTTRC20", To: "BTC", Amount: "1", TypeRate: "1"}),
	"preflight by direction": preflightWith(QuoteParams{DirectionID: 7, Amount: "1"}),
	"preflight by currency":  preflightWith(QuoteParams{FromCurrencyID: 1, ToCurrencyID: 2, Amount: "1"}),
	"preflight by codes":     preflightWith(QuoteParams{From: "USDT", To: "BTC", Amount: "1"}),
	"simulate by route_id": func(ctx context.Context, c *Client) error {
		_, err := c.SimulateOrder(ctx, PreflightParams{QuoteParams: QuoteParams{RouteID: 7, Amount: "1"}, OutcomeAccount: "out"})
		return err
	},
	"simulate by currency ids": func(ctx context.Context, c *Client) error {
		_, err := c.SimulateOrder(ctx, PreflightParams{QuoteParams: QuoteParams{FromCurrencyID: 1, ToCurrencyID: 2, Amount: "1"}})
		return err
	},
	"order by direction with receive_amount": orderWith(CreateOrderParams{DirectionID: 7, Amount: "1", ReceiveAmount: "0.5"}),
	"order by payment systems":               orderWith(CreateOrderParams{IncomePaymentSystem: 1, OutcomePaymentSystem: 2, Amount: "1", OutcomeAmount: "0.5"}),
	"order by currency ids with requisites": orderWith(CreateOrderParams{FromCurrencyID: 1, ToCurrencyID: 2, Amount: "1",
		FromRequisite: "in", ToRequisite: "out", TypeRate: TypeRateFloating}),
	"order by letter codes": orderWith(CreateOrderParams{From: "USDT", To: "BTC", Amount: "1", IncomeAccount: "in", OutcomeAccount: "out"}),
	"card verification by order_id": func(ctx context.Context, c *Client) error {
		_, err := c.CreateCardVerification(ctx, CardVerificationParams{CardNumber: "4111111111111111", FileIntent: uuidA, OrderID: "913"})
		return err
	},
	"route details by direction": func(ctx context.Context, c *Client) error {
		_, err := c.RouteDetailsByQuery(ctx, RouteQuery{DirectionID: 7})
		return err
	},
	"orders by two statuses": func(ctx context.Context, c *Client) error {
		return drain(c.Orders(ctx, OrderListOptions{Status: []string{"paid", "completed"}}))
	},
	"webhook update without status": func(ctx context.Context, c *Client) error {
		_, err := c.UpdateWebhookEndpoint(ctx, uuidA, UpdateWebhookEndpointParams{Name: "crm", Events: []string{"*"}})
		return err
	},
}

func quoteWith(p QuoteParams) func(context.Context, *Client) error {
	return func(ctx context.Context, c *Client) error { _, err := c.Quote(ctx, p); return err }
}

func preflightWith(q QuoteParams) func(context.Context, *Client) error {
	return func(ctx context.Context, c *Client) error {
		_, err := c.PreflightOrder(ctx, PreflightParams{QuoteParams: q, IncomeAccount: "in"})
		return err
	}
}

func orderWith(p CreateOrderParams) func(context.Context, *Client) error {
	return func(ctx context.Context, c *Client) error { _, err := c.CreateOrder(ctx, p); return err }
}

// TestContractRequestFormsMatchSpec sends every documented request form
// and validates each request with kin-openapi against openapi.yaml.
func TestContractRequestFormsMatchSpec(t *testing.T) {
	cs, c := newContractServer(t)
	for name, call := range formCalls {
		err := call(context.Background(), c)
		seen := cs.take()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(seen) != 1 || seen[0].err != nil {
			t.Errorf("%s: request does not match openapi.yaml: %+v", name, seen)
		}
	}
}

// TestContractFormsOnTheWire pins what the forms send: one name per field,
// filter[status] as one comma-separated value.
func TestContractFormsOnTheWire(t *testing.T) {
	api, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) { envelope(w, 200, nil, nil) })
	ctx := context.Background()
	if err := formCalls["orders by two statuses"](ctx, c); err != nil {
		t.Fatal(err)
	}
	if q := lastRequest(t, api).RawQuery; !strings.Contains(q, "filter%5Bstatus%5D=paid%2Ccompleted") || strings.Contains(q, "%5B%5D") {
		t.Errorf("query = %s, want filter[status]=paid,completed", q)
	}
	if err := formCalls["order by currency ids with requisites"](ctx, c); err != nil {
		t.Fatal(err)
	}
	body := string(lastRequest(t, api).Body)
	for _, want := range []string{`"from_currency_id":1`, `"to_currency_id":2`, `"from_requisite":"in"`, `"to_requisite":"out"`, `"income_amount":"1"`} {
		if !strings.Contains(body, want) {
			t.Errorf("body %s lacks %s", body, want)
		}
	}
	for _, absent := range []string{"route_id", "income_account", "outcome_account", "income_payment_system"} {
		if strings.Contains(body, `"`+absent+`"`) {
			t.Errorf("body %s sends %s", body, absent)
		}
	}
}

// TestLocalValidationAgreesWithKinOpenAPI checks the generated contract
// against an independent reading of openapi.yaml: for each body, the local
// check and kin-openapi accept or refuse together. (Two local rules go
// further on purpose and are left out: a field sent with its alias, and ""
// taken as absent.)
func TestLocalValidationAgreesWithKinOpenAPI(t *testing.T) {
	router, err := legacy.NewRouter(loadSpec(t))
	if err != nil {
		t.Fatal(err)
	}
	cs := &contractServer{t: t, router: router}
	cases := []struct {
		op, path, body string
		valid          bool
	}{
		{"POST /private/exchange/quotes", "", `{"route_id":7,"amount":"1"}`, true},
		{"POST /private/exchange/quotes", "", `{"direction_id":7,"income_amount":"1","type_rate":1}`, true},
		{"POST /private/exchange/quotes", "", `{"from":"A","to":"B","amount":"1"}`, true},
		{"POST /private/exchange/quotes", "", `{"route_id":7}`, false},
		{"POST /private/exchange/quotes", "", `{}`, false},
		{"POST /private/exchange/quotes", "", `{"route_id":7,"direction_id":7,"amount":"1"}`, false},
		{"POST /private/exchange/quotes", "", `{"income_payment_system":1,"amount":"1"}`, false},
		{"POST /private/exchange/quotes", "", `{"route_id":"7","amount":"1"}`, false},
		{"POST /private/exchange/quotes", "", `{"route_id":7,"amount":"1","type_rate":"best"}`, false},
		{"POST /private/exchange/quotes", "", `{"route_id":7,"amount":"1","type_rate":2}`, false},
		{"POST /private/exchange/orders/preflight", "", `{"from_currency_id":1,"to_currency_id":2,"amount":"1","income_account":"a"}`, true},
		{"POST /private/exchange/orders/preflight", "", `{"from_currency_id":1,"amount":"1"}`, false},
		{"POST /private/exchange/orders", "", `{"route_id":7,"income_amount":"1","to_requisite":"x","receive_amount":"2"}`, true},
		{"POST /private/exchange/orders", "", `{"from_currency_id":1,"to_currency_id":2,"amount":"1"}`, true},
		{"POST /private/exchange/orders", "", `{"route_id":7,"outcome_amount":"1"}`, false},
		{"POST /private/exchange/orders", "", `{"route_id":7,"from":"A","to":"B","income_amount":"1"}`, false},
		{"POST /private/exchange/orders", "", `{"route_id":7,"income_amount":"1","email":7}`, false},
		{"POST /private/exchange/orders/{order}/confirm", "/private/exchange/orders/T1/confirm", `{"type":"paid"}`, true},
		{"POST /private/exchange/orders/{order}/confirm", "/private/exchange/orders/T1/confirm", `{"type":"maybe"}`, false},
		{"POST /private/exchange/orders/{order}/confirm", "/private/exchange/orders/T1/confirm", `{"num_tx":"1"}`, false},
		{"POST /private/webhooks", "", `{"name":"a","url":"https://x.example/","events":["*"]}`, true},
		{"POST /private/webhooks", "", `{"name":"a","url":"https://x.example/","events":[]}`, false},
		{"POST /private/webhooks", "", `{"name":"a","url":"https://x.example/"}`, false},
		{"POST /private/webhooks", "", `{"name":"` + strings.Repeat("a", 81) + `","url":"https://x.example/","events":["*"]}`, false},
		{"POST /private/reviews", "", `{"name":"a","text":"b","tracking_id":"T1","rating":5}`, true},
		{"POST /private/reviews", "", `{"name":"a","text":"b","tracking_id":"T1","order_id":"1"}`, false},
		{"POST /private/reviews", "", `{"name":"a","text":"b","tracking_id":"T1","rating":6}`, false},
		{"POST /private/verifications/identity", "", `{"file_intents":["` + uuidA + `"]}`, true},
		{"POST /private/verifications/identity", "", `{"file_intents":["` + uuidA + `","` + uuidA + `","` + uuidB + `"]}`, false},
		{"POST /private/files/upload-intents", "", `{"purpose":"sandbox","max_bytes":10}`, true},
		{"POST /private/files/upload-intents", "", `{"purpose":"avatar"}`, false},
	}
	for _, tc := range cases {
		method, path, _ := strings.Cut(tc.op, " ")
		if tc.path != "" {
			path = tc.path
		}
		cl := &call{op: tc.op, method: method, path: path}
		local := cl.validate([]byte(tc.body))

		r := httptest.NewRequest(method, "/api/v3"+path, bytes.NewReader([]byte(tc.body)))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer t")
		route, params, err := router.FindRoute(r)
		if err != nil {
			t.Fatalf("%s: %v", tc.op, err)
		}
		for _, p := range route.Operation.Parameters {
			if p.Value != nil && p.Value.Name == "Idempotency-Key" {
				r.Header.Set("Idempotency-Key", "key-00000001")
			}
		}
		remote := cs.validate(r, route, params)

		if (local == nil) != tc.valid || (remote == nil) != tc.valid {
			t.Errorf("%s %s: want valid=%v; local: %v; kin-openapi: %v", tc.op, tc.body, tc.valid, local, remote)
		}
	}
}

// lastRequest is the last request api received.
func lastRequest(t *testing.T, api *apiServer) recorded {
	t.Helper()
	reqs := api.requests()
	if len(reqs) == 0 {
		t.Fatal("no request received")
	}
	return reqs[len(reqs)-1]
}
