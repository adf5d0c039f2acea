package signer

import (
	"strings"
	"testing"

	"github.com/iexkit/exchanger-go/internal/benchratio"
)

// The floors of the canonical query itself: how far above the least work
// any canonicalizer must do is CanonicalQuery's fast path, on signInputs?
//
//	go test -run '^$' -bench 'CanonicalQueryVsCopyPass|CanonicalQueryVsEncodePass|SignFixedCost' -benchmem ./signer/
//
// copyPairsPass finds the pair boundaries and copies each pair's bytes (no
// decoding, validation or order): a canonicalizer reads every byte and
// writes every pair at least once. encodeBytesPass decodes and re-encodes
// every byte, one at a time, as any byte-wise canonicalizer must (no
// names checked, nothing ordered).

// copyPairsPass copies rawQuery's pieces into buf, '&' after each, and
// returns the end.
func copyPairsPass(buf []byte, rawQuery string) int {
	n := 0
	for rest := rawQuery; rest != ""; {
		piece, after, _ := strings.Cut(rest, "&")
		n += copy(buf[n:], piece)
		buf[n] = '&'
		n++
		rest = after
	}
	return n
}

// encodeBytesPass writes the RFC 3986 encoding of every byte of rawQuery,
// decoded as PHP decodes it, into buf, '&' and '=' kept, and returns the
// end.
func encodeBytesPass(buf []byte, rawQuery string) int {
	n := 0
	for j := 0; j < len(rawQuery); {
		c := rawQuery[j]
		if isUnreserved(c) || c == '&' || c == '=' {
			buf[n] = c
			n++
			j++
			continue
		}
		used := 1
		if c == '%' || c == '+' {
			c, used = decodedByte(rawQuery, j)
		}
		j += used
		if isUnreserved(c) {
			buf[n] = c
			n++
			continue
		}
		buf[n], buf[n+1], buf[n+2] = '%', upperHex[c>>4], upperHex[c&15]
		n += 3
	}
	return n
}

var benchSinkInt int

// benchmarkCanonicalVs compares the fast path, into a reused buffer, with
// floor on every signInput.
func benchmarkCanonicalVs(b *testing.B, floor func(buf []byte, rawQuery string) int) {
	for _, in := range signInputs {
		raw := in.rawQuery
		dst := make([]byte, 0, 16<<10)
		buf := make([]byte, 16<<10)
		if _, ok := appendCanonicalQueryFast(dst, raw); !ok {
			b.Fatalf("%s: the fast path refused the query", in.name)
		}
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			benchratio.Compare(b,
				func() { out, _ := appendCanonicalQueryFast(dst[:0], raw); benchSinkInt = len(out) },
				func() { benchSinkInt = floor(buf, raw) })
		})
	}
}

// BenchmarkCanonicalQueryVsCopyPass: the fast path against finding the
// pairs and copying them.
func BenchmarkCanonicalQueryVsCopyPass(b *testing.B) { benchmarkCanonicalVs(b, copyPairsPass) }

// BenchmarkCanonicalQueryVsEncodePass: the fast path against decoding and
// re-encoding every byte.
func BenchmarkCanonicalQueryVsEncodePass(b *testing.B) { benchmarkCanonicalVs(b, encodeBytesPass) }

// BenchmarkSignFixedCost: Sign of a GET without a query against its floor,
// the part of every Sign that is not the canonical query (the pooled
// state, the fixed lines, the result string).
func BenchmarkSignFixedCost(b *testing.B) {
	p := benchGET
	p.RawQuery = ""
	compareSignWithFloor(b, NewHMAC("s3cr3t"), p)
}

// The floors must do what they claim, or the ratios mean nothing: the copy
// pass keeps every byte, and the encode pass gives the canonical bytes of
// a query already in canonical order with no names to number.
func TestStageFloorsDoTheirWork(t *testing.T) {
	buf := make([]byte, 4096)
	raw := "a=1&b=x%3Ay&c=%7e+"
	if n := copyPairsPass(buf, raw); string(buf[:n]) != raw+"&" {
		t.Errorf("copyPairsPass = %q", buf[:n])
	}
	if n := encodeBytesPass(buf, raw); string(buf[:n]) != CanonicalQuery(raw) {
		t.Errorf("encodeBytesPass = %q, CanonicalQuery = %q", buf[:n], CanonicalQuery(raw))
	}
}
