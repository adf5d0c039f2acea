package client

import (
	"context"
	"net/http"
	"testing"
	"time"
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
	plain := plainStatusGet(b, s.URL)
	ctx := context.Background()
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
