package signer

import (
	"net/url"
	"sort"
	"strings"
)

// CanonicalQuery returns the query the server signs for rawQuery: PHP's
// parse_str rules, flattened, RFC 3986 encoded and sorted (spec/api.md 4.1).
//
// PLACEHOLDER: a simplified version; the exact PHP rules replace it.
func CanonicalQuery(rawQuery string) string {
	vals, _ := url.ParseQuery(rawQuery)
	var pairs []string
	for k, vs := range vals {
		for _, v := range vs {
			pairs = append(pairs, rfc3986(k)+"="+rfc3986(v))
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, "&")
}

func rfc3986(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
