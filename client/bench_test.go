package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/signer"
)

// The status answer both benchmarks fetch and decode.
const benchStatusBody = `{"state":0,"message":"OK","result":{"order":{"tracking_id":"T-1001","status":"payment_received","status_label":"Payment received","is_final":false}},"meta":{"request_id":"req-bench","correlation_id":"","timestamp":"2026-06-23T10:00:00Z"}}`

func benchServer(b *testing.B) *httptest.Server {
	b.Helper()
	body := []byte(benchStatusBody)
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			w.WriteHeader(401)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-RateLimit-Limit", "1000000")
		w.Header().Set("X-RateLimit-Remaining", "999999")
		w.Write(body)
	}))
	b.Cleanup(s.Close)
	return s
}

func benchTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 32
	return t
}

// BenchmarkOrderStatus is the SDK's OrderStatus round trip: signing,
// retry loop, envelope decoding, rate-limit bookkeeping.
func BenchmarkOrderStatus(b *testing.B) {
	s := benchServer(b)
	c, err := New(s.URL+"/api/v3", WithToken(testToken), WithHMACSecret(testSecret), WithHTTPClient(&http.Client{Transport: benchTransport()}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := c.OrderStatus(ctx, "T-1001")
		if err != nil || st.Key != "payment_received" {
			b.Fatal(err, st)
		}
	}
}

// BenchmarkPipelineStatus is the same round trip through do alone, with the
// result decoded in one pass, isolating the pipeline's cost from the
// result decoding OrderStatus adds on top.
func BenchmarkPipelineStatus(b *testing.B) {
	s := benchServer(b)
	c, err := New(s.URL+"/api/v3", WithToken(testToken), WithHMACSecret(testSecret), WithHTTPClient(&http.Client{Transport: benchTransport()}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var st OrderStatus
		cl := &call{method: http.MethodGet, path: "/private/exchange/orders/T-1001/status", scope: "public-api:orders:read"}
		if _, err := c.do(ctx, cl, &st, nil); err != nil || st.Key != "payment_received" {
			b.Fatal(err, st)
		}
	}
}

// BenchmarkPlainHTTP is the baseline: net/http doing the same GET with
// precomputed headers (one signature for all requests) and the same JSON
// decoding.
func BenchmarkPlainHTTP(b *testing.B) {
	s := benchServer(b)
	plain := plainStatusGet(b, s.URL)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		plain()
	}
}

// plainStatusGet returns the baseline's one round trip: the status GET to
// the server at base with headers computed once, read whole and decoded
// into the same envelope and OrderStatus types the SDK uses.
func plainStatusGet(b *testing.B, base string) func() {
	return plainStatusGetWith(b, &http.Client{Transport: benchTransport()}, base)
}

// plainStatusGetWith is plainStatusGet through hc.
func plainStatusGetWith(b *testing.B, hc *http.Client, base string) func() {
	u := base + "/api/v3/private/exchange/orders/T-1001/status"
	p := signer.Payload{Method: "GET", Path: "/api/v3/private/exchange/orders/T-1001/status", BodySHA256: signer.EmptyBodySHA256,
		Timestamp: strconv.FormatInt(time.Now().Unix(), 10), Nonce: "fixed-nonce"}
	h := http.Header{
		"Accept":               {"application/json"},
		"User-Agent":           {"plain"},
		"Authorization":        {"Bearer " + testToken},
		signer.HeaderTimestamp: {p.Timestamp},
		signer.HeaderNonce:     {p.Nonce},
		signer.HeaderSignature: {signer.NewHMAC(testSecret).Sign(p)},
	}
	ctx := context.Background()
	return func() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header = h
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		var env struct {
			State   int          `json:"state"`
			Message string       `json:"message"`
			Result  OrderStatus  `json:"result"`
			Meta    ResponseMeta `json:"meta"`
		}
		if err := json.Unmarshal(data, &env); err != nil || env.Result.Key != "payment_received" {
			b.Fatal(err, env)
		}
	}
}
