package client

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/iexkit/exchanger-go/internal/benchratio"
	"github.com/iexkit/exchanger-go/signer"
)

const benchOrderBody = `{"state":0,"message":"OK","result":{"order":{"id":42,"public_id":"P-42","tracking_id":"TR-42","status":{"id":1,"key":"created","name":"Created","is_final":false},"amounts":{"give":"100.10","receive":"99.12","rate":"0.99"}}},"meta":{"request_id":"req-bench","correlation_id":"","timestamp":"2026-06-23T10:00:00Z"}}`

var benchOrderParams = CreateOrderParams{RouteID: 7, Amount: "100.10", IncomeAccount: "acc-in", OutcomeAccount: "acc-out", TypeRate: "fixed"}

// BenchmarkCreateOrderVsPlain: CreateOrder from 64 goroutines against plain
// net/http doing the same POST (JSON body, Bearer token, Idempotency-Key, a
// hand-made v1 signature) and decoding the same answer, both to one
// loopback server. "tuned-client" gives the SDK an http.Client with the
// baseline's transport settings; "default-client" lets the SDK use its own.
// Reports the medians of per-round throughput and p99 ratios:
//
//	go test -run '^$' -bench CreateOrderVsPlain ./client/
func BenchmarkCreateOrderVsPlain(b *testing.B) {
	srv := orderServer(b)
	const goroutines = 64

	plainTransport := http.DefaultTransport.(*http.Transport).Clone()
	plainTransport.MaxIdleConnsPerHost = goroutines
	base := plainCreateOrder(&http.Client{Transport: plainTransport}, srv.URL)

	for _, variant := range []struct {
		name string
		opts []Option
	}{
		{"tuned-client", []Option{WithHTTPClient(&http.Client{Transport: func() *http.Transport {
			t := http.DefaultTransport.(*http.Transport).Clone()
			t.MaxIdleConnsPerHost = goroutines
			return t
		}()})}},
		{"default-client", nil},
	} {
		b.Run(variant.name, func(b *testing.B) {
			c, err := New(srv.URL+"/api/v3", append([]Option{WithToken(testToken), WithHMACSecret(testSecret)}, variant.opts...)...)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			sdk := func() error {
				o, err := c.CreateOrder(ctx, benchOrderParams)
				if err != nil {
					return err
				}
				if o.ID != 42 {
					return fmt.Errorf("sdk: order %+v", o)
				}
				return nil
			}
			b.ReportAllocs()
			benchratio.CompareParallel(b, goroutines, sdk, base)
		})
	}
}

// plainCreateOrder is the baseline of the CreateOrder benchmarks: plain
// net/http sending the POST the SDK sends (JSON body, Bearer token,
// Idempotency-Key, a hand-made v1 signature with a fresh nonce) through hc
// to the server at base, and decoding the same answer.
func plainCreateOrder(hc *http.Client, base string) func() error {
	key := []byte(testSecret)
	url := base + "/api/v3/private/exchange/orders"
	return func() error {
		payload, err := json.Marshal(benchOrderParams)
		if err != nil {
			return err
		}
		bodySum := sha256.Sum256(payload)
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		nonce := uuid.NewString()
		mac := hmac.New(sha256.New, key)
		io.WriteString(mac, "v1\nPOST\n/api/v3/private/exchange/orders\n\n"+hex.EncodeToString(bodySum[:])+"\n"+ts+"\n"+nonce)
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(payload))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "bench-plain/1")
		req.Header.Set("Idempotency-Key", uuid.NewString())
		req.Header.Set(signer.HeaderTimestamp, ts)
		req.Header.Set(signer.HeaderNonce, nonce)
		req.Header.Set(signer.HeaderSignature, "sha256="+hex.EncodeToString(mac.Sum(nil)))
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var env struct {
			State  int `json:"state"`
			Result struct {
				Order Order `json:"order"`
			} `json:"result"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
			return err
		}
		if resp.StatusCode != 201 || env.Result.Order.ID != 42 {
			return fmt.Errorf("plain: status %d, order %+v", resp.StatusCode, env.Result.Order)
		}
		return nil
	}
}

// orderServer is the loopback server of the CreateOrder benchmarks: it
// reads the request, refuses one without credentials, and answers 201 with
// benchOrderBody.
func orderServer(b *testing.B) *httptest.Server {
	b.Helper()
	body := []byte(benchOrderBody)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if r.Header.Get("Authorization") == "" || r.Header.Get(signer.HeaderSignature) == "" {
			w.WriteHeader(401)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-RateLimit-Limit", "1000000")
		w.Header().Set("X-RateLimit-Remaining", "999999")
		w.WriteHeader(201)
		w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}
