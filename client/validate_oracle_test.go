package client

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
	"unicode/utf8"
)

// oracle is the straightforward reading of the rules: decode the body with
// encoding/json into maps, then walk them. The walker must agree with it on
// every body json.Marshal can produce; FuzzWalkerMatchesOracle checks that.
type oracle struct{ v validator }

type mapPresence map[string]any

func (o mapPresence) present(name string) bool {
	switch x := o[name].(type) {
	case nil:
		return false
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	}
	return true
}

func (or *oracle) body(b []byte, r *rule) []Problem {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var val any
	if err := dec.Decode(&val); err != nil {
		or.v.add("", "type", "the body is not JSON")
		return or.v.problems
	}
	or.value("", val, r)
	return or.v.problems
}

func (or *oracle) value(field string, val any, r *rule) {
	v := &or.v
	if val == nil {
		if !r.nullable && len(r.types) > 0 {
			v.add(field, "type", "must not be null")
		}
		return
	}
	t := oracleType(val)
	if len(r.types) > 0 && !contains(r.types, t) && !(t == "integer" && contains(r.types, "number")) {
		v.add(field, "type", "must be %s", article(typeName(r.types)))
		return
	}
	if len(r.enum) > 0 && !contains(r.enum, oracleLiteral(val)) {
		v.add(field, "enum", "must be one of %s", enumList(r.enum))
		return
	}
	switch x := val.(type) {
	case string:
		n := utf8.RuneCountInString(x)
		if r.minLen > 0 && n < r.minLen {
			v.add(field, "min_length", "must be at least %d characters", r.minLen)
		}
		if r.maxLen > 0 && n > r.maxLen {
			v.add(field, "max_length", "must be at most %d characters", r.maxLen)
		}
		if x != "" && r.format != "" && !validFormat(r.format, x) {
			v.add(field, "format", "must be %s", formatName(r.format))
		}
	case json.Number:
		f, _ := strconv.ParseFloat(string(x), 64)
		if r.min != nil && f < *r.min {
			v.add(field, "minimum", "must be at least %s", strconv.FormatFloat(*r.min, 'g', -1, 64))
		}
		if r.max != nil && f > *r.max {
			v.add(field, "maximum", "must be at most %s", strconv.FormatFloat(*r.max, 'g', -1, 64))
		}
	case []any:
		if len(x) < r.minItems {
			v.add(field, "min_items", "needs at least %d item(s)", r.minItems)
		}
		if r.maxItems > 0 && len(x) > r.maxItems {
			v.add(field, "max_items", "takes at most %d item(s)", r.maxItems)
		}
		if r.items != nil {
			for i, item := range x {
				or.value(join(field, strconv.Itoa(i)), item, r.items)
			}
		}
	case map[string]any:
		skip := 0
		if field != "" {
			skip = len(field) + 1
		}
		v.objectRules(field, mapPresence(x), r, skip)
		start := len(v.problems)
		for _, name := range sortedKeys(x) {
			pr := r.props[name]
			if pr == nil || contains(r.required, name) && !mapPresence(x).present(name) {
				continue
			}
			or.value(join(field, name), x[name], pr)
		}
		v.sortFrom(start, skip)
	}
}

func oracleType(val any) string {
	switch x := val.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number:
		if bytes.ContainsAny([]byte(x), ".eE") {
			return "number"
		}
		return "integer"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

func oracleLiteral(val any) string {
	if n, ok := val.(json.Number); ok {
		return string(n)
	}
	b, _ := json.Marshal(val)
	return string(b)
}

// FuzzWalkerMatchesOracle: for any body json.Marshal can produce, checked
// against any operation's body rule, the one-pass walker reports exactly
// the problems the decode-then-walk oracle does, in the same order.
func FuzzWalkerMatchesOracle(f *testing.F) {
	var bodies []string
	for _, op := range sortedKeys(operations) {
		if operations[op].body != nil {
			bodies = append(bodies, op)
		}
	}
	f.Add(uint8(0), []byte(`{"route_id":7,"direction_id":8,"type_rate":"best","email":"x","to_requisite":"a","outcome_account":"b"}`))
	f.Add(uint8(5), []byte(`{"card":{"file_intent":"nope","card_number":""},"identity":{"file_intents":["a",1,null,"b"]}}`))
	f.Add(uint8(9), []byte(`{"name":"","text":"t","rating":6,"order_id":"1","tracking_id":"T"}`))
	f.Add(uint8(2), []byte(`{"type":"","income_code":null}`))
	f.Add(uint8(7), []byte(`[1,{"a":"\u00e9\"x"},-1.5e3,true,false]`))
	f.Fuzz(func(t *testing.T, pick uint8, raw []byte) {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var val any
		if dec.Decode(&val) != nil {
			return
		}
		body, err := json.Marshal(val) // canonical: sorted keys, no duplicates
		if err != nil {
			return
		}
		r := operations[bodies[int(pick)%len(bodies)]].body
		var w validator
		w.walkBody(body, r)
		var or oracle
		want := or.body(body, r)
		if len(w.problems) != len(want) || len(want) > 0 && !reflect.DeepEqual(w.problems, want) {
			t.Fatalf("body %s\nwalker: %v\noracle: %v", body, w.problems, want)
		}
	})
}
