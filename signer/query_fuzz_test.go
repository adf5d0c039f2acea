package signer

import (
	"strings"
	"testing"
)

// FuzzCanonicalQuery checks the properties the server relies on for any
// input: no panic, an output made only of unreserved bytes, %XX escapes, '='
// and '&', idempotence, and a fast path and a general path that agree with
// a reference built from PHP's arrays and sorted as strings.
// Seeds: testdata/fuzz/FuzzCanonicalQuery and the vendor vectors' queries.
func FuzzCanonicalQuery(f *testing.F) {
	for _, v := range loadSigningVectors(f) {
		f.Add(v.RawQuery)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := CanonicalQuery(raw)
		if err := checkCanonicalAlphabet(got); err != "" {
			t.Fatalf("CanonicalQuery(%q) = %q: %s", raw, got, err)
		}
		if again := CanonicalQuery(got); again != got {
			t.Fatalf("not idempotent on %q:\n once  %q\n twice %q", raw, got, again)
		}
		// The general path and the fast one share sortSpans; the
		// reference orders the flattened pairs as strings, with the
		// standard library's sort, so a wrong order in sortSpans shows.
		reference := appendFlattenedAsStrings(nil, parsePHPQuery(cutAtNUL(raw)))
		if general := appendCanonicalQueryPHP(nil, cutAtNUL(raw)); string(general) != string(reference) {
			t.Fatalf("general path disagrees with the reference on %q:\n general   %q\n reference %q", raw, general, reference)
		}
		if fast, ok := appendCanonicalQueryFast(nil, cutAtNUL(raw)); ok && string(fast) != string(reference) {
			t.Fatalf("fast path disagrees on %q:\n fast      %q\n reference %q", raw, fast, reference)
		}
		// The fast path also takes the raw query (it refuses a NUL), and
		// then on whatever dst it is given.
		if fast, ok := appendCanonicalQueryFast([]byte("keep"), raw); ok && string(fast) != "keep"+string(reference) {
			t.Fatalf("fast path on the raw query disagrees on %q:\n fast      %q\n reference %q", raw, fast, reference)
		}
	})
}

// checkCanonicalAlphabet returns what is wrong with a canonical query's
// bytes, or "".
func checkCanonicalAlphabet(q string) string {
	for i := 0; i < len(q); i++ {
		switch c := q[i]; {
		case isUnreserved(c), c == '=', c == '&':
		case c == '%':
			if i+2 >= len(q) || !isUpperHex(q[i+1]) || !isUpperHex(q[i+2]) {
				return "a '%' not followed by two upper-case hex digits"
			}
			i += 2
		default:
			return "a byte outside the canonical alphabet"
		}
	}
	for _, pair := range strings.Split(q, "&") {
		if q != "" && strings.Count(pair, "=") != 1 {
			return "a pair without exactly one '='"
		}
	}
	return ""
}

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

// FuzzVerify checks that Verify never panics on a hostile header, accepts
// what Sign produced, and accepts nothing else.
func FuzzVerify(f *testing.F) {
	f.Add("s3cr3t", "GET", "filter[status][]=a", "1782190000", "n-1", "sha256=00")
	f.Add("", "post", "", "2026-06-23T10:00:00+00:00", "", "")
	f.Fuzz(func(t *testing.T, secret, method, rawQuery, timestamp, nonce, header string) {
		h := NewHMAC(secret)
		p := Payload{Method: method, Path: "/api/v3/private/orders", RawQuery: rawQuery,
			BodySHA256: EmptyBodySHA256, Timestamp: timestamp, Nonce: nonce}
		sig := h.Sign(p)
		if !h.Verify(p, sig) || !h.Verify(p, strings.TrimPrefix(sig, SignaturePrefix)) {
			t.Fatalf("Verify rejects Sign's own signature %q", sig)
		}
		if h.Verify(p, header) != (header == sig || header == strings.TrimPrefix(sig, SignaturePrefix)) {
			t.Fatalf("Verify(%q) disagrees with the signature %q", header, sig)
		}
	})
}
