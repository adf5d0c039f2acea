package client

import (
	"context"
	"net/http"
	"testing"
)

func TestSystemResultsDecode(t *testing.T) {
	_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v3/public/contracts":
			envelope(w, 200, rawJSON(`{"contracts":[{"key":"operation-contract","version":"operation-contract-v1","headers":["X-Api-Version"]}]}`), nil)
		case "/api/v3/private/contracts/operation-contract":
			envelope(w, 200, rawJSON(`{"contract":{"key":"operation-contract","status":"current"}}`), nil)
		case "/api/v3/public/schemas/success-envelope.v1":
			envelope(w, 200, rawJSON(`{"schema":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}}`), nil)
		case "/api/v3/private/usage":
			envelope(w, 200, rawJSON(`{"quota":{"day":{"limit":null,"used":12,"remaining":null,"resets_at":"2026-01-02T00:00:00Z"}},
				"billing":{"currency":"USD","unit_price":0.0010,"billable_units":12,"estimated_amount":"0.012"},"usage":{"today":{"requests":12}}}`), nil)
		case "/api/v3/private/scopes":
			envelope(w, 200, rawJSON(`{"scopes":[{"scope":"public-api:orders:read","risk":"low","grantable":true}]}`), nil)
		default:
			http.NotFound(w, r)
		}
	})
	ctx := context.Background()
	cs, err := c.PublicContracts(ctx)
	if err != nil || len(cs) != 1 || cs[0].Version != "operation-contract-v1" || cs[0].Headers[0] != "X-Api-Version" {
		t.Fatalf("contracts = %+v, %v", cs, err)
	}
	one, err := c.Contract(ctx, "operation-contract")
	if err != nil || one.Status != "current" {
		t.Fatalf("contract = %+v, %v", one, err)
	}
	sch, err := c.PublicSchema(ctx, "success-envelope.v1")
	if err != nil || string(sch) != `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}` {
		t.Fatalf("schema = %s, %v", sch, err)
	}
	u, err := c.Usage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if u.Quota.Day.Limit != nil || u.Quota.Day.Used != 12 || u.Billing.UnitPrice != "0.0010" || u.Billing.EstimatedAmount != "0.012" || u.Usage["today"].Requests != 12 {
		t.Fatalf("usage = %+v", u)
	}
	sc, err := c.Scopes(ctx)
	if err != nil || len(sc) != 1 || sc[0].Scope != "public-api:orders:read" || !sc[0].Grantable {
		t.Fatalf("scopes = %+v, %v", sc, err)
	}
}

func TestQuoteKeepsSnapshotAndAmounts(t *testing.T) {
	_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		envelope(w, 200, rawJSON(`{"quote":{"amounts":{"give":"100","receive":1.23456789},"rate":{"value":"0.0123456789","selected":"fixed"}},
			"snapshot":{"version":"route-snapshot-v1","route_id":7,"hash":"abc","generated_at":"2026-01-01T00:00:00Z","expires_at":"2026-01-01T00:05:00Z"}}`), nil)
	})
	q, err := c.Quote(context.Background(), QuoteParams{RouteID: 7, Amount: "100"})
	if err != nil {
		t.Fatal(err)
	}
	if q.Amounts.Receive != "1.23456789" || q.Rate.Value != "0.0123456789" || q.Snapshot == nil || q.Snapshot.Hash != "abc" {
		t.Fatalf("quote = %+v", q)
	}
}
