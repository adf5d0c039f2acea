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
// accepted.
func unwrapInto(raw json.RawMessage, key string, out any) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" || string(raw) == "[]" {
		return nil // PHP encodes an empty result object as []
	}
	if raw[0] == '{' {
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
