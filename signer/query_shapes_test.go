package signer

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// randomListQuery builds a query of the shapes list calls send, and of the
// near misses the fast path must refuse or order differently, from a small
// alphabet so that names collide, extend one another and share prefixes:
// bases that prefix one another ("a", "a-b", "a1"), nested groups,
// appends (past ten to one array), explicit integer keys, brackets
// literal or encoded in either case, and values with escapes. Pieces come
// in random order, or sorted as url.Values sends them.
func randomListQuery(r *rand.Rand) string {
	bases := []string{"a", "a-b", "a1", "ab", "a_", "filter", "filter0", "f", "sort", "page", "per_page"}
	keys := []string{"x", "x1", "x-1", "y", "0", "1", "10", "01", "status", "created", "gte", "created_from"}
	values := []string{"", "1", "2", "-created_at", "2026-06-01T00:00:00Z", "a+b", "%2B", "%e6%97%A5", "x%5By", "~._-", "%"}
	open := []string{"[", "[", "%5B", "%5b"}
	shut := []string{"]", "]", "%5D", "%5d"}
	n := 1 + r.IntN(40)
	if r.IntN(4) == 0 {
		n = 1 + r.IntN(6)
	}
	pieces := make([]string, 0, n)
	for len(pieces) < n {
		var b strings.Builder
		b.WriteString(bases[r.IntN(len(bases))])
		for g := r.IntN(4); g > 0; g-- {
			b.WriteString(open[r.IntN(len(open))])
			b.WriteString(keys[r.IntN(len(keys))])
			b.WriteString(shut[r.IntN(len(shut))])
		}
		if r.IntN(3) == 0 {
			b.WriteString(open[r.IntN(len(open))])
			b.WriteString(shut[r.IntN(len(shut))])
		}
		name := b.String()
		// Runs of appends (or repeats) to one name.
		for k := 1 + r.IntN(3)*r.IntN(6); k > 0 && len(pieces) < n; k-- {
			if r.IntN(8) == 0 {
				pieces = append(pieces, name) // no '='
				continue
			}
			pieces = append(pieces, name+"="+values[r.IntN(len(values))])
		}
	}
	switch r.IntN(3) {
	case 0:
		r.Shuffle(len(pieces), func(i, j int) { pieces[i], pieces[j] = pieces[j], pieces[i] })
	case 1:
		// url.Values order: by name, stable.
		sortPiecesByName(pieces)
	}
	return strings.Join(pieces, "&")
}

func sortPiecesByName(pieces []string) {
	name := func(p string) string { n, _, _ := strings.Cut(p, "="); return n }
	for i := 1; i < len(pieces); i++ {
		for j := i; j > 0 && name(pieces[j-1]) > name(pieces[j]); j-- {
			pieces[j], pieces[j-1] = pieces[j-1], pieces[j]
		}
	}
}

// checkAgainstReference fails t if the fast path (when it takes raw) or
// the general path disagrees with the reference: PHP's arrays flattened
// and sorted as strings.
func checkAgainstReference(t *testing.T, raw string) (fastTook bool) {
	t.Helper()
	want := appendFlattenedAsStrings([]byte("keep"), parsePHPQuery(raw))
	if got := appendCanonicalQueryPHP([]byte("keep"), raw); string(got) != string(want) {
		t.Fatalf("general path on %q\n got  %q\n want %q", raw, got, want)
	}
	got, ok := appendCanonicalQueryFast([]byte("keep"), raw)
	if !ok {
		if string(got) != "keep" {
			t.Fatalf("fast path refused %q but changed dst to %q", raw, got)
		}
		return false
	}
	if string(got) != string(want) {
		t.Fatalf("fast path on %q\n got  %q\n want %q", raw, got, want)
	}
	return true
}

// TestFastPathAgreesOnListShapes is a differential test of the fast path
// against the reference on thousands of generated list queries; it also
// makes sure that most of them take the fast path, so that it is what
// gets tested.
func TestFastPathAgreesOnListShapes(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 2026))
	took := 0
	runs := 10000
	if raceEnabled {
		runs = 2000
	}
	for i := 0; i < runs; i++ {
		if checkAgainstReference(t, randomListQuery(r)) {
			took++
		}
	}
	if took < runs/10 {
		t.Fatalf("the fast path took only %d of %d generated queries", took, runs)
	}
	t.Logf("the fast path took %d of %d generated queries", took, runs)
}

// FuzzCanonicalQueryListShapes is the same differential check with the
// generator driven by the fuzzer's seeds.
func FuzzCanonicalQueryListShapes(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(15), uint64(2026))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		checkAgainstReference(t, randomListQuery(rand.New(rand.NewPCG(a, b))))
	})
}

// TestFastPathLongSharedPrefixes checks the sort's skip over a run's
// common prefix: names that agree for dozens of bytes and then differ at,
// before or after a six-byte boundary, end where others go on, or differ
// only in their values (appends to one array).
func TestFastPathLongSharedPrefixes(t *testing.T) {
	long := "filter[" + strings.Repeat("very_long_key_", 5)
	for _, raw := range []string{
		long + "a]=1&" + long + "b]=2&" + long + "]=3",
		long + "b][]=x&" + long + "a][]=y&" + long + "b][]=w&" + long + "a][]=v",
		long + "ab]=1&" + long + "a]=2&" + long + "abcdefgh]=3&" + long + "abcdefg]=4",
		long + "x][]=" + strings.Repeat("v", 70) + "b&" + long + "x][]=" + strings.Repeat("v", 70) + "a",
		"p[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]=1&p[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab]=2&p[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]=3&q=4",
		"abcdefghijkl=1&abcdefghijkm=2&abcdefghijk=3&abcdefghijklmnop=4&abcdefghijkl_=5",
	} {
		if !checkAgainstReference(t, raw) {
			t.Errorf("the fast path refused %q", raw)
		}
	}
}

// randomPlainQuery builds a query whose names have no brackets, as sort,
// page and search parameters are sent: names that repeat (an overwrite),
// prefix one another ("a", "a-b", "a1") or share long prefixes, in
// random or name order, so that checkPlainOrdered's walk is what decides.
func randomPlainQuery(r *rand.Rand) string {
	bases := []string{"a", "a-b", "a1", "ab", "a_", "page", "per_page", "sort", "search", "searching", "created_at_from", "created_at_from2"}
	values := []string{"", "1", "-created_at", "a+b", "%2B", "x%5By", "%"}
	n := 1 + r.IntN(12)
	pieces := make([]string, n)
	for i := range pieces {
		pieces[i] = bases[r.IntN(len(bases))]
		if r.IntN(6) > 0 {
			pieces[i] += "=" + values[r.IntN(len(values))]
		}
	}
	if r.IntN(2) == 0 {
		sortPiecesByName(pieces)
	}
	return strings.Join(pieces, "&")
}

// TestFastPathAgreesOnPlainNames is the differential test of the walk for
// queries without brackets, against the reference; names sent twice must
// send the query to the general path, the others take the fast one.
func TestFastPathAgreesOnPlainNames(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 4))
	took, dup := 0, 0
	for i := 0; i < 5000; i++ {
		raw := randomPlainQuery(r)
		seen := map[string]bool{}
		twice := false
		for _, p := range strings.Split(raw, "&") {
			name, _, _ := strings.Cut(p, "=")
			twice = twice || seen[name]
			seen[name] = true
		}
		fast := checkAgainstReference(t, raw)
		if fast == twice {
			t.Fatalf("%q: names sent twice %v, fast path took it %v", raw, twice, fast)
		}
		if fast {
			took++
		} else {
			dup++
		}
	}
	if took < 1000 || dup < 500 {
		t.Fatalf("only %d queries took the fast path and %d the general one", took, dup)
	}
}
