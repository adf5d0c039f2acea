package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

// benchBody is webhook.BenchBody, shared with the package's own benchmarks.
func benchBody(size int) []byte { return webhook.BenchBody(size) }

var benchSizes = []struct {
	name string
	size int
}{{"1KiB", 1 << 10}, {"16KiB", 16 << 10}}

// BenchmarkVerify is the full Verify: headers, size, signature, freshness and
// the JSON envelope.
func BenchmarkVerify(b *testing.B) {
	now := time.Unix(1782190000, 0)
	v, err := webhook.NewVerifier(testSecret, webhook.WithClock(func() time.Time { return now }))
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range benchSizes {
		h, body := signed(testSecret, "evt_01J8Z6Q4W2", webhook.TypeOrderStatusChanged, now, benchBody(s.size))
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := v.Verify(h, body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerifyFloor is the least any verifier must do, written plainly:
// SHA-256 of the body and HMAC-SHA256 of the canonical string, compared.
func BenchmarkVerifyFloor(b *testing.B) {
	now := time.Unix(1782190000, 0)
	key := []byte(testSecret)
	for _, s := range benchSizes {
		h, body := signed(testSecret, "evt_01J8Z6Q4W2", webhook.TypeOrderStatusChanged, now, benchBody(s.size))
		want, _ := hex.DecodeString(strings.TrimPrefix(h.Get(webhook.HeaderSignature), webhook.SignaturePrefix))
		ts := strconv.FormatInt(now.Unix(), 10)
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				sum := sha256.Sum256(body)
				m := hmac.New(sha256.New, key)
				m.Write([]byte("v1\nevt_01J8Z6Q4W2\norder.status_changed\n" + ts + "\nwh_nonce_1\n" + hex.EncodeToString(sum[:])))
				if !hmac.Equal(m.Sum(nil), want) {
					b.Fatal("mismatch")
				}
			}
		})
	}
}

// BenchmarkVerifyVsFloor alternates Verify and the floor in one loop and
// reports both and their ratio, so that load from other processes on a
// shared machine weighs on both sides alike.
func BenchmarkVerifyVsFloor(b *testing.B) {
	now := time.Unix(1782190000, 0)
	v, err := webhook.NewVerifier(testSecret, webhook.WithClock(func() time.Time { return now }))
	if err != nil {
		b.Fatal(err)
	}
	key := []byte(testSecret)
	ts := strconv.FormatInt(now.Unix(), 10)
	for _, s := range benchSizes {
		h, body := signed(testSecret, "evt_01J8Z6Q4W2", webhook.TypeOrderStatusChanged, now, benchBody(s.size))
		want, _ := hex.DecodeString(strings.TrimPrefix(h.Get(webhook.HeaderSignature), webhook.SignaturePrefix))
		b.Run(s.name, func(b *testing.B) {
			var verifyTime, floorTime time.Duration
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				sum := sha256.Sum256(body)
				m := hmac.New(sha256.New, key)
				m.Write([]byte("v1\nevt_01J8Z6Q4W2\norder.status_changed\n" + ts + "\nwh_nonce_1\n" + hex.EncodeToString(sum[:])))
				if !hmac.Equal(m.Sum(nil), want) {
					b.Fatal("mismatch")
				}
				t1 := time.Now()
				if _, err := v.Verify(h, body); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				floorTime += t1.Sub(t0)
				verifyTime += t2.Sub(t1)
			}
			b.ReportMetric(float64(verifyTime.Nanoseconds())/float64(b.N), "verify-ns/op")
			b.ReportMetric(float64(floorTime.Nanoseconds())/float64(b.N), "floor-ns/op")
			b.ReportMetric(float64(verifyTime)/float64(floorTime), "verify/floor")
		})
	}
}

// BenchmarkHandlerMemoryStore serves deliveries of distinct events (claim,
// run, complete) and duplicates of a done event through a Handler.
func BenchmarkHandlerMemoryStore(b *testing.B) {
	h := newHandler(b, webhook.NewMemoryStore(), func(context.Context, *webhook.Event) error { return nil })
	body := benchBody(1 << 10)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	header := func(id string) http.Header {
		hdr := http.Header{}
		hdr.Set(webhook.HeaderEventID, id)
		hdr.Set(webhook.HeaderEventType, webhook.TypeOrderStatusChanged)
		hdr.Set(webhook.HeaderTimestamp, ts)
		hdr.Set(webhook.HeaderNonce, "wh_"+id)
		hdr.Set(webhook.HeaderSignature, webhook.Sign(testSecret, id, webhook.TypeOrderStatusChanged, ts, "wh_"+id, body))
		return hdr
	}
	serve := func(b *testing.B, hdr http.Header) {
		req := httptest.NewRequest(http.MethodPost, "/webhook", bytesReader(body))
		req.Header = hdr
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
	b.Run("new-event", func(b *testing.B) {
		headers := make([]http.Header, b.N)
		for i := range headers {
			headers[i] = header(fmt.Sprintf("evt_bench_%d_%d", b.N, i))
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			serve(b, headers[i])
		}
	})
	b.Run("duplicate", func(b *testing.B) {
		hdr := header("evt_bench_dup")
		serve(b, hdr)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			serve(b, hdr)
		}
	})
}
