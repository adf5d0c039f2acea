package client

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/internal/benchratio"
)

// cannedTransport answers every request at once from memory, as the
// benchmark servers do (the order for a POST, the status for a GET), after
// reading the request body. With no socket and no server in the way, what
// a benchmark through it measures is the client side alone.
type cannedTransport struct{}

func (cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	status, body := http.StatusOK, benchStatusBody
	if r.Method == http.MethodPost {
		status, body = http.StatusCreated, benchOrderBody
	}
	h := http.Header{
		"Content-Type":          {"application/json"},
		"Content-Length":        {strconv.Itoa(len(body))},
		"Date":                  {time.Now().UTC().Format(http.TimeFormat)},
		"X-Ratelimit-Limit":     {"1000000"},
		"X-Ratelimit-Remaining": {"999999"},
	}
	return &http.Response{StatusCode: status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h,
		Body: io.NopCloser(bytes.NewReader([]byte(body))), ContentLength: int64(len(body)), Request: r}, nil
}

// BenchmarkOverheadVsPlain is the client side alone: CreateOrder and
// OrderStatus against the plain net/http baselines of CreateOrderVsPlain
// and OrderStatusVsPlain, both sides through cannedTransport, alternating
// in rounds. sdk/base is then the SDK's pipeline (checks, retry loop,
// signing, pacing, envelope) against the least a hand-written call does:
//
//	go test -run '^$' -bench OverheadVsPlain -benchmem ./client/
func BenchmarkOverheadVsPlain(b *testing.B) {
	const base = "http://api.example"
	c, err := New(base+"/api/v3", WithToken(testToken), WithHMACSecret(testSecret), WithInsecureHTTP(),
		WithHTTPClient(&http.Client{Transport: cannedTransport{}}))
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{Transport: cannedTransport{}}
	ctx := context.Background()
	b.Run("CreateOrder", func(b *testing.B) {
		plain := plainCreateOrder(hc, base)
		b.ReportAllocs()
		benchratio.Compare(b,
			func() {
				o, err := c.CreateOrder(ctx, benchOrderParams)
				if err != nil || o.ID != 42 {
					b.Fatal(err, o)
				}
			},
			func() {
				if err := plain(); err != nil {
					b.Fatal(err)
				}
			})
	})
	b.Run("OrderStatus", func(b *testing.B) {
		plain := plainStatusGetWith(b, hc, base)
		b.ReportAllocs()
		benchratio.Compare(b,
			func() {
				st, err := c.OrderStatus(ctx, "T-1001")
				if err != nil || st.Key != "payment_received" {
					b.Fatal(err, st)
				}
			},
			plain)
	})
}

// BenchmarkCreateOrderOneSide runs one side of CreateOrderVsPlain alone,
// from one goroutine against the loopback server, for its allocations per
// call (-benchmem) and its profiles:
//
//	go test -run '^$' -bench CreateOrderOneSide -benchmem ./client/
func BenchmarkCreateOrderOneSide(b *testing.B) {
	srv := orderServer(b)
	c, err := New(srv.URL+"/api/v3", WithToken(testToken), WithHMACSecret(testSecret))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.Run("sdk", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			o, err := c.CreateOrder(ctx, benchOrderParams)
			if err != nil || o.ID != 42 {
				b.Fatal(err, o)
			}
		}
	})
	b.Run("plain", func(b *testing.B) {
		plain := plainCreateOrder(&http.Client{Transport: benchTransport()}, srv.URL)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if err := plain(); err != nil {
				b.Fatal(fmt.Sprint(err))
			}
		}
	})
}
