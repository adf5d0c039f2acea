package signer

import (
	"math"
	"slices"
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
	var scratch [1024]byte
	return string(appendCanonicalQuery(scratch[:0], rawQuery))
}

// appendCanonicalQuery appends CanonicalQuery(rawQuery) to dst.
func appendCanonicalQuery(dst []byte, rawQuery string) []byte {
	if rawQuery == "" {
		return dst
	}
	// The fast path refuses a NUL byte, so it is looked for only then.
	if out, ok := appendCanonicalQueryFast(dst, rawQuery); ok {
		return out
	}
	// PHP reads the query as a C string: a NUL byte on the wire ends it.
	if i := strings.IndexByte(rawQuery, 0); i >= 0 {
		rawQuery = rawQuery[:i]
		if out, ok := appendCanonicalQueryFast(dst, rawQuery); ok {
			return out
		}
	}
	return appendCanonicalQueryPHP(dst, rawQuery)
}

// appendCanonicalQueryPHP is the general path: it builds the arrays PHP
// builds and flattens them.
func appendCanonicalQueryPHP(dst []byte, rawQuery string) []byte {
	// Every "name=value" is laid out after dst's end, then they are joined
	// in order: one buffer rather than a string per pair.
	top := parsePHPQuery(rawQuery)
	if len(dst)+10*len(rawQuery) > math.MaxInt32 {
		// Past 32-bit offsets: a query of hundreds of megabytes.
		return appendFlattenedAsStrings(dst, top)
	}
	spans := make([]span, 0, len(top.entries))
	order := make([]uint64, 0, len(top.entries))
	mark := len(dst)
	flattenPHPArray(top, func(encodedName []byte, value string) {
		start := len(dst)
		dst = append(dst, encodedName...)
		dst = append(dst, '=')
		dst = appendEscaped(dst, value)
		// At most phpMaxInputVars strings: the index fits indexMask.
		order = append(order, sortKey(dst[start:], 0, len(spans)))
		spans = append(spans, span{start: int32(start), end: int32(len(dst))})
	})
	if len(spans) == 0 {
		return dst
	}
	sortSpans(dst, spans, order, 0)
	out := len(dst)
	for k, o := range order {
		if k > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, dst[spans[o&indexMask].start:spans[o&indexMask].end]...)
	}
	size := copy(dst[mark:], dst[out:])
	return dst[:mark+size]
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

// appendFlattenedAsStrings is the end of the general path with a string per
// pair, for queries too large for fastPair's 32-bit offsets.
func appendFlattenedAsStrings(dst []byte, top *phpArray) []byte {
	var strs []string
	flattenPHPArray(top, func(encodedName []byte, value string) {
		strs = append(strs, string(appendEscaped(append(append([]byte(nil), encodedName...), '='), value)))
	})
	slices.Sort(strs)
	for i, p := range strs {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, p...)
	}
	return dst
}
