package signer

import (
	"fmt"
	"strings"
	"testing"
)

// The fast path must take the queries SDK calls send, or the benchmarks
// measure the wrong thing; and it must refuse whatever PHP would change.
func TestFastPathTakesPlainQueries(t *testing.T) {
	for _, raw := range []string{
		"",
		"filter[from_currency_id]=1&filter[to_currency_id]=2",
		"sort=-created_at&page=2&per_page=50",
		"q=a+b&x=%2B&note=%E6%97%A5",
		"filter[created_from]=2026-06-01T00:00:00Z&filter[a.b][c]=1",
		// Appends, literal and as url.Values encodes them.
		"filter[status][]=created&filter[status][]=paid&sort=-created_at&page=2&per_page=50",
		"filter%5Bstatus%5D%5B%5D=created&filter%5Bstatus%5D%5B%5D=paid&page=2",
		"filter%5bstatus%5d%5b%5d=created&filter[x][y][]=1&filter[x][z]=2",
		// Past the old limit of 16 pairs, and past PHP's 1,000 pieces.
		"p0&p1&p2&p3&p4&p5&p6&p7&p8&p9&p10&p11&p12&p13&p14&p15&p16",
		manyPairs(1200, "a[]"),
	} {
		if _, ok := appendCanonicalQueryFast(nil, raw); !ok {
			t.Errorf("fast path refused %q", raw)
		}
	}
}

func TestFastPathRefusesWhatPHPRewrites(t *testing.T) {
	for _, raw := range []string{
		"a.b=1",            // mangled base
		"a[]=1&a=2",        // append, then overwrite
		"a[0]=1&a[]=2",     // explicit key moves the numbering
		"a[]=1&a[x][]=2",   // array both appended to and keyed
		"a[][x]=1",         // append in the middle
		"a[]x=1",           // text after the append
		"a%5B=1",           // unterminated encoded bracket
		"a%5Cx%5D=1",       // not a bracket
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
		// Overwrites that sorting by name does not put side by side.
		"a[x]=1&a1=2&a-b=3&a=4",
		"a[]=1&a-b=2&a0[x]=3&a=4",
		"a[x][y]=1&a[x][z]=2&a[x]=3",
		"f[a][b][c]=1&f[a][b][d][]=2&f[a][b0][]=3&f[a][b]=4",
		"a=1&a[x]=2&b=3&a-b=4",
		"a[x]=1\x00", // a raw NUL: the general path cuts the query there
	} {
		// Alone (pairs compared one by one) and among many other pairs
		// (names hashed), before and after them.
		for _, q := range []string{raw, raw + "&" + manyPairs(12, "pad"), manyPairs(12, "pad") + "&" + raw} {
			dst := []byte("keep")
			if out, ok := appendCanonicalQueryFast(dst, q); ok || string(out) != "keep" {
				t.Errorf("fast path took %q (ok=%v, dst=%q)", q, ok, out)
			}
		}
	}
}

// The fast path must agree with the general one on every shape it takes,
// in every order, at every size.
func TestFastPathAgreesWithGeneral(t *testing.T) {
	for _, raw := range []string{
		"filter[status][]=created&filter[status][]=paid&sort=-created_at&page=2&per_page=50",
		"b[]=2&a[]=1&b[]=1&a[]=3&c[x]=1",
		"a[x][]=1&a[y][]=2&a[x][]=3&a-b=1&ab=&a[z]=",
		"x[]=0&x[]=1&x[]=2&x[]=3&x[]=4&x[]=5&x[]=6&x[]=7&x[]=8&x[]=9&x[]=10&x[]=11",
		"z=1&y=2&x=3&w=4&v=5&u=6&t=7&s=8&r=9&q=10&p=11&o=12&n=13&m=14&l=15&k=16&j=17",
		manyPairs(40, "k"),
		// Names that extend one another without brackets sort apart from
		// "name=": "a-b=" and "a1=" before "a=", "a_=" after.
		"a=1&a-b[x]=2&a1[]=3&a1[]=4&a_=5&ab=7&a0=8",
		"f[a][b]=1&f[a][b1]=2&f[a][b0][]=3&f[a][b-c][d]=4&f[a][b_]=5",
		// Appends interleaved with other pieces, numbered across them.
		"s[]=a&t=1&s[]=b&u[]=x&s[]=c&u[]=y",
		manyPairs(1000, "f[s][]"),
		manyPairs(1001, "f[s][]"),
		manyPairs(1500, "k"),
	} {
		for _, q := range []string{raw, raw + "&" + manyPairs(12, "pad"), manyPairs(12, "pad") + "&" + raw} {
			fast, ok := appendCanonicalQueryFast([]byte("keep"), q)
			if !ok {
				t.Errorf("fast path refused %.80q", q)
				continue
			}
			if general := appendCanonicalQueryPHP([]byte("keep"), q); string(fast) != string(general) {
				t.Errorf("on %.80q\n fast    %.200q\n general %.200q", q, fast, general)
			}
		}
	}
}

// manyPairs returns n pairs: name=i when name ends in "[]", else name<i>=i,
// in descending order so that they must be sorted.
func manyPairs(n int, name string) string {
	var b strings.Builder
	for i := n - 1; i >= 0; i-- {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		if strings.HasSuffix(name, "[]") {
			fmt.Fprintf(&b, "%s=%d", name, i)
		} else {
			fmt.Fprintf(&b, "%s%d=%d", name, i, i)
		}
	}
	return b.String()
}

// Up to stackPairs pairs, appends and nested filters included, the fast
// path must not allocate: Sign's one allocation is its result.
func TestFastPathDoesNotAllocate(t *testing.T) {
	raw := "filter[status][]=created&filter[status][]=paid&sort=-created_at&page=2&per_page=50&" + manyPairs(27, "filter[x][]")
	buf := make([]byte, 0, 64<<10)
	if _, ok := appendCanonicalQueryFast(buf, raw); !ok {
		t.Fatal("fast path refused the query")
	}
	if n := testing.AllocsPerRun(20, func() { appendCanonicalQueryFast(buf[:0], raw) }); n != 0 {
		t.Errorf("fast path allocates %v times for 32 pairs", n)
	}
	if raceEnabled {
		return
	}
	h := NewHMAC("s3cr3t")
	p := Payload{Method: "GET", Path: "/api/v3/private/orders", RawQuery: raw, BodySHA256: EmptyBodySHA256, Timestamp: "1782190000", Nonce: "n"}
	if n := testing.AllocsPerRun(20, func() { h.Sign(p) }); n > 1 {
		t.Errorf("Sign allocates %v times for 32 pairs, want 1 (its result)", n)
	}
}

// The path for queries past 32-bit offsets gives the same answer.
func TestFlattenedAsStringsAgrees(t *testing.T) {
	for _, raw := range []string{"", "a.b=1&c[d=2&flag", "b[]=2&a[]=1&a[x][]=3&q=a+b", manyPairs(300, "f[s][]"), manyPairs(50, "a.b")} {
		want := appendCanonicalQueryPHP([]byte("keep"), raw)
		if got := appendFlattenedAsStrings([]byte("keep"), parsePHPQuery(raw)); string(got) != string(want) {
			t.Errorf("on %.60q\n got %.120q\nwant %.120q", raw, got, want)
		}
	}
}

// firstSortKey reads past the sort bytes and must clear what it read
// there: it agrees with sortKey at every length, whatever follows.
func TestFirstSortKeyAgreesWithSortKey(t *testing.T) {
	buf := []byte("xxfilter%5Bstatus%5D%5B\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff")
	for size := 1; size <= 21; size++ {
		start, end := int32(2), int32(2+size)
		want := sortKey(buf[start:end], 0, 7)
		if got := firstSortKey(buf, start, end, 7); got != want {
			t.Errorf("size %d: firstSortKey = %#x, sortKey = %#x", size, got, want)
		}
		if got := firstSortKey(buf[:end], start, end, 7); got != want {
			t.Errorf("size %d at the buffer's end: firstSortKey = %#x, sortKey = %#x", size, got, want)
		}
	}
}
