package client

import (
	"reflect"
	"strings"
	"sync"
)

// The envelope of a success is decoded in one json.Unmarshal when the
// shape of its result can be told from the bytes beforehand. The general
// path (resultInto.UnmarshalJSON) hands the result's bytes to a decoder of
// its own, and encoding/json checks and scans bytes that reach a custom
// decoder once more each time: the result, nearly all of an answer, was
// read five times for one decoding. Here the result is decoded in place,
// straight into the caller's value, wrapped ({"order":{...}}) or bare.
//
// The shape is read from bytes that are not known to be valid JSON yet;
// that is safe because the decoding that follows checks the whole answer
// first: when it fails, or the answer is not a success, decodeFinal starts
// again on the general path, which gives the errors it always gave. Only
// answers whose shape the scan reads without doubt take this path; the
// rest (escaped or non-ASCII member names, a name repeated or written
// with other capitals, PHP's empty arrays) take the general one.

// onePassTarget is an out value of do that can name, for a given answer,
// the value the envelope's "result" decodes into in the same pass.
type onePassTarget interface {
	// onePass returns the target, or false when the answer's result must
	// take the general path.
	onePass(data []byte) (target any, ok bool)
	// resetOnePass undoes a one-pass decoding that did not succeed.
	resetOnePass()
}

// onePass implements onePassTarget: the result decodes into r.out when it
// is bare, or through a wrapper struct whose one field, tagged with the
// key, points at r.out when it is wrapped.
func (r *resultInto[T]) onePass(data []byte) (any, bool) {
	res, n, empty, ok := topMember(data, "result")
	if !ok || n != 1 || empty {
		return nil, false
	}
	if r.key == "" {
		return r.out, true
	}
	i := skipJSONSpace(res, 0)
	if i >= len(res) || res[i] != '{' {
		return nil, false // null, or not an object: the general path decides
	}
	inner, n, _, ok := topMember(res, r.key)
	switch {
	case !ok || n > 1:
		return nil, false
	case n == 0:
		return r.out, true // bare
	}
	if j := skipJSONSpace(inner, 0); j >= len(inner) || inner[j] != '{' {
		return nil, false // the key's value is not an object: unwrap decodes the whole result
	}
	w := reflect.New(wrapperType(reflect.TypeFor[T](), r.key))
	w.Elem().Field(0).Set(reflect.ValueOf(r.out))
	return w.Interface(), true
}

// resetOnePass zeroes the result, so the general path starts afresh.
func (r *resultInto[T]) resetOnePass() {
	var zero T
	*r.out = zero
}

// wrapperKey identifies a wrapper type: the result type and its key.
type wrapperKey struct {
	t   reflect.Type
	key string
}

// wrappers caches the wrapper types (one per result type and key: a few
// dozen for the whole API).
var wrappers sync.Map // wrapperKey -> reflect.Type

// wrapperType is struct{ V *t `json:"key"` }: the shape of a wrapped
// result, decoding into the caller's value.
func wrapperType(t reflect.Type, key string) reflect.Type {
	k := wrapperKey{t, key}
	if wt, ok := wrappers.Load(k); ok {
		return wt.(reflect.Type)
	}
	wt := reflect.StructOf([]reflect.StructField{{
		Name: "V",
		Type: reflect.PointerTo(t),
		Tag:  reflect.StructTag(`json:"` + key + `"`),
	}})
	wrappers.Store(k, wt)
	return wt
}

// topMember finds the member name of the JSON object b: the value of its
// last occurrence, how many times it occurs, and whether an occurrence
// holds an empty array (outside strings: emptyArraysToNull would rewrite
// it, which only the general path does). ok is false when b is not
// an object whose member names the scan can compare as they are: a name
// with an escape or a non-ASCII byte, or one that equals name in other
// capitals (encoding/json would match it too). b need not be valid JSON;
// the scan only has to be right when it is, and to end on any bytes.
func topMember(b []byte, name string) (val []byte, n int, empty, ok bool) {
	i := skipJSONSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, 0, false, false
	}
	i = skipJSONSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return nil, 0, false, true
	}
	for i < len(b) && b[i] == '"' {
		j := i + 1
		for j < len(b) && b[j] != '"' {
			if b[j] == '\\' || b[j] >= 0x80 {
				return nil, 0, false, false
			}
			j++
		}
		if j >= len(b) {
			return nil, 0, false, false
		}
		got := b[i+1 : j]
		i = skipJSONSpace(b, j+1)
		if i >= len(b) || b[i] != ':' {
			return nil, 0, false, false
		}
		i = skipJSONSpace(b, i+1)
		start := i
		var arr bool
		i, arr = skipValue(b, i)
		switch {
		case string(got) == name:
			val, n, empty = b[start:i], n+1, empty || arr
		case len(got) == len(name) && strings.EqualFold(string(got), name):
			return nil, 0, false, false
		}
		i = skipJSONSpace(b, i)
		if i < len(b) && b[i] == '}' {
			return val, n, empty, true
		}
		if i >= len(b) || b[i] != ',' {
			return nil, 0, false, false
		}
		i = skipJSONSpace(b, i+1)
	}
	return nil, 0, false, false
}

// skipValue returns the index just past the JSON value starting at b[i],
// and whether the value holds an empty array outside strings, in the same
// pass. On bytes that are not valid JSON it still ends, within b.
func skipValue(b []byte, i int) (end int, emptyArray bool) {
	end, emptyArray = skipValueAt(b, i)
	return min(end, len(b)), emptyArray
}

func skipValueAt(b []byte, i int) (end int, emptyArray bool) {
	depth := 0
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
			i++
		case '[':
			if j := skipJSONSpace(b, i+1); j < len(b) && b[j] == ']' {
				emptyArray = true
			}
			depth++
			i++
		case '{':
			depth++
			i++
		case '}', ']':
			depth--
			i++
		default:
			if depth == 0 { // a number or literal at the top ends at a delimiter
				for i < len(b) && !isJSONDelimiter(b[i]) {
					i++
				}
				return i, emptyArray
			}
			i++
		}
		if depth == 0 {
			return i, emptyArray
		}
	}
	return i, emptyArray
}
