package signer

import (
	"sort"
	"strings"
)

// CanonicalQuery returns the query the server signs for rawQuery (the query
// as sent on the wire, without the leading '?'), following docs/api.md 4.1.
//
// The server does not sign the bytes it receives: it parses them with PHP's
// parse_str into nested arrays, flattens those back into name[key][key]
// pairs, encodes every name and value with RFC 3986 percent-encoding
// (upper-case hex), and joins the "name=value" pairs with '&' in byte order.
// CanonicalQuery reproduces all of it, PHP's quirks included: '.' and space
// become '_' in base names, "a[]" appends with the next integer key, "a[1]"
// and "a[01]" are different keys, later pairs overwrite earlier ones, and so
// on. It never fails: any input has a canonical form, possibly "".
//
// The result is idempotent: CanonicalQuery(CanonicalQuery(q)) ==
// CanonicalQuery(q).
func CanonicalQuery(rawQuery string) string {
	// Most queries fit this buffer, which then stays on the stack, so the
	// result string is the only allocation.
	var scratch [256]byte
	return string(appendCanonicalQuery(scratch[:0], rawQuery))
}

// appendCanonicalQuery appends CanonicalQuery(rawQuery) to dst.
func appendCanonicalQuery(dst []byte, rawQuery string) []byte {
	// PHP reads the query as a C string: a NUL byte on the wire ends it.
	if i := strings.IndexByte(rawQuery, 0); i >= 0 {
		rawQuery = rawQuery[:i]
	}
	if out, ok := appendCanonicalQueryFast(dst, rawQuery); ok {
		return out
	}
	return appendCanonicalQueryPHP(dst, rawQuery)
}

// appendCanonicalQueryPHP is the general path: it builds the arrays PHP
// builds and flattens them.
func appendCanonicalQueryPHP(dst []byte, rawQuery string) []byte {
	var pairs []string
	var name []byte
	flattenPHPArray(parsePHPQuery(rawQuery), func(encodedName []byte, value string) {
		name = append(name[:0], encodedName...)
		name = append(name, '=')
		pairs = append(pairs, string(appendEscaped(name, value)))
	})
	sort.Strings(pairs)
	for i, p := range pairs {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, p...)
	}
	return dst
}

// flattenPHPArray calls emit for every string in a, with its flattened
// name base[k1][k2]... already RFC 3986 encoded (rule 9). Keys are stored as
// their text, so integer keys come out in decimal.
func flattenPHPArray(a *phpArray, emit func(encodedName []byte, value string)) {
	// Siblings reuse the bytes after prefix: emit copies the name before the
	// next sibling overwrites it.
	var walk func(prefix []byte, a *phpArray, top bool)
	walk = func(prefix []byte, a *phpArray, top bool) {
		for key, v := range a.entries {
			name := prefix
			if !top {
				name = append(name, "%5B"...)
			}
			name = appendEscaped(name, key)
			if !top {
				name = append(name, "%5D"...)
			}
			if v.arr != nil {
				walk(name, v.arr, false)
			} else {
				emit(name, v.str)
			}
		}
	}
	walk(nil, a, true)
}
