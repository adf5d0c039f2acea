package client

import (
	"bytes"
	"context"
	"encoding/json"
)

// unwrapInto decodes a result that the server may send either bare or
// wrapped in an object under key ({"order":{...}} or {...}); openapi.yaml
// and the prose documentation disagree on several operations, so both are
// accepted. An empty key means the result is decoded as it is.
func unwrapInto(raw json.RawMessage, key string, out any) error {
	return unwrap(raw, key, out, false)
}

// unwrap is unwrapInto; valid says raw is known to be one well-formed JSON
// value (the envelope decoder produced it), which lets a type with its own
// decoder be handed the bytes without validating them again.
func unwrap(raw json.RawMessage, key string, out any, valid bool) error {
	raw = bytes.TrimSpace(emptyArraysToNull(raw))
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if key != "" && raw[0] == '{' {
		inner, found, simple := []byte(nil), false, false
		if valid {
			// Known-valid bytes: find the key in place rather than build a
			// map of every member (a third pass over the result).
			inner, found, simple = lookupMember(raw, key)
		}
		if !simple {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(raw, &m); err != nil {
				return err
			}
			inner, found = m[key]
		}
		if found {
			inner = bytes.TrimSpace(inner)
			if len(inner) > 0 && inner[0] == '{' {
				if u, ok := out.(json.Unmarshaler); ok && valid {
					return u.UnmarshalJSON(inner)
				}
				return json.Unmarshal(inner, out)
			}
		}
	}
	// A type with its own decoder (OrderStatus, for one) is handed valid
	// bytes directly: json.Unmarshal would only validate them again before
	// calling it with the same bytes, and at the top level it returns the
	// decoder's error as is. (Rewriting empty arrays keeps JSON valid.)
	if u, ok := out.(json.Unmarshaler); ok && valid {
		return u.UnmarshalJSON(raw)
	}
	return json.Unmarshal(raw, out)
}

// resultInto is the envelope's result field for callInto: the envelope
// decoder hands it the result's bytes, and it unwraps them into out in the
// same pass, instead of copying them into a json.RawMessage to parse them a
// second time after the envelope. A result that does not decode does not
// stop the envelope's decoding (so meta, state and an error envelope are
// read as before): its error is kept in err for callInto to report.
type resultInto[T any] struct {
	key string
	out *T
	err error
}

// UnmarshalJSON decodes one "result" value; a repeated key starts afresh,
// so the last one wins, as it does for a json.RawMessage.
func (r *resultInto[T]) UnmarshalJSON(b []byte) error {
	var zero T
	*r.out = zero
	r.err = unwrap(b, r.key, r.out, true)
	return nil
}

// resultErr reports why the result did not decode.
func (r *resultInto[T]) resultErr() error { return r.err }

// discardsResponse marks resultInto as a responseDiscarder: callInto, its
// only maker, returns the result alone and drops do's Response (see
// leanSuccess).
func (r *resultInto[T]) discardsResponse() {}

// callInto runs cl and decodes its result, bare or wrapped under key, into
// a new T. A result that is absent or null leaves T zero.
func callInto[T any](ctx context.Context, c *Client, cl *call, key string, opts []CallOption) (*T, error) {
	res := &resultInto[T]{key: key, out: new(T)}
	if _, err := c.do(ctx, cl, res, opts); err != nil {
		return nil, err
	}
	return res.out, nil
}

// emptyArraysToNull rewrites every empty JSON array ("[]", blanks allowed
// inside) that is not inside a string as null. The server is a PHP
// application, and PHP encodes an empty object as []: a typed struct or map
// field would fail to decode it, while null decodes as "nothing" into every
// Go type, and an empty list loses nothing by becoming a nil slice. b is
// returned unchanged (not copied) when it holds no empty array.
func emptyArraysToNull(b []byte) []byte {
	var out []byte // allocated on the first rewrite
	last := 0      // b[last:] is not copied to out yet
	inString := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			switch c {
			case '\\':
				i++ // skip the escaped byte
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[':
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\n' || b[j] == '\r') {
				j++
			}
			if j < len(b) && b[j] == ']' {
				out = append(out, b[last:i]...)
				out = append(out, "null"...)
				last = j + 1
				i = j
			}
		}
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// lookupMember returns the value of the top-level member key of the JSON
// object b, which must be known valid, and whether it is there; the last
// one wins, as in a map. It reports simple false, and the caller decodes a
// map instead, when a member name holds an escape or a non-ASCII byte
// (matching it would need unescaping or UTF-8 repair).
func lookupMember(b []byte, key string) (val []byte, found, simple bool) {
	i := skipJSONSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, false, false
	}
	i = skipJSONSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return nil, false, true
	}
	for i < len(b) && b[i] == '"' {
		j := i + 1
		for j < len(b) && b[j] != '"' {
			if b[j] == '\\' || b[j] >= 0x80 {
				return nil, false, false
			}
			j++
		}
		name := b[i+1 : j]
		i = skipJSONSpace(b, j+1) // at ':'
		i = skipJSONSpace(b, i+1)
		start := i
		i, _ = skipValue(b, i)
		if string(name) == key {
			val, found = b[start:i], true
		}
		i = skipJSONSpace(b, i)
		if i >= len(b) || b[i] != ',' {
			return val, found, true
		}
		i = skipJSONSpace(b, i+1)
	}
	return nil, false, false
}

func isJSONDelimiter(c byte) bool {
	return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r'
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// decodeWith is an out value for do that hands the result's bytes to fn
// while the envelope is decoded; fn's error makes do return a
// *ResponseError, like any unusable answer. fn is not called when the
// result is absent.
func decodeWith(fn func(raw json.RawMessage) error) *resultFunc {
	return &resultFunc{fn: fn}
}

type resultFunc struct {
	fn  func(raw json.RawMessage) error
	err error
}

// UnmarshalJSON runs fn on one "result" value.
func (r *resultFunc) UnmarshalJSON(b []byte) error {
	r.err = r.fn(b)
	return nil
}

// resultErr reports fn's error.
func (r *resultFunc) resultErr() error { return r.err }

// callList runs cl and decodes its list result (see decodeList).
func callList[T any](ctx context.Context, c *Client, cl *call, key string, opts []CallOption) ([]T, error) {
	list := &listInto[T]{key: key}
	if _, err := c.do(ctx, cl, list, opts); err != nil {
		return nil, err
	}
	return list.items, nil
}
