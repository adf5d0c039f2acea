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

// fastPair is one pair: name and value as sent, and where its encoded form
// sits in the output buffer.
type fastPair struct {
	name, value string
	start, end  int
}

// appendCanonicalQueryFast appends the canonical form of rawQuery to dst and
// reports true, or leaves dst alone and reports false when rawQuery needs the
// general path.
func appendCanonicalQueryFast(dst []byte, rawQuery string) ([]byte, bool) {
	var pairs [maxFastPairs]fastPair
	n := 0
	for rest := rawQuery; rest != ""; {
		var piece string
		piece, rest, _ = strings.Cut(rest, "&")
		if piece == "" {
			continue
		}
		if n == maxFastPairs {
			return dst, false
		}
		name, value, _ := strings.Cut(piece, "=")
		if !isPlainName(name) {
			return dst, false
		}
		for _, earlier := range pairs[:n] {
			if namesCollide(earlier.name, name) {
				return dst, false
			}
		}
		pairs[n] = fastPair{name: name, value: value}
		n++
	}

	// Encode every pair after dst's current end, sort the encoded pairs,
	// then lay them out again in order and move them into place.
	mark := len(dst)
	for i := range pairs[:n] {
		p := &pairs[i]
		p.start = len(dst)
		dst = appendEscaped(dst, p.name)
		dst = append(dst, '=')
		dst = appendRecoded(dst, p.value)
		p.end = len(dst)
	}
	sorted := pairs[:n]
	for i := 1; i < len(sorted); i++ { // insertion sort: n is small
		for j := i; j > 0 && bytes.Compare(dst[sorted[j].start:sorted[j].end], dst[sorted[j-1].start:sorted[j-1].end]) < 0; j-- {
			sorted[j], sorted[j-1] = sorted[j-1], sorted[j]
		}
	}
	out := len(dst)
	for i, p := range sorted {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, dst[p.start:p.end]...)
	}
	size := copy(dst[mark:], dst[out:])
	return dst[:mark+size], true
}

// isPlainName reports whether name passes through PHP's parser unchanged
// (see the conditions above).
func isPlainName(name string) bool {
	i := 0
	for i < len(name) && name[i] != '[' {
		if c := name[i]; c == '.' || !isUnreserved(c) {
			return false
		}
		i++
	}
	if i == 0 {
		return false
	}
	for groups := 0; i < len(name); groups++ {
		if groups == phpMaxNestingLevels || name[i] != '[' {
			return false
		}
		i++
		start := i
		for i < len(name) && isUnreserved(name[i]) {
			i++
		}
		if i == start || i == len(name) || name[i] != ']' {
			return false
		}
		i++
	}
	return true
}

// namesCollide reports whether two plain names would overwrite one another
// in PHP's array: the same name, or one a bracket prefix of the other.
func namesCollide(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return b[:len(a)] == a && (len(b) == len(a) || b[len(a)] == '[')
}
