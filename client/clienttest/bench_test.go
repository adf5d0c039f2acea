package clienttest

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/signer"
)

// BenchmarkServeHTTP measures the pipeline in process (no network), each
// case against the public ping of the same run as the baseline.
func BenchmarkServeHTTP(b *testing.B) {
	s, err := New(WithRateLimit(0, 0), WithKeyOptions(KeyOptions{HMAC: HMACAll}))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	k := s.Key()
	h := signer.NewHMAC(k.HMACSecret)
	seq := 0
	signed := func(method, path, query string, body []byte, idem bool) *http.Request {
		seq++
		target := "http://fake/api/v3" + path
		if query != "" {
			target += "?" + query
		}
		req := httptest.NewRequest(method, target, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+k.Token)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if idem {
			req.Header.Set("Idempotency-Key", "bench-order-"+strconv.Itoa(seq))
		}
		p := signer.Payload{Method: method, Path: req.URL.EscapedPath(), RawQuery: req.URL.RawQuery,
			BodySHA256: signer.BodySHA256(body), Timestamp: strconv.FormatInt(time.Now().Unix(), 10), Nonce: "b" + strconv.Itoa(seq)}
		req.Header.Set(signer.HeaderTimestamp, p.Timestamp)
		req.Header.Set(signer.HeaderNonce, p.Nonce)
		req.Header.Set(signer.HeaderSignature, h.Sign(p))
		return req
	}
	order := []byte(`{"route_id":1,"amount":"100","outcome_account":"4276000011112222"}`)
	for i := 0; i < 100; i++ { // a list to page through
		s.ServeHTTP(httptest.NewRecorder(), signed(http.MethodPost, "/private/exchange/orders", "", order, true))
	}
	cases := []struct {
		name string
		req  func() *http.Request
	}{
		{"public-ping", func() *http.Request { return httptest.NewRequest(http.MethodGet, "http://fake/api/v3/ping", nil) }},
		{"signed-private-ping", func() *http.Request { return signed(http.MethodGet, "/private/ping", "", nil, false) }},
		{"signed-quote", func() *http.Request {
			return signed(http.MethodPost, "/private/exchange/quotes", "", []byte(`{"route_id":1,"amount":"100"}`), false)
		}},
		{"signed-create-order", func() *http.Request { return signed(http.MethodPost, "/private/exchange/orders", "", order, true) }},
		{"signed-list-orders-25", func() *http.Request {
			return signed(http.MethodGet, "/private/orders", "filter[status][]=created&sort=-id&per_page=25", nil, false)
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				req := c.req()
				rec := httptest.NewRecorder()
				b.StartTimer()
				s.ServeHTTP(rec, req)
				if rec.Code >= 300 {
					b.Fatalf("%d: %s", rec.Code, rec.Body.Bytes())
				}
			}
		})
	}
}
