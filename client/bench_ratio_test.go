package client

import (
	"context"
	"net/http"
	"testing"

	"github.com/iexkit/exchanger-go/internal/benchratio"
)

// BenchmarkOrderStatusVsPlain alternates the SDK's OrderStatus and the
// plain net/http baseline (BenchmarkPlainHTTP's request and decoding) in
// rounds, each on its own connection to the same server, and reports both
// sides' time per call and the median of the per-round time ratios (sdk/base; its inverse is the
// throughput ratio). Load from other processes on a shared machine then
// weighs on both sides alike, which two separate benchmarks cannot promise.
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
	b.ReportAllocs()
	b.ResetTimer()
	benchratio.Compare(b,
		func() {
			st, err := c.OrderStatus(ctx, "T-1001")
			if err != nil || st.Key != "payment_received" {
				b.Fatal(err, st)
			}
		},
		plain)
}
