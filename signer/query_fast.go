package signer

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The fast path handles the queries an SDK sends, such as
// "filter[from_currency_id]=1&filter[status][]=created&filter[status][]=paid&page=2"
// (brackets literal or as url.Values encodes them, %5B and %5D), without
// building PHP arrays: a few passes over one buffer, with no allocation up
// to stackPairs pairs. It applies when PHP's array, once flattened, holds
// the pairs as sent, with appends numbered in arrival order:
//
//   - every name is a base of [A-Za-z0-9_~-] followed by at most
//     phpMaxNestingLevels groups "[key]", each key one or more RFC 3986
//     unreserved bytes (so no decoding, mangling or odd brackets); the last
//     group may be "[]", an append;
//   - no two names overwrite one another: no name equals another or is a
//     bracket prefix of another ("a" and "a[x]"), where an append counts as
//     its array's name ("a[x][]" as "a[x]"), except that any number of
//     appends may share one array;
//   - an array that gets appends gets nothing else, so PHP numbers them
//     0, 1, 2... (an explicit integer key would move the numbering).
//
// Values may hold anything: decoding and re-encoding a value is a byte-wise
// transformation (appendRecoded). Any number of pairs takes this path, up to
// PHP's max_input_vars, after which PHP (and so this) ignores the rest.

// stackPairs is how many pairs the fast path tracks without allocating.
const stackPairs = 32

// fastPair locates one pair in the output buffer while it is worked on.
type fastPair struct {
	key, keyEnd int32  // the encoded name, without an append's "[]" (the array's name)
	val, valEnd int32  // the encoded value
	appendIndex int32  // -1 for a plain name, else the append's number
	out, outEnd int32  // the finished "name=value"
	hash        uint64 // of the name, for the set of names; then a sort key
	hash2       uint64 // the sort key's second half
}

// appendCanonicalQueryFast appends the canonical form of rawQuery to dst and
// reports true, or returns dst unchanged and false when rawQuery needs the
// general path.
func appendCanonicalQueryFast(dst []byte, rawQuery string) ([]byte, bool) {
	// Offsets are 32-bit; the passes write at most about ten bytes per
	// byte of the query after dst.
	if len(dst)+10*len(rawQuery) > math.MaxInt32 {
		return dst, false
	}
	// The pairs' bookkeeping lives on the stack, in an array sized for the
	// query: zeroing room for 32 pairs would cost a short query more than
	// its encoding.
	if strings.Count(rawQuery, "&") < smallPairs {
		var stack [smallPairs]fastPair
		return appendCanonicalQueryFastWith(dst, rawQuery, stack[:0], true)
	}
	var stack [stackPairs]fastPair
	return appendCanonicalQueryFastWith(dst, rawQuery, stack[:0], false)
}

// appendCanonicalQueryFastWith is appendCanonicalQueryFast with pairs, an
// empty slice with room for the pairs (it grows if there are more). small
// says there are at most smallPairs pairs: appends are then numbered as
// they arrive, by looking back, and written out at once.
func appendCanonicalQueryFastWith(dst []byte, rawQuery string, pairs []fastPair, small bool) ([]byte, bool) {
	mark := len(dst)

	// Pass 1: encode every pair after dst's current end, in arrival order,
	// joined by '&' as if already in order.
	pieces := 0
	appends := false
	for rest := rawQuery; rest != ""; {
		piece := rest
		if i := strings.IndexByte(rest, '&'); i >= 0 {
			piece, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		if piece == "" {
			continue // rule 1: not counted
		}
		if pieces++; pieces > phpMaxInputVars {
			break // PHP ignores the rest of the query
		}
		name, value := piece, ""
		if i := strings.IndexByte(piece, '='); i >= 0 {
			name, value = piece[:i], piece[i+1:]
		}
		if len(pairs) > 0 {
			dst = append(dst, '&')
		}
		p := fastPair{key: int32(len(dst)), out: int32(len(dst)), appendIndex: -1}
		var ok, isAppend bool
		if dst, isAppend, ok = appendPlainName(dst, name); !ok {
			return dst[:mark], false
		}
		if isAppend {
			p.appendIndex, appends = 0, true
		}
		p.keyEnd = int32(len(dst))
		if isAppend && small {
			key := dst[p.key:p.keyEnd]
			for j := len(pairs) - 1; j >= 0; j-- {
				if q := &pairs[j]; q.appendIndex >= 0 && string(dst[q.key:q.keyEnd]) == string(key) {
					p.appendIndex = q.appendIndex + 1
					break
				}
			}
			dst = append(dst, "%5B"...)
			dst = strconv.AppendInt(dst, int64(p.appendIndex), 10)
			dst = append(dst, "%5D"...)
		}
		dst = append(dst, '=')
		p.val = int32(len(dst))
		dst = appendRecoded(dst, value)
		p.valEnd, p.outEnd = int32(len(dst)), int32(len(dst))
		pairs = append(pairs, p)
	}
	if len(pairs) == 0 {
		return dst, true
	}

	// Pass 2: find overwrites and number the appends, with a hash set of
	// the names: a name seen twice must be appends to one array, numbered
	// in arrival order, and no name may be a bracket prefix of another.
	if len(pairs) <= smallPairs {
		if !checkNamesSmall(dst, pairs) {
			return dst[:mark], false
		}
	} else if !checkNamesHashed(dst, pairs) {
		return dst[:mark], false
	}

	// Pass 3: appends get their numbers, written out after pass 1's copy
	// (small queries numbered them in pass 1).
	if appends && !small {
		for i := range pairs {
			p := &pairs[i]
			if p.appendIndex < 0 {
				continue
			}
			p.out = int32(len(dst))
			dst = append(dst, dst[p.key:p.keyEnd]...)
			dst = append(dst, "%5B"...)
			dst = strconv.AppendInt(dst, int64(p.appendIndex), 10)
			dst = append(dst, "%5D="...)
			dst = append(dst, dst[p.val:p.valEnd]...)
			p.outEnd = int32(len(dst))
		}
	}

	// Pass 4: the server orders the pairs by their bytes. Pass 1's copy is
	// the answer when nothing was renumbered or reordered.
	// Each pair's first eight bytes as a number settle most comparisons
	// without a call (pass 2 is done with the names' hashes).
	for i := range pairs {
		pairs[i].hash = bigEndianPrefix(dst[pairs[i].out:pairs[i].outEnd])
	}
	inOrder := true
	for i := 1; i < len(pairs) && inOrder; i++ {
		inOrder = compareOut(dst, &pairs[i-1], &pairs[i]) < 0
	}
	if inOrder && (!appends || small) {
		return dst, true
	}
	var stackOrder [stackPairs]uint16
	order := stackOrder[:0]
	for i := range pairs {
		order = append(order, uint16(i))
	}
	if !inOrder {
		if len(pairs) <= smallPairs {
			for i := 1; i < len(order); i++ {
				for j := i; j > 0 && compareOut(dst, &pairs[order[j-1]], &pairs[order[j]]) > 0; j-- {
					order[j], order[j-1] = order[j-1], order[j]
				}
			}
		} else {
			sortPairs(dst, pairs, order)
		}
	}
	out := len(dst)
	for k, i := range order {
		if k > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, dst[pairs[i].out:pairs[i].outEnd]...)
	}
	size := copy(dst[mark:], dst[out:])
	return dst[:mark+size], true
}

// smallPairs is the size up to which comparing every pair of names, and
// sorting by insertion, costs less than hashing and sorting by keys.
const smallPairs = 8

// checkNamesSmall is pass 2 by comparing every two names.
func checkNamesSmall(dst []byte, pairs []fastPair) bool {
	for i := range pairs {
		p := &pairs[i]
		b := dst[p.key:p.keyEnd]
		for j := i - 1; j >= 0; j-- {
			q := &pairs[j]
			a := dst[q.key:q.keyEnd]
			if string(a) == string(b) {
				if q.appendIndex < 0 || p.appendIndex < 0 {
					return false
				}
				p.appendIndex = q.appendIndex + 1
				break // the nearest earlier append has the highest number
			}
			if bracketPrefix(a, b) || bracketPrefix(b, a) {
				return false
			}
		}
	}
	return true
}

// bracketPrefix reports whether the encoded plain name a is a bracket
// prefix of b: b is a followed by groups.
func bracketPrefix(a, b []byte) bool {
	return len(b) > len(a) && b[len(a)] == '%' && string(b[:len(a)]) == string(a)
}

// checkNamesHashed is pass 2 with a hash set of the names.
func checkNamesHashed(dst []byte, pairs []fastPair) bool {
	var stackTable [2 * stackPairs]uint16
	names := nameSet{slots: stackTable[:]}
	if len(pairs) > stackPairs {
		names.slots = make([]uint16, 2*tableSize(len(pairs)))
	}
	seed := maphash.MakeSeed()
	for i := range pairs {
		p := &pairs[i]
		p.hash = maphash.Bytes(seed, dst[p.key:p.keyEnd])
		if j, found := names.insert(dst, pairs, i); found {
			prev := &pairs[j]
			if prev.appendIndex < 0 || p.appendIndex < 0 {
				return false
			}
			p.appendIndex = prev.appendIndex + 1
		}
	}
	// The last name looked up at each depth: neighbours usually share
	// their first groups ("filter", "filter[created]").
	var checked [4][]byte
	for i := range pairs {
		key := dst[pairs[i].key:pairs[i].keyEnd]
		// Every "%5B" of an encoded plain name opens a group: the name
		// before it must not be one of the names.
		depth := 0
		for k := 1; k+2 < len(key); k++ {
			if key[k] != '%' || key[k+2] != 'B' {
				continue
			}
			prefix := key[:k]
			if depth >= len(checked) || !bytes.Equal(prefix, checked[depth]) {
				if names.has(dst, pairs, prefix, maphash.Bytes(seed, prefix)) {
					return false
				}
				if depth < len(checked) {
					checked[depth] = prefix
				}
			}
			depth++
			k += 2
		}
	}
	return true
}

// sortPairs sorts order, indexes into pairs, by the pairs' finished
// "name=value" bytes. Names share long prefixes ("filter%5B..."), so each
// pair first gets the 16 bytes after the prefix common to all as two
// numbers, which settle most comparisons without reading the bytes.
func sortPairs(dst []byte, pairs []fastPair, order []uint16) {
	first := dst[pairs[0].out:pairs[0].outEnd]
	common := len(first)
	for i := 1; i < len(pairs) && common > 0; i++ {
		out := dst[pairs[i].out:pairs[i].outEnd]
		n := min(common, len(out))
		j := 0
		for j < n && out[j] == first[j] {
			j++
		}
		common = j
	}
	for i := range pairs {
		p := &pairs[i]
		rest := dst[p.out+int32(common) : p.outEnd]
		p.hash, p.hash2 = bigEndianPrefix(rest), 0
		if len(rest) > 8 {
			p.hash2 = bigEndianPrefix(rest[8:])
		}
	}
	slices.SortFunc(order, func(i, j uint16) int {
		a, b := &pairs[i], &pairs[j]
		switch {
		case a.hash != b.hash:
			return cmpUint64(a.hash, b.hash)
		case a.hash2 != b.hash2:
			return cmpUint64(a.hash2, b.hash2)
		}
		return bytes.Compare(dst[a.out+int32(common):a.outEnd], dst[b.out+int32(common):b.outEnd])
	})
}

// bigEndianPrefix returns the first eight bytes of b as a big-endian
// number, zero padded: the numbers compare as the bytes do, as far as they
// go (canonical bytes are never zero).
func bigEndianPrefix(b []byte) uint64 {
	if len(b) >= 8 {
		return binary.BigEndian.Uint64(b)
	}
	var x uint64
	for i := 0; i < 8; i++ {
		x <<= 8
		if i < len(b) {
			x |= uint64(b[i])
		}
	}
	return x
}

// compareOut orders two pairs by their finished "name=value"; hash holds
// their first eight bytes (pass 4).
func compareOut(dst []byte, a, b *fastPair) int {
	if a.hash != b.hash {
		return cmpUint64(a.hash, b.hash)
	}
	return bytes.Compare(dst[a.out:a.outEnd], dst[b.out:b.outEnd])
}

func cmpUint64(a, b uint64) int {
	if a < b {
		return -1
	}
	return 1
}

// tableSize returns the power of two at least n.
func tableSize(n int) int {
	size := 1
	for size < n {
		size <<= 1
	}
	return size
}

// nameSet is an open-addressing hash set of the pairs' names: each slot
// holds a pair's index plus one, 0 when empty. len(slots) is a power of two
// at least twice the number of pairs, so probes stay short.
type nameSet struct {
	slots []uint16
}

// insert adds pair i's name (hash set in pairs[i].hash) and returns the
// pair that had the same name, replacing it in the set so that the next
// lookup finds the latest one.
func (s nameSet) insert(dst []byte, pairs []fastPair, i int) (int, bool) {
	p := &pairs[i]
	mask := uint64(len(s.slots) - 1)
	for probe := p.hash; ; probe++ {
		slot := &s.slots[probe&mask]
		if *slot == 0 {
			*slot = uint16(i + 1)
			return 0, false
		}
		q := &pairs[*slot-1]
		if q.hash == p.hash && bytes.Equal(dst[q.key:q.keyEnd], dst[p.key:p.keyEnd]) {
			j := int(*slot - 1)
			*slot = uint16(i + 1)
			return j, true
		}
	}
}

// has reports whether name, of hash h, is in the set.
func (s nameSet) has(dst []byte, pairs []fastPair, name []byte, h uint64) bool {
	mask := uint64(len(s.slots) - 1)
	for probe := h; ; probe++ {
		slot := s.slots[probe&mask]
		if slot == 0 {
			return false
		}
		q := &pairs[slot-1]
		if q.hash == h && bytes.Equal(dst[q.key:q.keyEnd], name) {
			return true
		}
	}
}

// appendPlainName appends the encoding of name, without a final "[]", and
// reports whether name passes through PHP's parser unchanged (see the
// conditions above) and whether it ended in "[]". Brackets may be literal or
// percent-encoded. On !ok, what it appended is garbage for the caller to cut.
func appendPlainName(dst []byte, name string) (out []byte, isAppend, ok bool) {
	// Room for the worst case, every byte a literal bracket: then the loop
	// writes by index.
	n := len(dst)
	dst = slices.Grow(dst, 3*len(name))[:n+3*len(name)]
	i := 0
	for i < len(name) && name[i] != '[' && name[i] != '%' {
		if c := name[i]; c == '.' || !isUnreserved(c) {
			return dst[:n], false, false
		}
		dst[n+i] = name[i]
		i++
	}
	if i == 0 {
		return dst[:n], false, false
	}
	n += i
	for groups := 0; i < len(name); groups++ {
		b := bracketAt(name, i, '[')
		if groups == phpMaxNestingLevels || b == 0 {
			return dst[:n], false, false
		}
		i += b
		start := i
		for i < len(name) && isUnreserved(name[i]) {
			i++
		}
		b = bracketAt(name, i, ']')
		if b == 0 {
			return dst[:n], false, false
		}
		if i == start {
			// "[]" appends; only as the last group (in the middle PHP
			// would build a new array at each one).
			return dst[:n], true, i+b == len(name)
		}
		dst[n], dst[n+1], dst[n+2] = '%', '5', 'B'
		n += 3
		n += copy(dst[n:], name[start:i])
		dst[n], dst[n+1], dst[n+2] = '%', '5', 'D'
		n += 3
		i += b
	}
	return dst[:n], false, true
}

// bracketAt returns the length of the bracket b ('[' or ']') at s[i:],
// literal (1) or percent-encoded in either case (3), or 0 if there is none.
func bracketAt(s string, i int, b byte) int {
	if i >= len(s) {
		return 0
	}
	if s[i] == b {
		return 1
	}
	if s[i] == '%' && i+2 < len(s) && s[i+1] == '5' {
		if c := s[i+2] | 0x20; b == '[' && c == 'b' || b == ']' && c == 'd' {
			return 3
		}
	}
	return 0
}
