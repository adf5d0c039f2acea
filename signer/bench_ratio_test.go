package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/iexkit/exchanger-go/internal/benchratio"
)

// The paired benchmarks run the SDK and its baseline alternately in one
// process and report the median of the per-round ratios (sdk/base):
//
//	go test -run '^$' -bench 'VsFloor|VsParseQuery' -benchmem ./signer/

// signInputs are the queries lists send, the inputs among them.
var signInputs = []struct{ name, rawQuery string }{
	{"two-filters", "filter[from_currency_id]=1&filter[to_currency_id]=2"},
	{"array-filter", "filter[status][]=created&filter[status][]=paid&sort=-created_at&page=2&per_page=50"},
	// The same as url.Values (and so the client) encodes it.
	{"array-filter-encoded", url.Values{"filter[status][]": {"created", "paid"}, "sort": {"-created_at"}, "page": {"2"}, "per_page": {"50"}}.Encode()},
	{"nested-32-pairs", nestedFilters(32)},
	// The same 32 pairs as url.Values encodes them: names sorted.
	{"nested-32-pairs-encoded", encodedAsValues(nestedFilters(32))},
	{"flat-17-pairs", flatPairs(17, "p")},
	// 24 pairs under one long nested name, in reverse order: the sort's
	// ties run deep.
	{"long-prefix-24-pairs", longPrefixPairs(24)},
}

// longPrefixPairs returns n pairs filter[created_at_between_dates][range_<i>],
// in descending order.
func longPrefixPairs(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("filter[created_at_between_dates][range_%d]=%d", n-1-i, i)
	}
	return strings.Join(parts, "&")
}

// nestedFilters returns n pairs of nested and appended filters, unsorted.
func nestedFilters(n int) string {
	var parts []string
	for i := 0; len(parts) < n; i++ {
		switch i % 4 {
		case 0:
			parts = append(parts, fmt.Sprintf("filter[status][]=s%d", i))
		case 1:
			parts = append(parts, fmt.Sprintf("filter[amount][gte%d]=%d.50", i, i))
		case 2:
			parts = append(parts, fmt.Sprintf("filter[created][from%d]=2026-06-%02dT00:00:00Z", i, i%28+1))
		default:
			parts = append(parts, fmt.Sprintf("filter[currency_id][]=%d", i))
		}
	}
	return strings.Join(parts, "&")
}

// encodedAsValues returns rawQuery as url.Values encodes it (names in
// order, brackets as %5B and %5D), as the client sends it.
func encodedAsValues(rawQuery string) string {
	v, err := url.ParseQuery(rawQuery)
	if err != nil {
		panic(err)
	}
	return v.Encode()
}

// flatPairs returns n pairs name<i>=value<i>, in descending order.
func flatPairs(n int, name string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("%s%d=value%d", name, n-1-i, n-1-i)
	}
	return strings.Join(parts, "&")
}

// BenchmarkSignVsFloor: Sign of a GET against HMAC-SHA256 of its already
// built canonical string with a reused keyed hash, hex-encoded.
func BenchmarkSignVsFloor(b *testing.B) {
	h := NewHMAC("s3cr3t")
	for _, in := range signInputs {
		p := benchGET
		p.RawQuery = in.rawQuery
		b.Run(in.name, func(b *testing.B) { compareSignWithFloor(b, h, p) })
	}
}

// compareSignWithFloor compares h.Sign(p) with its floor: HMAC-SHA256 of
// p's already built canonical string with a reused keyed hash (h's
// secret), hex-encoded.
func compareSignWithFloor(b *testing.B, h *HMAC, p Payload) {
	canonical := []byte(p.Canonical())
	mac := hmac.New(sha256.New, []byte("s3cr3t"))
	var sum [sha256.Size]byte
	var out [2 * sha256.Size]byte
	b.ReportAllocs()
	benchratio.Compare(b,
		func() { benchSink = h.Sign(p) },
		func() {
			mac.Reset()
			mac.Write(canonical)
			mac.Sum(sum[:0])
			hex.Encode(out[:], sum[:])
		})
}

// BenchmarkSignArrayFilter is Sign alone on the array filter, for
// its allocations (the paired benchmark's count covers both sides).
func BenchmarkSignArrayFilter(b *testing.B) {
	for _, in := range signInputs {
		p := benchGET
		p.RawQuery = in.rawQuery
		b.Run(in.name, func(b *testing.B) { benchmarkSign(b, p) })
	}
}

// BenchmarkCanonicalQueryVsParseQuery: CanonicalQuery of n pairs against
// net/url.ParseQuery of the same query, for the fast path (flat names,
// nested appends) and the general one (names PHP mangles), from 1 to
// PHP's 1,000 pairs. ns/pair shows the cost per pair is flat.
func BenchmarkCanonicalQueryVsParseQuery(b *testing.B) {
	for _, shape := range []struct {
		name string
		make func(n int) string
	}{
		{"flat", func(n int) string { return flatPairs(n, "p") }},
		{"nested", nestedFilters},
		{"general", func(n int) string { return flatPairs(n, "a.b") }}, // '.' is mangled
	} {
		for _, n := range []int{1, 16, 17, 32, 100, 1000} {
			raw := shape.make(n)
			b.Run(fmt.Sprintf("%s-%d", shape.name, n), func(b *testing.B) {
				b.ReportAllocs()
				var sinkValues url.Values
				benchratio.Compare(b,
					func() { benchSink = CanonicalQuery(raw) },
					func() { sinkValues, _ = url.ParseQuery(raw) })
				_ = sinkValues
			})
		}
	}
}

// BenchmarkCanonicalQueryPerPair is CanonicalQuery alone, per pair.
func BenchmarkCanonicalQueryPerPair(b *testing.B) {
	for _, n := range []int{1, 16, 17, 32, 100, 1000} {
		raw := flatPairs(n, "p")
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				benchSink = CanonicalQuery(raw)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/pair")
		})
	}
}

// BenchmarkCanonicalQueryInputs is CanonicalQuery alone on signInputs.
func BenchmarkCanonicalQueryInputs(b *testing.B) {
	for _, in := range signInputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				benchSink = CanonicalQuery(in.rawQuery)
			}
		})
	}
}
