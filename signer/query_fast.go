package signer

import (
	"bytes"
	"strings"
)

// The fast path handles the queries an SDK usually sends, such as
// "filter[from_currency_id]=1&filter[to_currency_id]=2&page=2", without
// building PHP arrays and without allocating. It applies when the general
// rules have nothing to change in the names:
//
//   - every name is a base of [A-Za-z0-9_~-] followed by at most
//     phpMaxNestingLevels groups "[key]", each key one or more RFC 3986
//     unreserved bytes (so no decoding, mangling, appends or odd brackets);
//   - no name equals another or is a bracket prefix of another ("a" and
//     "a[x]"), so no pair overwrites another;
//   - there are at most maxFastPairs pairs.
//
// Values may hold anything: decoding and re-encoding a value is a byte-wise
// transformation (appendRecoded). Under these conditions PHP's array, once
// flattened, holds exactly the pairs as sent, so the canonical query is the
// encoded pairs in byte order.

const maxFastPairs = 16

// fastSpan locates one encoded pair in the output buffer: the name is
// [start, nameEnd), the whole "name=value" is [start, end).
type fastSpan struct {
	start, nameEnd, end int
}

// appendCanonicalQueryFast appends the canonical form of rawQuery to dst and
// reports true, or returns dst unchanged and false when rawQuery needs the
// general path.
func appendCanonicalQueryFast(dst []byte, rawQuery string) ([]byte, bool) {
	mark := len(dst)
	var spans [maxFastPairs]fastSpan
	n := 0
	// Encode every pair after dst's current end, in arrival order, joined
	// by '&' as if already sorted.
	for rest := rawQuery; rest != ""; {
		piece := rest
		if i := strings.IndexByte(rest, '&'); i >= 0 {
			piece, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		if piece == "" {
			continue
		}
		if n == maxFastPairs {
			return dst[:mark], false
		}
		name, value := piece, ""
		if i := strings.IndexByte(piece, '='); i >= 0 {
			name, value = piece[:i], piece[i+1:]
		}
		if n > 0 {
			dst = append(dst, '&')
		}
		sp := fastSpan{start: len(dst)}
		var ok bool
		if dst, ok = appendPlainName(dst, name); !ok {
			return dst[:mark], false
		}
		sp.nameEnd = len(dst)
		for _, earlier := range spans[:n] {
			if encodedNamesCollide(dst[earlier.start:earlier.nameEnd], dst[sp.start:sp.nameEnd]) {
				return dst[:mark], false
			}
		}
		dst = append(dst, '=')
		dst = appendRecoded(dst, value)
		sp.end = len(dst)
		spans[n] = sp
		n++
	}

	// Sort the encoded pairs. Queries built with url.Values are sorted
	// already and are done; others are laid out again in order after the
	// first copy and moved into place.
	pairs := spans[:n]
	inOrder := true
	for i := 1; i < len(pairs); i++ { // insertion sort: n is small
		for j := i; j > 0 && bytes.Compare(dst[pairs[j].start:pairs[j].end], dst[pairs[j-1].start:pairs[j-1].end]) < 0; j-- {
			pairs[j], pairs[j-1] = pairs[j-1], pairs[j]
			inOrder = false
		}
	}
	if inOrder {
		return dst, true
	}
	out := len(dst)
	for i, sp := range pairs {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, dst[sp.start:sp.end]...)
	}
	size := copy(dst[mark:], dst[out:])
	return dst[:mark+size], true
}

// appendPlainName appends the encoding of name and reports true if name
// passes through PHP's parser unchanged (see the conditions above). On false,
// what it appended is garbage for the caller to cut.
func appendPlainName(dst []byte, name string) ([]byte, bool) {
	i := 0
	for i < len(name) && name[i] != '[' {
		if c := name[i]; c == '.' || !isUnreserved(c) {
			return dst, false
		}
		i++
	}
	if i == 0 {
		return dst, false
	}
	dst = append(dst, name[:i]...)
	for groups := 0; i < len(name); groups++ {
		if groups == phpMaxNestingLevels || name[i] != '[' {
			return dst, false
		}
		i++
		start := i
		for i < len(name) && isUnreserved(name[i]) {
			i++
		}
		if i == start || i == len(name) || name[i] != ']' {
			return dst, false
		}
		dst = append(dst, "%5B"...)
		dst = append(dst, name[start:i]...)
		dst = append(dst, "%5D"...)
		i++
	}
	return dst, true
}

// encodedNamesCollide reports whether two encoded plain names would
// overwrite one another in PHP's array: the same name, or one a bracket
// prefix of the other ("a" and "a[x]"). In an encoded plain name a '%' can
// only start the "%5B" of a '['.
func encodedNamesCollide(a, b []byte) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return bytes.HasPrefix(b, a) && (len(b) == len(a) || b[len(a)] == '%')
}
