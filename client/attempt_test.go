package client

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzRequestURL: the URL a call is sent to, built from its parts, is the
// one net/url parses from the base URL and the escaped path (as the client
// built it before), for escaped ids and for paths written by hand.
func FuzzRequestURL(f *testing.F) {
	for _, s := range []string{"T-1001", "a b", "x/y", "%zz", "ü", "a;b,c", "(!)", "..", "", "a+b=c@d:e$f&g"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	c, err := New("https://api.example/prefix/api/v3", WithToken(testToken))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, seg string, raw bool) {
		p := "/private/exchange/orders/" + url.PathEscape(seg) + "/status"
		if raw {
			if strings.ContainsAny(seg, "?#") {
				return // never in an escaped path: they would end it
			}
			p = "/private/" + seg
		}
		cl := &call{method: "GET", path: p, query: url.Values{"filter[status][]": {seg}}}
		want, werr := url.Parse(c.baseURL + p + "?" + cl.query.Encode())
		got, gerr := c.requestURL(cl)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("path %q: parse error %v, requestURL error %v", p, werr, gerr)
		}
		if werr != nil {
			return
		}
		if got.String() != want.String() || got.EscapedPath() != want.EscapedPath() || got.Path != want.Path ||
			got.RawPath != want.RawPath || got.RawQuery != want.RawQuery || got.Host != want.Host || got.Scheme != want.Scheme {
			t.Fatalf("path %q:\n got  %#v\n want %#v", p, got, want)
		}
	})
}
