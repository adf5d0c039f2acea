package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
)

// unwrapInto decodes a result that the server may send either bare or
// wrapped in an object under key ({"order":{...}} or {...}); openapi.yaml
// and the prose documentation disagree on several operations, so both are
// accepted. An empty key means the result is decoded as it is.
func unwrapInto(raw json.RawMessage, key string, out any) error {
	raw = bytes.TrimSpace(emptyArraysToNull(raw))
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if key != "" && raw[0] == '{' {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return err
		}
		if inner, ok := m[key]; ok {
			inner = bytes.TrimSpace(inner)
			if len(inner) > 0 && inner[0] == '{' {
				return json.Unmarshal(inner, out)
			}
		}
	}
	return json.Unmarshal(raw, out)
}

// callInto runs cl and decodes its result, bare or wrapped under key, into
// a new T.
func callInto[T any](ctx context.Context, c *Client, cl *call, key string, opts []CallOption) (*T, error) {
	var raw json.RawMessage
	if _, err := c.do(ctx, cl, &raw, opts); err != nil {
		return nil, err
	}
	out := new(T)
	if err := unwrapInto(raw, key, out); err != nil {
		return nil, fmt.Errorf("client: decode result of %s %s: %w", cl.method, cl.path, err)
	}
	return out, nil
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
