package signer

import (
	"fmt"
	"strings"
	"testing"
)

// queryCase is one raw query and the canonical query the server computes.
type queryCase struct {
	name, raw, want string
}

func runQueryCases(t *testing.T, cases []queryCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := CanonicalQuery(tc.raw); got != tc.want {
				t.Errorf("CanonicalQuery(%q)\n got %q\nwant %q", tc.raw, got, tc.want)
			}
			// The general path must agree whether or not the fast path took it.
			if got := string(appendCanonicalQueryPHP(nil, cutAtNUL(tc.raw))); got != tc.want {
				t.Errorf("general path on %q\n got %q\nwant %q", tc.raw, got, tc.want)
			}
		})
	}
}

func cutAtNUL(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

func TestCanonicalQuerySpecExamples(t *testing.T) {
	runQueryCases(t, []queryCase{
		{"two filters", "filter[from_currency_id]=1&filter[to_currency_id]=2", "filter%5Bfrom_currency_id%5D=1&filter%5Bto_currency_id%5D=2"},
		{"appended statuses", "filter[status][]=a&filter[status][]=b", "filter%5Bstatus%5D%5B0%5D=a&filter%5Bstatus%5D%5B1%5D=b"},
		{"sorted", "sort=-created_at&page=2", "page=2&sort=-created_at"},
		{"plus and escaped plus", "q=a+b&x=%2B", "q=a%20b&x=%2B"},
		{"dot, open bracket, no value", "a.b=1&c[d=2&flag", "a_b=1&c_d=2&flag="},
	})
}

func TestCanonicalQueryRule1SplitOnAmpersandAndFirstEquals(t *testing.T) {
	runQueryCases(t, []queryCase{
		{"empty query", "", ""},
		{"empty pieces are skipped", "&&a=1&&b=2&", "a=1&b=2"},
		{"piece without equals has empty value", "flag", "flag="},
		{"piece ending in equals has empty value", "flag=", "flag="},
		{"split at the first equals only", "a=b=c", "a=b%3Dc"},
		{"only separators", "&&&", ""},
	})
}

func TestCanonicalQueryRule2DecodePlusAndPercent(t *testing.T) {
	runQueryCases(t, []queryCase{
		{"plus is a space in values", "q=a+b", "q=a%20b"},
		{"escaped plus stays a plus", "x=%2B", "x=%2B"},
		{"percent XX is a byte", "x=%41%62", "x=Ab"},
		{"lower-case hex is decoded and re-encoded upper-case", "x=%e6%97%a5", "x=%E6%97%A5"},
		{"percent with one hex digit stays", "x=%4", "x=%254"},
		{"percent with non-hex stays", "x=%zz1", "x=%25zz1"},
		{"trailing percent stays", "x=100%", "x=100%25"},
		{"percent before a valid escape", "x=%%41", "x=%25A"},
		{"names are decoded too", "%61%5Bb%5D=1", "a%5Bb%5D=1"},
		{"escaped separators are data", "x%26y=a%3Db%26c", "x%26y=a%3Db%26c"},
	})
}

func TestCanonicalQueryRule3NameCutAtNULAndLeadingSpaces(t *testing.T) {
	runQueryCases(t, []queryCase{
		{"name cut at decoded NUL", "ab%00cd=1", "ab=1"},
		{"name that starts with NUL is empty and dropped", "%00a=1", ""},
		{"NUL in a value is kept", "a=x%00y", "a=x%00y"},
		{"raw NUL ends the query", "a=1\x00&b=2", "a=1"},
		{"leading plus spaces removed", "++a=1", "a=1"},
		{"leading escaped spaces removed", "%20%20a=1", "a=1"},
		{"leading tab is not a space", "%09a=1", "%09a=1"},
		{"only spaces is empty and dropped", "+%20=1", ""},
	})
}

func TestCanonicalQueryRule4BaseNameDotsAndSpacesAndEmptyBase(t *testing.T) {
	runQueryCases(t, []queryCase{
		{"dot becomes underscore", "a.b=1", "a_b=1"},
		{"space becomes underscore", "a+b=1", "a_b=1"},
		{"dots inside brackets stay", "a.b[c.d]=1", "a_b%5Bc.d%5D=1"},
		{"empty base name dropped", "=x", ""},
		{"empty base before bracket dropped", "[e]=x", ""},
		{"encoded empty base dropped", "%5Be%5D=x&k=v", "k=v"},
		{"closing bracket in base stays", "f]=1", "f%5D=1"},
		{"mangling into __Host- drops the pair", "..Host-x=1&._Secure-y=2&__Host-z=3", "__Host-z=3"},
		{"mangling into __Secure- drops the pair", "_.Secure-x=1", ""},
		{"__Host- after leading spaces is kept", "+__Host-x=1", "__Host-x=1"},
	})
}

func TestCanonicalQueryRule5IndexesAndAppends(t *testing.T) {
	runQueryCases(t, []queryCase{
		{"index", "a[x]=1", "a%5Bx%5D=1"},
		{"nested indexes", "a[x][y]=1", "a%5Bx%5D%5By%5D=1"},
		{"empty index appends from 0", "a[]=x&a[]=y", "a%5B0%5D=x&a%5B1%5D=y"},
		{"one space index appends", "a[+]=x&a[%20]=y", "a%5B0%5D=x&a%5B1%5D=y"},
		{"one tab or newline index appends", "a[%09]=x&a[%0A]=y", "a%5B0%5D=x&a%5B1%5D=y"},
		{"two spaces are a string key", "a[++]=x", "a%5B%20%20%5D=x"},
		{"append after negative key", "a[-3]=x&a[]=y", "a%5B-2%5D=y&a%5B-3%5D=x"},
		{"append after largest key", "a[5]=x&a[2]=y&a[]=z", "a%5B2%5D=y&a%5B5%5D=x&a%5B6%5D=z"},
		{"string keys do not move the append index", "a[x]=1&a[]=2", "a%5B0%5D=2&a%5Bx%5D=1"},
		{"append in a nested array", "a[x][]=1&a[x][]=2&a[y][]=3", "a%5Bx%5D%5B0%5D=1&a%5Bx%5D%5B1%5D=2&a%5By%5D%5B0%5D=3"},
		{"append then index", "a[][x]=1&a[][x]=2", "a%5B0%5D%5Bx%5D=1&a%5B1%5D%5Bx%5D=2"},
		{"index text kept verbatim", "a[+x.y+]=1", "a%5B%20x.y%20%5D=1"},
		{"open bracket inside an index is kept", "a[b[c]=1", "a%5Bb%5Bc%5D=1"},
	})
}

func TestCanonicalQueryRule6UnterminatedBracketsAndTrailingText(t *testing.T) {
	runQueryCases(t, []queryCase{
		{"first bracket unterminated becomes underscore", "c[d=2", "c_d=2"},
		{"bare open bracket", "b[=1", "b_=1"},
		{"spaces dots and brackets after it too", "c[d.e+f[g=1", "c_d_e_f_g=1"},
		{"leading space of the broken index", "c[+d=1", "c__d=1"},
		{"later unterminated bracket ignored", "j[k][=true", "j%5Bk%5D=true"},
		{"later unterminated index ignored", "j[k][l=true", "j%5Bk%5D=true"},
		{"unterminated after an append", "a[][=1&a[][=2", "a%5B0%5D=1&a%5B1%5D=2"},
		{"text after closing bracket ends the name", "g[h]i=1", "g%5Bh%5D=1"},
		{"text after closing bracket hides later groups", "g[h]i[j]=1", "g%5Bh%5D=1"},
	})
}

func TestCanonicalQueryRule7IntegerVersusStringKeys(t *testing.T) {
	runQueryCases(t, []queryCase{
		{"1 and 01 are different keys", "a[1]=x&a[01]=y", "a%5B01%5D=y&a%5B1%5D=x"},
		{"leading zero is a string key", "a[01]=x&a[]=y", "a%5B0%5D=y&a%5B01%5D=x"},
		{"minus zero is a string key", "a[-0]=x&a[]=y", "a%5B-0%5D=x&a%5B0%5D=y"},
		{"plus sign is a string key", "a[%2B1]=x&a[]=y", "a%5B%2B1%5D=x&a%5B0%5D=y"},
		{"zero is an integer key", "a[0]=x&a[]=y", "a%5B0%5D=x&a%5B1%5D=y"},
		{"beyond int64 is a string key", "a[9223372036854775808]=x&a[]=y", "a%5B0%5D=y&a%5B9223372036854775808%5D=x"},
		{"int64 minimum is an integer key", "a[-9223372036854775808]=x&a[]=y", "a%5B-9223372036854775807%5D=y&a%5B-9223372036854775808%5D=x"},
		{"no append past int64 maximum", "a[9223372036854775806]=x&a[]=y&a[]=z", "a%5B9223372036854775806%5D=x&a%5B9223372036854775807%5D=y"},
		{"twenty digits is a string key", "a[10000000000000000000]=x&a[]=y", "a%5B0%5D=y&a%5B10000000000000000000%5D=x"},
		{"numeric base name", "5=x&05=y", "05=y&5=x"},
	})
}

func TestCanonicalQueryRule8LaterAssignmentsOverwrite(t *testing.T) {
	runQueryCases(t, []queryCase{
		{"later value wins", "a=1&a=2", "a=2"},
		{"string replaces array", "a[x]=2&a=1", "a=1"},
		{"array replaces string", "a=1&a[x]=2", "a%5Bx%5D=2"},
		{"replaced array restarts appends", "a[]=1&a[]=2&a=3&a[]=4", "a%5B0%5D=4"},
		{"nested string replaced by array", "a[x]=1&a[x][y]=2", "a%5Bx%5D%5By%5D=2"},
		{"explicit key overwrites appended one", "a[]=1&a[0]=2", "a%5B0%5D=2"},
		{"overwrite keeps the append index", "a[5]=1&a[5]=2&a[]=3", "a%5B5%5D=2&a%5B6%5D=3"},
	})
}

func TestCanonicalQueryRule9FlattenAndEncode(t *testing.T) {
	runQueryCases(t, []queryCase{
		{"nested keys flattened", "a[x][y][]=1", "a%5Bx%5D%5By%5D%5B0%5D=1"},
		{"reserved characters encoded", "x=!*'()", "x=%21%2A%27%28%29"},
		{"unreserved characters kept", "x=~-._AZaz09", "x=~-._AZaz09"},
		{"UTF-8 bytes encoded upper-case", "x=\xc3\xbc", "x=%C3%BC"},
		{"space is percent 20 not plus", "x=a%20b", "x=a%20b"},
		{"pairs sorted by byte order", "b=1&a=2&A=3", "A=3&a=2&b=1"},
		{"the whole pair is sorted, '-' before '='", "a=1&a-b=2", "a-b=2&a=1"},
	})
}

func TestCanonicalQueryPHPLimits(t *testing.T) {
	deep := func(levels int) string { return "a" + strings.Repeat("[x]", levels) }
	var many []string
	for i := 0; i <= phpMaxInputVars; i++ {
		many = append(many, fmt.Sprintf("p%d=%d", i, i))
	}
	manyWant := CanonicalQuery(strings.Join(many[:phpMaxInputVars], "&"))
	runQueryCases(t, []queryCase{
		{"64 levels of nesting are kept", deep(64) + "=1", strings.ReplaceAll(strings.ReplaceAll(deep(64), "[", "%5B"), "]", "%5D") + "=1"},
		{"65 levels drop the whole variable", "a=0&b=1&" + deep(65) + "=1", "b=1"},
		{"more than max_input_vars pieces are cut", strings.Join(many, "&"), manyWant},
		{"empty pieces do not count toward max_input_vars", strings.Repeat("&", 2000) + "a=1", "a=1"},
	})
	if strings.Contains(manyWant, "p1000=") || !strings.Contains(manyWant, "p999=") {
		t.Errorf("max_input_vars cut at the wrong place")
	}
}
