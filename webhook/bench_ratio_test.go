package webhook_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/internal/benchratio"
	"github.com/iexkit/exchanger-go/webhook"
)

// The paired benchmarks run the SDK and its baseline alternately in one
// process and report the median of the per-round ratios:
//
//	go test -run '^$' -bench 'VsFloorPaired|HandlerVsVerifyOnly' -benchmem ./webhook/

// verifyBodies are the bodies of the Verify benchmarks: "dense" is
// BenchBody, a token every six to eight bytes (the hard case for the JSON
// check), "order" an order event as the vendor's server encodes it (escaped
// slashes and Cyrillic, long strings).
var verifyBodies = []struct {
	name string
	make func(size int) []byte
}{{"dense", webhook.BenchBody}, {"order", webhook.OrderEventBody}}

// BenchmarkVerifyVsFloorPaired: Verify against its floor, the crypto any
// verifier must do: SHA-256 of the body, HMAC-SHA256 of the canonical
// string with a reused keyed hash, constant-time compare.
func BenchmarkVerifyVsFloorPaired(b *testing.B) {
	now := time.Unix(1782190000, 0)
	v, err := webhook.NewVerifier(testSecret, webhook.WithClock(func() time.Time { return now }))
	if err != nil {
		b.Fatal(err)
	}
	for _, kind := range verifyBodies {
		for _, size := range []int{1 << 10, 16 << 10, 64 << 10} {
			benchVerifyVsFloor(b, v, now, fmt.Sprintf("%s-%dKiB", kind.name, size>>10), kind.make(size))
		}
	}
}

// benchVerifyVsFloor runs one body of BenchmarkVerifyVsFloorPaired.
func benchVerifyVsFloor(b *testing.B, v *webhook.Verifier, now time.Time, name string, body []byte) {
	h, body := signed(testSecret, "evt_01J8Z6Q4W2", webhook.TypeOrderStatusChanged, now, body)
	want, _ := hex.DecodeString(strings.TrimPrefix(h.Get(webhook.HeaderSignature), webhook.SignaturePrefix))
	mac := hmac.New(sha256.New, []byte(testSecret))
	canon := []byte("v1\nevt_01J8Z6Q4W2\norder.status_changed\n" + strconv.FormatInt(now.Unix(), 10) + "\nwh_nonce_1\n")
	var hexSum [2 * sha256.Size]byte
	var sum [sha256.Size]byte
	b.Run(name, func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		benchratio.Compare(b,
			func() {
				if _, err := v.Verify(h, body); err != nil {
					b.Fatal(err)
				}
			},
			func() {
				bs := sha256.Sum256(body)
				hex.Encode(hexSum[:], bs[:])
				mac.Reset()
				mac.Write(canon)
				mac.Write(hexSum[:])
				if subtle.ConstantTimeCompare(mac.Sum(sum[:0]), want) != 1 {
					b.Fatal("mismatch")
				}
			})
	})
}

// BenchmarkHandlerVsVerifyOnly: Handler with MemoryStore (verify, claim,
// run, complete) against a plain handler that only reads the body and
// verifies it, both called directly from 8 goroutines, every delivery a new
// event, 1 KiB bodies. "prefilled" first stores 100,000 done events.
func BenchmarkHandlerVsVerifyOnly(b *testing.B) {
	for _, prefill := range []int{0, 100_000} {
		name := "empty"
		if prefill > 0 {
			name = "prefilled-100k"
		}
		b.Run(name, func(b *testing.B) {
			store := webhook.NewMemoryStore()
			ctx := context.Background()
			for i := 0; i < prefill; i++ {
				id := fmt.Sprint("evt_old_", i)
				store.Claim(ctx, id, "o", time.Minute)
				store.Complete(ctx, id, "o")
			}
			v, err := webhook.NewVerifier(testSecret)
			if err != nil {
				b.Fatal(err)
			}
			h, err := webhook.NewHandler(v, store, func(context.Context, *webhook.Event) error { return nil })
			if err != nil {
				b.Fatal(err)
			}
			verifyOnly := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, err := io.ReadAll(io.LimitReader(r.Body, v.MaxBodySize()+1))
				if err != nil {
					w.WriteHeader(http.StatusBadRequest)
					return
				}
				if _, err := v.Verify(r.Header, body); err != nil {
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				w.WriteHeader(http.StatusOK)
			})

			// Every call of either side serves a new, already signed event.
			body := benchBody(1 << 10)
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			n := b.N + b.N/benchratio.Rounds + 64 // split may round up to the goroutine count
			headers := signedHeaders(fmt.Sprintf("evt_bench_%d_", b.N), 2*n, ts, body)
			var next atomic.Int64
			serve := func(handler http.Handler) func() error {
				return func() error {
					i := next.Add(1) - 1
					req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
					req.Header = headers[i%int64(len(headers))]
					rec := httptest.NewRecorder()
					handler.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						return fmt.Errorf("status %d: %s", rec.Code, rec.Body)
					}
					return nil
				}
			}
			b.ReportAllocs()
			b.ResetTimer() // allocs/op: both sides' calls, not the signing above
			benchratio.CompareParallel(b, 8, serve(h), serve(verifyOnly))
		})
	}
}

// BenchmarkMemoryStoreByFill: claiming and completing a new event in a full
// MemoryStore of 100,000 events against one of 1,024, alternating, from
// one goroutine: what a store's fill adds to each delivery (making room,
// colder memory), without the lock contention that 8 goroutines on one
// small store's single shard would add.
func BenchmarkMemoryStoreByFill(b *testing.B) {
	ctx := context.Background()
	full := func(size int) func() {
		m := webhook.NewMemoryStore(webhook.WithMemorySize(size))
		ids := make([]string, 2*size)
		for i := range ids {
			ids[i] = fmt.Sprintf("evt_01J8Z6Q4W2%014d", i)
		}
		next := 0
		run := func() {
			id := ids[next%len(ids)] // ids come back after the store dropped them
			next++
			if st, err := m.Claim(ctx, id, "0123456789abcdef-1f2e3d", time.Minute); st != webhook.Claimed || err != nil {
				b.Fatalf("Claim: %v %v", st, err)
			}
			if err := m.Complete(ctx, id, "0123456789abcdef-1f2e3d"); err != nil {
				b.Fatal(err)
			}
		}
		for i := 0; i < size; i++ {
			run()
		}
		return run
	}
	big, small := full(100_000), full(1024)
	b.ReportAllocs()
	b.ResetTimer()
	benchratio.Compare(b, big, small)
}

// BenchmarkHandlerByFill: Handler with a full MemoryStore of 100,000 events
// against Handler with a full one of 16,384 (16 shards, small enough
// for the caches), both called directly from 8 goroutines, alternating,
// every delivery a new event that makes the store drop its oldest: the
// throughput and p99 ratios say how flat a delivery's cost is with the
// store's fill (1.0 is flat).
func BenchmarkHandlerByFill(b *testing.B) {
	ctx := context.Background()
	v, err := webhook.NewVerifier(testSecret)
	if err != nil {
		b.Fatal(err)
	}
	handler := func(size int) http.Handler {
		store := webhook.NewMemoryStore(webhook.WithMemorySize(size))
		// Twice the bound, so that every shard is at its share of it.
		for i := 0; i < 2*size; i++ {
			id := fmt.Sprint("evt_old_", i)
			store.Claim(ctx, id, "o", time.Minute)
			store.Complete(ctx, id, "o")
		}
		if n := store.Len(); n < size*99/100 {
			b.Fatalf("store holds %d events, want about %d", n, size)
		}
		h, err := webhook.NewHandler(v, store, func(context.Context, *webhook.Event) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		return h
	}
	big, small := handler(100_000), handler(16_384)

	body := benchBody(1 << 10)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	headers := signedHeaders(fmt.Sprintf("evt_fill_%d_", b.N), 2*(b.N+b.N/benchratio.Rounds+64), ts, body)
	var next atomic.Int64
	serve := func(handler http.Handler) func() error {
		return func() error {
			req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
			req.Header = headers[(next.Add(1)-1)%int64(len(headers))]
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
				return fmt.Errorf("status %d: %s", rec.Code, rec.Body)
			}
			return nil
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	benchratio.CompareParallel(b, 8, serve(big), serve(small))
}

// signedHeaders signs body as n deliveries of new events, ids prefix0,
// prefix1, ..., all at timestamp ts.
func signedHeaders(prefix string, n int, ts string, body []byte) []http.Header {
	headers := make([]http.Header, n)
	for i := range headers {
		id := prefix + strconv.Itoa(i)
		hdr := http.Header{}
		hdr.Set(webhook.HeaderEventID, id)
		hdr.Set(webhook.HeaderEventType, webhook.TypeOrderStatusChanged)
		hdr.Set(webhook.HeaderTimestamp, ts)
		hdr.Set(webhook.HeaderNonce, "wh_"+id)
		hdr.Set(webhook.HeaderSignature, webhook.Sign(testSecret, id, webhook.TypeOrderStatusChanged, ts, "wh_"+id, body))
		headers[i] = hdr
	}
	return headers
}
