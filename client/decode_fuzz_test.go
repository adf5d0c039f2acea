package client

import (
	"encoding/json"
	"testing"
)

// FuzzOrderStatus: any input decodes or fails cleanly, and a decoded status
// survives a round trip through its own JSON encoding.
func FuzzOrderStatus(f *testing.F) {
	for _, s := range []string{`"created"`, `{"id":1,"key":"paid","is_final":true}`,
		`{"order":{"tracking_id":"T","status":"done","status_label":"Done","is_final":true}}`,
		`{"order":{"status":{"order":{"status":"x"}}}}`, `{"id":"12"}`, `null`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var s OrderStatus
		if err := json.Unmarshal(b, &s); err != nil {
			return
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var again OrderStatus
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("re-decode %s: %v", out, err)
		}
		if again != s {
			t.Fatalf("round trip: %+v -> %s -> %+v", s, out, again)
		}
	})
}

// FuzzDecimal: a JSON number decodes to exactly its own text, and a
// decoded Decimal re-encodes to a string holding the same digits.
func FuzzDecimal(f *testing.F) {
	for _, s := range []string{`1`, `-0.5`, `"12.30"`, `1e400`, `123456789012345678901234567890.000000001`, `"x"`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d Decimal
		if err := json.Unmarshal(b, &d); err != nil {
			return
		}
		var n json.Number
		if json.Unmarshal(b, &n) == nil && len(b) > 0 && b[0] != '"' && string(d) != n.String() {
			t.Fatalf("number %s decoded as %q", b, d)
		}
		out, _ := json.Marshal(d)
		var back Decimal
		if err := json.Unmarshal(out, &back); err != nil || back != d {
			t.Fatalf("round trip %q -> %s -> %q (%v)", d, out, back, err)
		}
	})
}

// FuzzDecodeList: list results of any shape never panic, and rewriting
// PHP's empty objects keeps valid JSON valid.
func FuzzDecodeList(f *testing.F) {
	for _, s := range []string{`[{"id":1}]`, `{"orders":[{"id":2}]}`, `{"data":[]}`, `null`, `{"x":1}`, `[1,2]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if json.Valid(b) && !json.Valid(emptyArraysToNull(b)) {
			t.Fatalf("rewriting empty arrays broke %q: %q", b, emptyArraysToNull(b))
		}
		_, _ = decodeList[Order](b, "orders")
		_, _ = decodeStatusList(b)
		var o Order
		_ = unwrapInto(b, "order", &o)
	})
}
