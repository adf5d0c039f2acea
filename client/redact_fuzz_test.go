package client

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzState is a call state whose client holds secret as its token.
func fuzzState(secret string) *callState {
	c := &Client{}
	c.keys.Store(newStaticKeyring(Credentials{Token: secret}))
	return &callState{c: c, used: Credentials{Token: secret}}
}

// usableSecret keeps the secrets the properties hold for: visible, at
// least four bytes, and sharing no letter with the REDACTED marker (so a
// replacement cannot form a new occurrence with its neighbours).
func usableSecret(s string) bool {
	if len(s) < 4 || strings.ContainsAny(s, "REDACT") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// FuzzScrubSnippet: the body excerpt of an error never holds the secret,
// wherever it sits in the body (straddling the cut included), is valid
// UTF-8 without control characters, and stays within snippetMax bytes.
func FuzzScrubSnippet(f *testing.F) {
	f.Add([]byte("<html>Bearer tok_live_abc</html>"), "tok_live_abc", 0)
	f.Add([]byte(strings.Repeat("x", 300)), "tok_live_abc", 250)
	f.Add([]byte("\xff\x00tok\n_live"), "tok_live", 3)
	f.Fuzz(func(t *testing.T, body []byte, secret string, at int) {
		if !usableSecret(secret) || len(body) > 4096 {
			return
		}
		if at < 0 {
			at = -at
		}
		at %= len(body) + 1
		body = append(append(append([]byte{}, body[:at]...), secret...), body[at:]...)
		s := fuzzState(secret).snippet(body)
		if strings.Contains(s, secret) {
			t.Fatalf("secret %q in snippet %q", secret, s)
		}
		if len(s) > snippetMax || !utf8.ValidString(s) {
			t.Fatalf("snippet of %d bytes, valid UTF-8 %v", len(s), utf8.ValidString(s))
		}
		for _, r := range s {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("control character %U in snippet", r)
			}
		}
	})
}

// FuzzScrubJSON: scrubbed details are still JSON when they were, and no
// string in them, however escaped, holds the secret; details without the
// secret come back byte for byte.
func FuzzScrubJSON(f *testing.F) {
	f.Add([]byte(`{"authorization":"Bearer tok_live_abc","n":1e400}`), "tok_live_abc")
	f.Add([]byte(`["\u0074ok_live_abc",{"tok_live_abc":[null,true,12345678901234567890]}]`), "tok_live_abc")
	f.Add([]byte(`"plain"`), "tok_live_abc")
	f.Fuzz(func(t *testing.T, raw []byte, secret string) {
		if !usableSecret(secret) || !json.Valid(raw) {
			return
		}
		out := fuzzState(secret).scrubJSON(raw)
		if !json.Valid(out) {
			t.Fatalf("scrubbed %s into invalid JSON %s", raw, out)
		}
		var v any
		d := json.NewDecoder(bytes.NewReader(out))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			t.Fatal(err)
		}
		var leaked func(any) bool
		leaked = func(v any) bool {
			switch x := v.(type) {
			case string:
				return strings.Contains(x, secret)
			case []any:
				for _, e := range x {
					if leaked(e) {
						return true
					}
				}
			case map[string]any:
				for k, e := range x {
					if strings.Contains(k, secret) || leaked(e) {
						return true
					}
				}
			}
			return false
		}
		if leaked(v) {
			t.Fatalf("secret %q survives in %s", secret, out)
		}
		if !bytes.Contains(out, []byte(redacted)) && !bytes.Equal(out, raw) && !strings.Contains(string(raw), redacted) {
			t.Fatalf("details without the secret changed: %s -> %s", raw, out)
		}
	})
}
