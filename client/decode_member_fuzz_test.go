package client

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzLookupMember checks lookupMember against decoding the object into a
// map, on any valid JSON object: same member found (the last of repeated
// names), same bytes, or an honest "not simple" that sends the caller to the
// map.
func FuzzLookupMember(f *testing.F) {
	for _, seed := range []string{
		`{"order":{"id":42}}`,
		` { "a" : [1, {"order": 2}], "order" : {"x":"}\"]"} , "z":null } `,
		`{"order":1,"order":{"b":true}}`,
		`{"ord\u0065r":{"id":1}}`,
		`{}`, `{"order":"str"}`, `{"n":-1.5e3,"order":[{}]}`,
	} {
		f.Add([]byte(seed), "order")
	}
	f.Fuzz(func(t *testing.T, b []byte, key string) {
		var m map[string]json.RawMessage
		if !json.Valid(b) || json.Unmarshal(b, &m) != nil {
			return
		}
		val, found, simple := lookupMember(b, key)
		if !simple {
			if !bytes.Contains(b, []byte(`\`)) && isASCII(b) {
				t.Fatalf("lookupMember gave up on %q without an escape or non-ASCII byte", b)
			}
			return
		}
		want, ok := m[key]
		if found != ok || found && !bytes.Equal(bytes.TrimSpace(val), bytes.TrimSpace(want)) {
			t.Fatalf("lookupMember(%q, %q) = %q, %v; map has %q, %v", b, key, val, found, want, ok)
		}
	})
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
