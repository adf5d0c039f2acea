package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// The benchmarks compare Sign with a floor doing only the work no signer can
// avoid: HMAC-SHA256 of the same, already built canonical string with a
// reused keyed hash, and hex encoding. Read them as ratios within one run:
//
//	go test -run '^$' -bench . -benchmem ./signer/

var (
	benchGET = Payload{
		Method:     "GET",
		Path:       "/api/v3/private/exchange/routes",
		RawQuery:   "filter[from_currency_id]=1&filter[to_currency_id]=2",
		BodySHA256: EmptyBodySHA256,
		Timestamp:  "1782190000",
		Nonce:      "req-20260623-001",
	}
	benchPOSTBody = []byte(`{"route_id":98,"amount":"661.73","income_account":"FROM-262","outcome_account":"TO-4411","type_rate":"fixed","note":"gift"}`)
	benchPOST     = Payload{
		Method:     "POST",
		Path:       "/api/v3/private/exchange/orders",
		BodySHA256: BodySHA256(benchPOSTBody),
		Timestamp:  "1782190000",
		Nonce:      "0741c7a87ce42c8218072e8c35bf992d",
	}
	benchSink string
)

func benchmarkSign(b *testing.B, p Payload) {
	h := NewHMAC("s3cr3t")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		benchSink = h.Sign(p)
	}
}

// benchmarkFloor signs the precomputed canonical string of p.
func benchmarkFloor(b *testing.B, p Payload) {
	canonical := []byte(p.Canonical())
	mac := hmac.New(sha256.New, []byte("s3cr3t"))
	var sum [sha256.Size]byte
	var out [2 * sha256.Size]byte
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		mac.Reset()
		mac.Write(canonical)
		mac.Sum(sum[:0])
		hex.Encode(out[:], sum[:])
	}
}

func BenchmarkSignGET(b *testing.B) { benchmarkSign(b, benchGET) }

// BenchmarkSignGETUnsorted sends the same filters in the other order, so
// the canonical query must reorder them.
func BenchmarkSignGETUnsorted(b *testing.B) {
	p := benchGET
	p.RawQuery = "filter[to_currency_id]=2&filter[from_currency_id]=1"
	benchmarkSign(b, p)
}
func BenchmarkFloorGET(b *testing.B)  { benchmarkFloor(b, benchGET) }
func BenchmarkSignPOST(b *testing.B)  { benchmarkSign(b, benchPOST) }
func BenchmarkFloorPOST(b *testing.B) { benchmarkFloor(b, benchPOST) }

func BenchmarkSignGETParallel(b *testing.B) {
	h := NewHMAC("s3cr3t")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = h.Sign(benchGET)
		}
	})
}

func BenchmarkCanonicalQueryPlain(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		benchSink = CanonicalQuery(benchGET.RawQuery)
	}
}

// BenchmarkCanonicalQueryGeneral measures a query that needs PHP's full
// rules (appends, decoding, mangling), for comparison with the fast path.
func BenchmarkCanonicalQueryGeneral(b *testing.B) {
	const raw = "filter[status][]=a&filter[status][]=b&a.b=1&q=a+b&x=%2B"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		benchSink = CanonicalQuery(raw)
	}
}
