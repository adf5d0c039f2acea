package signer

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"strings"
)

// The fast path handles the queries an SDK sends, such as
// "filter[from_currency_id]=1&filter[status][]=created&filter[status][]=paid&page=2"
// (brackets literal or as url.Values encodes them, %5B and %5D), without
// building PHP arrays: one pass encodes the pairs into the output buffer,
// a second orders them, with no allocation up to stackPairs pairs. It
// applies when PHP's array, once flattened, holds the pairs as sent, with
// appends numbered in arrival order:
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
// Values may hold anything but a raw NUL byte: decoding and re-encoding a
// value is a byte-wise transformation (see encodePiece). Any number of
// pairs takes this path, up to PHP's max_input_vars, after which PHP (and
// so this) ignores the rest.

// stackPairs is how many pairs the fast path tracks without allocating.
const stackPairs = 32

// smallPairs is the size of the smaller stack array, for short queries:
// zeroing room for 32 pairs would cost them more than their encoding.
const smallPairs = 8

// span is one pair in the output buffer while it is worked on. The sorts
// order spans by dst[start:end]: on the fast path "name=" or an append's
// "name%5B".
type span struct {
	start, end int32
	eq, valEnd int32 // on the fast path, "=value" (appends: after the number)
	num        int32 // -1 for a plain name, else the append's number
	// On the fast path: how many "%5B" dst[start:end] holds (an append's
	// included), and where the first and the last are.
	groups, first, last int32
}

// appendCanonicalQueryFast appends the canonical form of rawQuery to dst and
// reports true, or returns dst unchanged and false when rawQuery needs the
// general path.
func appendCanonicalQueryFast(dst []byte, rawQuery string) ([]byte, bool) {
	// Offsets are 32-bit; a pair's encoding is at most three bytes per
	// byte of its piece plus an append's number, and pass 4 writes it again.
	if len(dst)+24*len(rawQuery)+64 > math.MaxInt32 {
		return dst, false
	}
	if amps := strings.Count(rawQuery, "&"); amps < smallPairs {
		var stack [smallPairs]span
		var order [smallPairs]uint64
		return appendCanonicalQueryFastWith(dst, rawQuery, stack[:0], order[:0])
	} else if amps < stackPairs {
		var stack [stackPairs]span
		var order [stackPairs]uint64
		return appendCanonicalQueryFastWith(dst, rawQuery, stack[:0], order[:0])
	} else {
		n := min(amps+1, phpMaxInputVars)
		return appendCanonicalQueryFastWith(dst, rawQuery, make([]span, 0, n), make([]uint64, 0, n))
	}
}

// appendCanonicalQueryFastWith is appendCanonicalQueryFast with spans and
// order, empty slices with room for the pairs (they grow if there are
// more).
func appendCanonicalQueryFastWith(dst []byte, rawQuery string, spans []span, order []uint64) ([]byte, bool) {
	mark := len(dst)

	// Pass 1: encode every pair after dst's current end, in arrival order,
	// joined by '&' as if already in order, each append numbered as if its
	// array's appends came in a row (pass 3 corrects that).
	buf := dst[:cap(dst)]
	n := mark
	pieces := 0
	var bracketed int32 // not 0 if some name has a group or appends
	for rest := rawQuery; rest != ""; {
		if rest[0] == '&' {
			rest = rest[1:]
			continue // rule 1: an empty piece, not counted
		}
		if pieces++; pieces > phpMaxInputVars {
			break // PHP ignores the rest of the query
		}
		// Room for the worst case, every byte a literal bracket or
		// escaped, plus '&', '=' and an append's number: the loops write
		// by index. (The pieces are found as they are encoded.)
		if need := n + 3*len(rest) + 16; need > len(buf) {
			buf = slices.Grow(buf[:n], need-n)
			buf = buf[:cap(buf)]
		}
		if len(spans) > 0 {
			buf[n] = '&'
			n++
		}
		spans = append(spans, span{})
		s := &spans[len(spans)-1]
		var prev *span
		if len(spans) > 1 {
			prev = &spans[len(spans)-2]
		}
		var used int
		var ok bool
		if n, used, ok = encodePiece(buf, n, rest, s, prev); !ok {
			return dst[:mark], false
		}
		rest = rest[used:]
		bracketed |= s.groups
		order = append(order, firstSortKey(buf, s.start, s.end, len(spans)-1))
	}
	dst = buf[:n]
	if len(spans) == 0 {
		return dst, true
	}

	// Pass 2: order the pairs by what the canonical order compares first,
	// "name=" or, for an append, "name%5B" (the number follows). Distinct
	// pairs then come in the server's order, and equal ones are appends to
	// one array, in arrival order.
	if !inArrivalOrder(dst, spans, order) {
		sortSpans(dst, spans, order, 0)
	}

	// Pass 3: check that no name overwrites another and number the appends,
	// in one walk of that order. Without brackets, only a name sent twice
	// overwrites, and there are no appends.
	inOrder, renumbered, reorder, ok := checkOrdered(dst, spans, order, bracketed != 0)
	if !ok {
		return dst[:mark], false
	}
	if inOrder && !reorder {
		return dst, true // pass 1's copy is the answer
	}

	// Pass 4: write the pairs out in that order, appends numbered.
	region := len(dst) - mark
	dst = slices.Grow(dst, region+len(spans)*len("9999%5D"))
	out := len(dst)
	buf = dst[:cap(dst)]
	n = out
	if !renumbered && !reorder {
		// Pass 1's bytes are right, only in another order: pairs that
		// follow one another in both orders are copied together.
		for k := 0; k < len(order); {
			s := &spans[order[k]&indexMask]
			from, to := s.start, s.valEnd
			for k++; k < len(order); k++ {
				next := &spans[order[k]&indexMask]
				if next.start != to+1 {
					break
				}
				to = next.valEnd
			}
			if n > out {
				buf[n] = '&'
				n++
			}
			n += copy(buf[n:], buf[from:to])
		}
		size := copy(buf[mark:], buf[out:n])
		return buf[:mark+size], true
	}
	for k, o := range order {
		s := &spans[o&indexMask]
		if k > 0 {
			buf[n] = '&'
			n++
		}
		start := n
		if !renumbered {
			n += copy(buf[n:], buf[s.start:s.valEnd])
		} else {
			n += copy(buf[n:], buf[s.start:s.end])
			if s.num >= 0 {
				n = appendIndexDigits(buf, n, s.num)
				buf[n], buf[n+1], buf[n+2] = '%', '5', 'D'
				n += 3
			}
			n += copy(buf[n:], buf[s.eq:s.valEnd])
		}
		s.start, s.end = int32(start), int32(n)
	}
	dst = buf[:n]
	if reorder {
		// Appends past ten to one array: "[10]" sorts before "[2]".
		for k := range order {
			i := int(order[k] & indexMask)
			order[k] = sortKey(dst[spans[i].start:spans[i].end], 0, i)
		}
		sortSpans(dst, spans, order, 0)
		out = len(dst)
		for k, o := range order {
			if k > 0 {
				dst = append(dst, '&')
			}
			dst = append(dst, dst[spans[o&indexMask].start:spans[o&indexMask].end]...)
		}
	}
	size := copy(dst[mark:], dst[out:])
	return dst[:mark+size], true
}

// pendingName is a name that must not turn up later in checkOrdered's
// walk: dst[start:start+size].
type pendingName struct{ start, size int32 }

// checkOrdered walks spans in order, sorted by sortSpans, and reports
// whether they arrived in that order, whether it gave an append another
// number than pass 1 wrote, whether their finished pairs need sorting again
// (appends past ten to one array), and whether no name overwrites another:
//
//   - equal sort bytes are appends to one array (numbered here, in order)
//     or the same plain name twice (an overwrite);
//   - an append's array extended by a later name ("a%5B" then
//     "a%5Bx%5D=") follows that array's appends at once;
//   - a name X that some other name extends with groups ("X%5Bk%5D...")
//     or appends to comes after them, past only names that start with X
//     ("X-y=", "X1="): each name's bracket prefixes, and an append's
//     array, stay pending until the walk leaves the names that start
//     with them, and a plain name equal to one of them overwrites it.
//
// When no name has brackets (bracketed is false), checkPlainOrdered does
// the walk.
func checkOrdered(dst []byte, spans []span, order []uint64, bracketed bool) (inOrder, renumbered, reorder, ok bool) {
	if !bracketed {
		inOrder, ok = checkPlainOrdered(dst, spans, order)
		return inOrder, false, false, ok
	}
	var stack [8]pendingName
	pending := stack[:0]
	inOrder = true
	for k, o := range order {
		s := &spans[o&indexMask]
		str := dst[s.start:s.end]
		isAppend := s.num >= 0
		if k > 0 {
			prev := &spans[order[k-1]&indexMask]
			inOrder = inOrder && prev.start < s.start
			prevStr := dst[prev.start:prev.end]
			if string(str) == string(prevStr) {
				if !isAppend {
					return false, false, false, false
				}
				// Pass 1's guess is wrong only where other pieces came
				// between the appends, and then they did not arrive in
				// this order: pass 4 writes the number.
				if s.num != prev.num+1 {
					renumbered, s.num = true, prev.num+1
				}
				// Decimal text: "[9]" sorts after "[10]".
				reorder = reorder || s.num == 10 || s.num == 100 || s.num == 1000
				continue
			}
			if prev.num >= 0 && len(str) > len(prevStr) && string(str[:len(prevStr)]) == string(prevStr) {
				return false, false, false, false
			}
		}
		name := str[:len(str)-1] // without '='
		if isAppend {
			// The first append to its array: pass 1 numbered it 0, as
			// the piece before it cannot have appended to the same array.
			name = str[:len(str)-3] // without "%5B"
		}
		for len(pending) > 0 {
			p := pending[len(pending)-1]
			if int(p.size) <= len(name) && string(name[:p.size]) == string(dst[p.start:p.start+p.size]) {
				break
			}
			pending = pending[:len(pending)-1]
		}
		from := 0
		if len(pending) > 0 {
			from = int(pending[len(pending)-1].size)
			if from == len(name) && !isAppend {
				return false, false, false, false
			}
		}
		// Every "%5B" after the deepest pending name opens a group: the
		// name before it is pending. An append's last one opens its "[]".
		if s.groups == 0 {
			continue
		}
		if first := s.first - s.start; int(first) > from {
			pending = append(pending, pendingName{start: s.start, size: first})
		}
		if s.groups > 2 {
			for i := max(from, int(s.first-s.start)) + 3; i < int(s.last-s.start); i++ {
				if str[i] == '%' && str[i+2] == 'B' {
					pending = append(pending, pendingName{start: s.start, size: int32(i)})
				}
			}
		}
		if last := s.last - s.start; s.groups > 1 && int(last) > from {
			pending = append(pending, pendingName{start: s.start, size: last})
		}
	}
	return inOrder, renumbered, reorder, true
}

// checkPlainOrdered is checkOrdered for names without brackets, where the
// only overwrite is a name sent twice: such names end up side by side. It
// compares two names' bytes only when their order entries hold the same
// bytes: entries of one run of ties hold bytes from one depth, so that
// different bytes there are different names, and entries of different
// runs are different names anyway.
func checkPlainOrdered(dst []byte, spans []span, order []uint64) (inOrder, ok bool) {
	inOrder = true
	for k := 1; k < len(order); k++ {
		a, b := order[k-1], order[k]
		x, y := &spans[a&indexMask], &spans[b&indexMask]
		inOrder = inOrder && x.start < y.start
		if a>>16 == b>>16 && string(dst[x.start:x.end]) == string(dst[y.start:y.end]) {
			return false, false
		}
	}
	return inOrder, true
}

// appendIndexDigits writes the decimal digits of x (0 <= x < 10000: there
// are at most phpMaxInputVars appends) at buf[n:] and returns the end.
func appendIndexDigits(buf []byte, n int, x int32) int {
	switch {
	case x >= 1000:
		buf[n] = byte('0' + x/1000)
		n++
		fallthrough
	case x >= 100:
		buf[n] = byte('0' + x/100%10)
		n++
		fallthrough
	case x >= 10:
		buf[n] = byte('0' + x/10%10)
		n++
	}
	buf[n] = byte('0' + x%10)
	return n + 1
}

// encodePiece writes the encoding of the piece of the query at the start
// of piece (which runs to the query's end) at buf[n:], fills s for it and
// returns the end and how many bytes of piece it used, up to the '&' that
// ends it; false if the fast path may not take the piece. prev is the
// piece before, nil for the first. buf has room for three bytes per byte
// of piece, plus sixteen.
func encodePiece(buf []byte, n int, piece string, s, prev *span) (end, used int, ok bool) {
	s.start, s.num = int32(n), -1

	// The name: a base, then groups of one key in brackets, literal or
	// encoded; "[]" only as the last group. It ends at '=', '&' or the
	// query's end.
	i := 0
	for i < len(piece) && baseTable[piece[i]] == '1' {
		buf[n] = piece[i]
		n++
		i++
	}
	if i == 0 {
		return n, 0, false
	}
	if i < len(piece) {
		if c := piece[i]; c != '[' && c != '%' && c != '=' && c != '&' {
			return n, 0, false // '.', a space or another byte PHP mangles or decodes
		}
	}
	for groups := 0; i < len(piece) && piece[i] != '=' && piece[i] != '&'; groups++ {
		b := bracketAt(piece, i, '[')
		if groups == phpMaxNestingLevels || b == 0 {
			return n, 0, false
		}
		i += b
		// The key is copied as it is checked, after its "%5B"; an
		// append's "[]" writes nothing (the "%5B" is written over below).
		buf[n], buf[n+1], buf[n+2] = '%', '5', 'B'
		k := n + 3
		start := i
		for i < len(piece) && isUnreserved(piece[i]) {
			buf[k] = piece[i]
			k++
			i++
		}
		b = bracketAt(piece, i, ']')
		if b == 0 {
			return n, 0, false
		}
		if i == start {
			// "[]" appends; only as the last group (in the middle PHP
			// would build a new array at each one).
			if i += b; i < len(piece) && piece[i] != '=' && piece[i] != '&' {
				return n, 0, false
			}
			s.num = 0
			break
		}
		i += b
		s.groups++
		if s.groups == 1 {
			s.first = int32(n)
		}
		s.last = int32(n)
		n = k
		buf[n], buf[n+1], buf[n+2] = '%', '5', 'D'
		n += 3
	}
	// What the sort compares: "name=", or an append's "name%5B". An
	// append is numbered as if the appends to its array came in a row (as
	// url.Values sends them): one more than the piece before if that
	// appended to the same array, else 0. checkOrdered corrects that.
	if s.num >= 0 {
		s.groups++
		if s.groups == 1 {
			s.first = int32(n)
		}
		s.last = int32(n)
		buf[n], buf[n+1], buf[n+2] = '%', '5', 'B'
		n += 3
		s.end = int32(n)
		if prev != nil && prev.num >= 0 && string(buf[prev.start:prev.end]) == string(buf[s.start:s.end]) {
			s.num = prev.num + 1
		}
		n = appendIndexDigits(buf, n, s.num)
		buf[n], buf[n+1], buf[n+2] = '%', '5', 'D'
		n += 3
		s.eq = int32(n)
		buf[n] = '='
		n++
	} else {
		buf[n] = '='
		n++
		s.end, s.eq = int32(n), int32(n)
	}

	// The value: decoding and re-encoding it is byte-wise, "+" and "%XX"
	// decode to one byte each, and unreserved bytes stay as they are.
	// It ends at '&' or the query's end.
	j := i
	if j < len(piece) && piece[j] == '=' {
		j++
	}
	for j < len(piece) {
		c := piece[j]
		if isUnreserved(c) {
			buf[n] = c
			n++
			j++
			continue
		}
		if c == '&' {
			break
		}
		if c == 0 {
			return n, 0, false // a NUL ends the query (see appendCanonicalQuery)
		}
		// A '&' is never part of an escape, so decoding cannot run past it.
		c, used := decodedByte(piece, j)
		j += used
		if isUnreserved(c) {
			buf[n] = c
			n++
			continue
		}
		buf[n], buf[n+1], buf[n+2] = '%', upperHex[c>>4], upperHex[c&15]
		n += 3
	}
	s.valEnd = int32(n)
	return n, j, true
}

// indexMask takes a span's index out of an order entry; the other 48 bits
// are six bytes of its sort bytes, from some depth.
const indexMask = 1<<16 - 1

// sortKey returns the order entry of span i, whose sort bytes are b: six
// of them from depth, big-endian and zero padded, above the index. Entries
// compare as those bytes do, as far as they go (canonical bytes are never
// zero), then by index: equal bytes stay in arrival order.
func sortKey(b []byte, depth, i int) uint64 {
	var x uint64
	if len(b) >= depth+8 {
		x = binary.BigEndian.Uint64(b[depth:]) >> 16
	} else {
		for k := depth; k < depth+6; k++ {
			x <<= 8
			if k < len(b) {
				x |= uint64(b[k])
			}
		}
	}
	return x<<16 | uint64(i)
}

// inArrivalOrder reports whether order, in arrival order, is already
// sorted: each span's sort bytes at least its predecessor's. Queries
// built from url.Values often are.
func inArrivalOrder(dst []byte, spans []span, order []uint64) bool {
	for k := 1; k < len(order); k++ {
		a, b := order[k-1]>>16, order[k]>>16
		if a > b {
			return false
		}
		if a == b && a&0xff != 0 { // equal so far, and neither ended
			x, y := &spans[k-1], &spans[k]
			if bytes.Compare(dst[x.start+6:x.end], dst[y.start+6:y.end]) > 0 {
				return false
			}
		}
	}
	return true
}

// firstSortKey is sortKey(buf[start:end], 0, i) for pass 1, where buf has
// room past end: it loads eight bytes at once and clears those past end,
// as names such as "page=" are shorter than that.
func firstSortKey(buf []byte, start, end int32, i int) uint64 {
	if int(start)+8 > len(buf) {
		return sortKey(buf[start:end], 0, i)
	}
	x := binary.BigEndian.Uint64(buf[start:])
	if size := end - start; size < 8 {
		x &^= 1<<(8*(8-size)) - 1
	}
	return x>>16<<16 | uint64(i)
}

// sortSpans sorts order, entries for spans, by the spans' bytes in dst,
// all of which agree on their first depth bytes: by the six bytes from
// depth the entries hold, then each run of equal bytes by the next six.
// The entries are plain numbers, so a pass is a sort of integers; names
// share long prefixes ("filter%5Bcreated%5D%5B"), which cost a run one
// pass more each, not a byte comparison per call. Spans whose bytes are
// equal (appends to one array) keep their arrival order.
func sortSpans(dst []byte, spans []span, order []uint64, depth int) {
	if depth > 0 {
		for k, o := range order {
			s := &spans[o&indexMask]
			order[k] = sortKey(dst[s.start:s.end], depth, int(o&indexMask))
		}
	}
	if len(order) <= 16 {
		for i := 1; i < len(order); i++ {
			for j := i; j > 0 && order[j-1] > order[j]; j-- {
				order[j], order[j-1] = order[j-1], order[j]
			}
		}
	} else {
		slices.Sort(order)
	}
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && order[j]>>16 == order[i]>>16 {
			j++
		}
		run := order[i:j]
		switch {
		case len(run) == 1, run[0]>>16&0xff == 0:
			// Alone, or ended within these bytes: equal bytes, already in
			// arrival order.
		case len(run) == 2:
			// Two (such as a short list's appends): compare the rest.
			x, y := &spans[run[0]&indexMask], &spans[run[1]&indexMask]
			if bytes.Compare(dst[int(x.start)+depth+6:x.end], dst[int(y.start)+depth+6:y.end]) > 0 {
				run[0], run[1] = run[1], run[0]
			}
		case depth >= 60:
			// A deep tie (long values appended to one array): compare the
			// rest of the bytes rather than six at a time.
			from := depth + 6
			slices.SortFunc(run, func(a, b uint64) int {
				x, y := &spans[a&indexMask], &spans[b&indexMask]
				if c := bytes.Compare(dst[int(x.start)+from:x.end], dst[int(y.start)+from:y.end]); c != 0 {
					return c
				}
				return int(a&indexMask) - int(b&indexMask)
			})
		default:
			// Names share long prefixes ("filter%5Bstatus%5D%5B"): skip
			// the run's common prefix at once rather than six bytes per
			// level of recursion.
			sortSpans(dst, spans, run, commonPrefixEnd(dst, spans, run, depth+6))
		}
		i = j
	}
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

// commonPrefixEnd returns how far the sort bytes of the spans in run, which
// agree on their first from bytes, all agree: the depth from which their
// order is decided. A span that ends there counts as agreeing (sortKey pads
// it with zeros, which sort first).
func commonPrefixEnd(dst []byte, spans []span, run []uint64, from int) int {
	first := &spans[run[0]&indexMask]
	lcp := int(first.end-first.start) - from
	if lcp <= 0 {
		return from
	}
	a := dst[int(first.start)+from : first.end]
	for _, o := range run[1:] {
		s := &spans[o&indexMask]
		b := dst[min(int(s.start)+from, int(s.end)):s.end]
		n := min(lcp, len(b))
		i := 0
		for i+8 <= n && binary.LittleEndian.Uint64(a[i:]) == binary.LittleEndian.Uint64(b[i:]) {
			i += 8
		}
		for i < n && a[i] == b[i] {
			i++
		}
		if lcp = i; lcp == 0 {
			return from
		}
	}
	return from + lcp
}
