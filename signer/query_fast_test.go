package signer

import "testing"

// The fast path must take the queries SDK calls send, or the benchmarks
// measure the wrong thing; and it must refuse whatever PHP would change.
func TestFastPathTakesPlainQueries(t *testing.T) {
	for _, raw := range []string{
		"",
		"filter[from_currency_id]=1&filter[to_currency_id]=2",
		"sort=-created_at&page=2&per_page=50",
		"q=a+b&x=%2B&note=%E6%97%A5",
		"filter[created_from]=2026-06-01T00:00:00Z&filter[a.b][c]=1",
	} {
		if _, ok := appendCanonicalQueryFast(nil, raw); !ok {
			t.Errorf("fast path refused %q", raw)
		}
	}
}

func TestFastPathRefusesWhatPHPRewrites(t *testing.T) {
	for _, raw := range []string{
		"a.b=1",            // mangled base
		"a[]=1",            // append
		"a[x]=1&a=2",       // overwrite
		"a=1&a=2",          // duplicate
		"a[x]=1&a[x][y]=2", // prefix conflict
		"%61=1",            // encoded name
		"a+b=1",            // space in name
		"c[d=1",            // unterminated bracket
		"g[h]i=1",          // trailing text
		"=1",               // empty base
		"a[b[c]=1",         // '[' in a key
		"a[%20x]=1",        // encoded key
		"p0&p1&p2&p3&p4&p5&p6&p7&p8&p9&p10&p11&p12&p13&p14&p15&p16", // too many pairs
	} {
		dst := []byte("keep")
		if out, ok := appendCanonicalQueryFast(dst, raw); ok || string(out) != "keep" {
			t.Errorf("fast path took %q (ok=%v, dst=%q)", raw, ok, out)
		}
	}
}

func TestEncodedNamesCollide(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"a", "a", true},
		{"a", "a[x]", true},
		{"a[x]", "a", true},
		{"a[x]", "a[x][y]", true},
		{"a", "ab", false},
		{"a[x]", "a[y]", false},
		{"a[x]", "a[xy]", false},
	} {
		a, _ := appendPlainName(nil, tc.a)
		b, _ := appendPlainName(nil, tc.b)
		if got := encodedNamesCollide(a, b); got != tc.want {
			t.Errorf("encodedNamesCollide(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
