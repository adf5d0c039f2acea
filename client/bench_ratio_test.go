package client

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/signer"
)

// BenchmarkOrderStatusVsPlain alternates the SDK's OrderStatus and the
// plain net/http baseline (BenchmarkPlainHTTP's request and decoding) in
// one loop, each on its own connection to the same server, and reports both
// and sdk/plain throughput. Load from other processes on a shared machine
// then weighs on both sides alike, which two separate benchmarks cannot
// promise.
func BenchmarkOrderStatusVsPlain(b *testing.B) {
	s := benchServer(b)
	c, err := New(s.URL+"/api/v3", WithToken(testToken), WithHMACSecret(testSecret), WithHTTPClient(&http.Client{Transport: benchTransport()}))
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{Transport: benchTransport()}
	u := s.URL + "/api/v3/private/exchange/orders/T-1001/status"
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
	plain := func() {
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
	// Warm both connections.
	plain()
	if _, err := c.OrderStatus(ctx, "T-1001"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var sdkTime, plainTime time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		plain()
		t1 := time.Now()
		st, err := c.OrderStatus(ctx, "T-1001")
		if err != nil || st.Key != "payment_received" {
			b.Fatal(err, st)
		}
		t2 := time.Now()
		plainTime += t1.Sub(t0)
		sdkTime += t2.Sub(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(plainTime.Nanoseconds())/n, "plain-ns/op")
	b.ReportMetric(float64(sdkTime.Nanoseconds())/n, "sdk-ns/op")
	b.ReportMetric(float64(plainTime)/float64(sdkTime), "sdk/plain-throughput")
}
