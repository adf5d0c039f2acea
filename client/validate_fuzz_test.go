package client

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
)

// FuzzValidate feeds arbitrary bodies, path segments and query values to
// the contract check of a few operations: it must never panic, must answer
// the same way twice, and refuses only with an *InvalidRequestError that
// quotes none of the input.
func FuzzValidate(f *testing.F) {
	ops := sortedKeys(operations)
	f.Add(uint8(0), "TR-1", "paid,completed", []byte(`{"route_id":7,"income_amount":"1"}`))
	f.Add(uint8(3), "..", "", []byte(`{}`))
	f.Add(uint8(9), "", "x", []byte(`{"card":{"file_intent":"nope"},"identity":{"file_intents":[1,"a",null]}}`))
	f.Add(uint8(40), "%zz", "1", []byte(`[1,2`))
	f.Add(uint8(20), "ab~cd", "ab~cd", []byte(`{"email":"ab~cd","url":"ab~cd"}`))
	f.Fuzz(func(t *testing.T, pick uint8, seg, qv string, body []byte) {
		op := ops[int(pick)%len(ops)]
		method, tmpl, _ := strings.Cut(op, " ")
		path := fillTemplate(tmpl, url.PathEscape(seg))
		q := url.Values{}
		for _, p := range operations[op].query {
			q.Set(p.name, qv)
		}
		cl := &call{op: op, method: method, path: path, query: q}
		err1, err2 := cl.validate(body), cl.validate(body)
		if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
			t.Fatalf("two answers: %v / %v", err1, err2)
		}
		if err1 == nil {
			return
		}
		var ie *InvalidRequestError
		if !errors.As(err1, &ie) || len(ie.Problems) == 0 {
			t.Fatalf("err = %v, want an *InvalidRequestError with problems", err1)
		}
		// Values are never quoted: an input with a '~' (no message or
		// field name has one) cannot show up.
		for _, in := range []string{seg, qv} {
			if len(in) >= 4 && strings.ContainsRune(in, '~') && strings.Contains(err1.Error(), in) {
				t.Fatalf("error %q quotes the input %q", err1, in)
			}
		}
	})
}

// fillTemplate puts seg into every {param} of tmpl.
func fillTemplate(tmpl, seg string) string {
	parts := strings.Split(tmpl, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, "{") {
			parts[i] = seg
		}
	}
	return strings.Join(parts, "/")
}

// FuzzIsJSONNumber: the walker's number check agrees with encoding/json on
// every token the walker can collect (digits, signs, points, exponents).
func FuzzIsJSONNumber(f *testing.F) {
	for _, s := range []string{"0", "-0", "12", "012", "1.", ".5", "1.5", "-1.5e+10", "1e", "1E-", "--1", "1e5.5", "+1", "", "-", "0.0e0", "1.2.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i := 0; i < len(s); i++ {
			if c := s[i]; !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
				return // number never collects other bytes
			}
		}
		if got, want := isJSONNumber([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Fatalf("isJSONNumber(%q) = %v, json.Valid = %v", s, got, want)
		}
	})
}
