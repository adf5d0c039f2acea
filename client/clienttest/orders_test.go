package clienttest

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestQuotePreflightAndOrderRules(t *testing.T) {
	s := NewServer(t)
	c := newTClient(t, s, s.Key())
	var q struct {
		Quote struct {
			Amounts struct{ Give, Receive string }
		}
	}
	c.do(http.MethodPost, "/private/exchange/quotes", map[string]any{"direction_id": 1, "income_amount": "100.5"}, nil).result(t, &q)
	if q.Quote.Amounts.Give != "100.5" || q.Quote.Amounts.Receive != "9261.07" { // 100.5 * 92.15 = 9261.075, rounded down
		t.Fatalf("quote %+v", q.Quote.Amounts)
	}
	// Aliases: a pair of payment systems, letter codes, a numeric amount.
	mustStatus(t, c.do(http.MethodPost, "/private/exchange/quotes", map[string]any{"from_currency_id": 1, "to_currency_id": 3, "amount": 100}, nil), 200)
	mustStatus(t, c.do(http.MethodPost, "/private/exchange/quotes", map[string]any{"from": "USDTTRC20", "to": "SBERRUB", "amount": "100"}, nil), 200)
	r := c.do(http.MethodPost, "/private/exchange/quotes", map[string]any{"route_id": 1, "amount": "5"}, nil)
	mustError(t, r, 422, "validation_error")
	if string(r.env.Error.Details) != `{"amount":["The amount must be at least 10 USDT."]}` {
		t.Errorf("details %s", r.env.Error.Details)
	}
	mustError(t, c.do(http.MethodPost, "/private/exchange/quotes", []byte(`{"route_id":`), nil), 400, "invalid_json")
	mustError(t, c.do(http.MethodPost, "/private/exchange/quotes", map[string]any{"route_id": 1, "amount": "1e3"}, nil), 422, "validation_error")

	var pf struct {
		Preflight struct {
			CanCreateOrder bool                           `json:"can_create_order"`
			MissingFields  []struct{ Field, Type string } `json:"missing_fields"`
		}
	}
	c.do(http.MethodPost, "/private/exchange/orders/preflight", map[string]any{"route_id": 3, "amount": "5000", "income_account": "4276"}, nil).result(t, &pf)
	if pf.Preflight.CanCreateOrder || len(pf.Preflight.MissingFields) != 1 || pf.Preflight.MissingFields[0].Field != "outcome_account" {
		t.Fatalf("preflight %+v", pf.Preflight)
	}
	mustError(t, c.do(http.MethodPost, "/private/exchange/orders", map[string]any{"route_id": 3, "amount": "5000"},
		map[string]string{"Idempotency-Key": "create-order-missing"}), 422, "validation_error")

	idem := func(k string) map[string]string { return map[string]string{"Idempotency-Key": "order-rules-" + k} }
	var created struct {
		Order struct {
			ID       int64
			PublicID string `json:"public_id"`
			Status   struct{ Key string }
		}
	}
	c.do(http.MethodPost, "/private/exchange/orders", orderBody, idem("1")).result(t, &created)
	id := created.Order.PublicID
	if created.Order.Status.Key != StatusCreated {
		t.Fatalf("new order status %q", created.Order.Status.Key)
	}
	mustError(t, c.do(http.MethodPost, "/private/exchange/orders/"+id+"/confirm", map[string]any{"type": "maybe"}, idem("2")), 422, "validation_error")
	mustStatus(t, c.do(http.MethodPost, "/private/exchange/orders/"+id+"/confirm", map[string]any{"type": "paid"}, idem("3")), 200)
	mustError(t, c.do(http.MethodPost, "/private/exchange/orders/"+id+"/confirm", map[string]any{"type": "paid"}, idem("4")), 422, "validation_error")
	var st struct {
		Order struct {
			Status  string
			IsFinal bool `json:"is_final"`
		}
	}
	c.do(http.MethodGet, "/private/exchange/orders/"+id+"/status", nil, nil).result(t, &st)
	if st.Order.Status != StatusPaid || st.Order.IsFinal {
		t.Fatalf("status %+v", st.Order)
	}
	_ = s.AdvanceOrder(id, StatusCompleted)
	mustError(t, c.do(http.MethodDelete, "/private/exchange/orders/"+id, nil, idem("5")), 422, "validation_error")
	var acts struct {
		Actions struct {
			AllowedActions map[string]bool `json:"allowed_actions"`
		}
	}
	c.do(http.MethodGet, "/private/exchange/orders/"+id+"/actions", nil, nil).result(t, &acts)
	if acts.Actions.AllowedActions["cancel"] || acts.Actions.AllowedActions["confirm_payment"] {
		t.Errorf("final order allows %v", acts.Actions.AllowedActions)
	}

	// Orders are visible to their owner only.
	other, _ := s.CreateKey(KeyOptions{ClientID: 2})
	oc := newTClient(t, s, other)
	mustError(t, oc.do(http.MethodGet, "/private/exchange/orders/"+id, nil, nil), 404, "not_found")
	var list []json.RawMessage
	oc.do(http.MethodGet, "/private/orders", nil, nil).result(t, &list)
	if len(list) != 0 {
		t.Fatalf("another client sees %d orders", len(list))
	}
}

func TestListsPageAndCursor(t *testing.T) {
	s := NewServer(t)
	c := newTClient(t, s, s.Key())
	for i := 0; i < 5; i++ {
		mustStatus(t, c.do(http.MethodPost, "/private/exchange/orders", orderBody,
			map[string]string{"Idempotency-Key": "list-order-000" + itoa(int64(i))}), 201)
	}
	type page struct {
		Mode        string
		CurrentPage *int    `json:"current_page"`
		Total       *int    `json:"total"`
		LastPage    *int    `json:"last_page"`
		NextCursor  *string `json:"next_cursor"`
		HasMore     bool    `json:"has_more"`
	}
	var ids []int64
	var p page
	r := c.do(http.MethodGet, "/private/orders?per_page=2&page=3&sort=-id", nil, nil)
	var rows []struct{ ID int64 }
	r.result(t, &rows)
	_ = json.Unmarshal(r.env.Meta.Pagination, &p)
	if len(rows) != 1 || *p.Total != 5 || *p.LastPage != 3 || *p.CurrentPage != 3 || p.HasMore || rows[0].ID != s.Orders()[0].ID {
		t.Fatalf("page 3: %s %s", r.env.Result, r.env.Meta.Pagination)
	}
	url := "/private/orders?pagination=cursor&per_page=2"
	for i := 0; i < 5; i++ {
		r := c.do(http.MethodGet, url, nil, nil)
		mustStatus(t, r, 200)
		r.result(t, &rows)
		_ = json.Unmarshal(r.env.Meta.Pagination, &p)
		for _, row := range rows {
			ids = append(ids, row.ID)
		}
		if p.Mode != "cursor" || p.Total != nil || p.NextCursor == nil {
			break
		}
		url = "/private/orders?per_page=2&cursor=" + *p.NextCursor
	}
	if len(ids) != 5 || ids[0] != s.Orders()[0].ID {
		t.Fatalf("cursor walk gave %v", ids)
	}
	mustError(t, c.do(http.MethodGet, "/private/orders?per_page=101", nil, nil), 422, "validation_error")
	mustError(t, c.do(http.MethodGet, "/private/orders?cursor=bogus", nil, nil), 422, "validation_error")

	var ps []struct{ ID int64 }
	c.do(http.MethodGet, "/private/exchange/payment-systems?filter[side]=receive&filter[network][]=TRON", nil, nil).result(t, &ps)
	if len(ps) != 1 || ps[0].ID != 1 {
		t.Fatalf("filtered payment systems %+v", ps)
	}
	var routes []struct{ ID int64 }
	c.do(http.MethodGet, "/private/exchange/routes?filter[from]=USDT", nil, nil).result(t, &routes)
	if len(routes) != 2 {
		t.Fatalf("routes from USDT: %+v", routes)
	}
}

func TestSeedIsReplaceable(t *testing.T) {
	seed := Seed{
		PaymentSystems: []PaymentSystem{{ID: 10, Name: "Coin", Currency: "XC", LetterCode: "XC", Decimals: 2},
			{ID: 11, Name: "Bank", Currency: "EUR", LetterCode: "BANKEUR", Decimals: 2}},
		Routes: []Route{{ID: 7, From: 10, To: 11, Rate: "2.5", MinGive: "1", Fields: []string{"outcome_account"}}},
	}
	s := NewServer(t, WithSeed(seed))
	c := newTClient(t, s, s.Key())
	var routes []struct{ ID int64 }
	c.do(http.MethodGet, "/private/exchange/routes", nil, nil).result(t, &routes)
	if len(routes) != 1 || routes[0].ID != 7 {
		t.Fatalf("routes %+v", routes)
	}
	if _, err := New(WithSeed(Seed{Routes: []Route{{ID: 1, From: 1, To: 2, Rate: "1"}}})); err == nil {
		t.Fatal("a route between unknown payment systems was accepted")
	}
	if _, err := New(WithOrderSchedule([]string{"shipped"}, time.Second)); !errors.Is(err, ErrUnknownStatus) {
		t.Fatalf("unknown schedule status: %v", err)
	}
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	s := NewServer(t)
	c := newTClient(t, s, s.Key())
	mustError(t, c.do(http.MethodGet, "/nope", nil, nil), 404, "not_found")
	mustError(t, c.do(http.MethodPut, "/private/exchange/orders", nil, nil), 405, "method_not_allowed")
	long := make([]byte, 129)
	for i := range long {
		long[i] = 'x'
	}
	mustError(t, c.do(http.MethodGet, "/ping", nil, map[string]string{"X-Correlation-Id": string(long)}), 422, "validation_error")
	big := make([]byte, maxJSONBody+1)
	mustError(t, c.do(http.MethodPost, "/private/exchange/quotes", big, nil), 413, "payload_too_large")
}
