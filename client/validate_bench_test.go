package client

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"testing"
	"time"
)

// BenchmarkValidateVsMarshal alternates, in one loop, the contract check of
// a typical CreateOrder body and the json.Marshal of the same params that
// every call already pays, and reports both and validate/marshal: the cost
// the check adds to a call with a body, as a ratio that load on a shared
// machine weighs on alike.
func BenchmarkValidateVsMarshal(b *testing.B) {
	p := CreateOrderParams{RouteID: 7, Amount: "100.50", IncomeAccount: "TXyzWallet0001", OutcomeAccount: "4276000011112222",
		TypeRate: TypeRateFixed, Email: "user@example.com", UserFields: map[string]any{"telegram": "@u"}}
	cl := &call{op: "POST /private/exchange/orders", method: "POST", path: "/private/exchange/orders"}
	var marshalTime, validateTime time.Duration
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		body, err := json.Marshal(p)
		t1 := time.Now()
		if err != nil || cl.validate(body) != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		marshalTime += t1.Sub(t0)
		validateTime += t2.Sub(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(marshalTime.Nanoseconds())/n, "marshal-ns/op")
	b.ReportMetric(float64(validateTime.Nanoseconds())/n, "validate-ns/op")
	b.ReportMetric(float64(validateTime)/float64(marshalTime), "validate/marshal")
}

// BenchmarkValidatePath is the check a bodyless call pays: one path
// segment against its template.
func BenchmarkValidatePath(b *testing.B) {
	cl := &call{op: "GET /private/exchange/orders/{order}/status", method: "GET", path: "/private/exchange/orders/T-1001/status"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := cl.validate(nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreateOrderCheckedVsUnchecked alternates, in one loop, the
// whole CreateOrder pipeline (marshal, contract check, signing, retry loop,
// loopback round trip, envelope) with the same call minus the contract
// check, and reports the median checked/unchecked ratio of the pairs: what
// the check costs a real call.
func BenchmarkCreateOrderCheckedVsUnchecked(b *testing.B) {
	s := benchServer(b)
	c, err := New(s.URL+"/api/v3", WithToken(testToken), WithHMACSecret(testSecret), WithHTTPClient(&http.Client{Transport: benchTransport()}))
	if err != nil {
		b.Fatal(err)
	}
	p := CreateOrderParams{RouteID: 7, Amount: "100.50", IncomeAccount: "TXyzWallet0001", OutcomeAccount: "4276000011112222",
		TypeRate: TypeRateFixed, Email: "user@example.com", UserFields: map[string]any{"telegram": "@u"}}
	ctx := context.Background()
	send := func(op string) {
		cl := &call{op: op, method: http.MethodPost, path: "/private/exchange/orders", body: p,
			scope: "public-api:exchange:orders:create", idempotent: true}
		if _, err := c.do(ctx, cl, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
	send("POST /private/exchange/orders")
	send("")
	b.ResetTimer()
	var checked, unchecked time.Duration
	ops := [2]string{"", "POST /private/exchange/orders"}
	ratios := make([]float64, 0, b.N)
	for i := 0; i < b.N; i++ {
		first := i % 2 // alternate which goes first, so neither always follows the other
		t0 := time.Now()
		send(ops[first])
		t1 := time.Now()
		send(ops[1-first])
		t2 := time.Now()
		a, z := t1.Sub(t0), t2.Sub(t1)
		if first == 1 {
			a, z = z, a
		}
		unchecked += a
		checked += z
		ratios = append(ratios, float64(z)/float64(a))
	}
	n := float64(b.N)
	b.ReportMetric(float64(unchecked.Nanoseconds())/n, "unchecked-ns/op")
	b.ReportMetric(float64(checked.Nanoseconds())/n, "checked-ns/op")
	// The median of the pairs' ratios: a stall of the shared machine in one
	// pair moves it little, where it would swing a ratio of sums.
	sort.Float64s(ratios)
	b.ReportMetric(ratios[len(ratios)/2], "checked/unchecked")
}
