package client

import (
	"strings"
	"unicode/utf8"
)

// snippetMax bounds the body excerpt of a ResponseError.
const snippetMax = 256

// snippet returns the start of body for an error message: at most
// snippetMax bytes of valid UTF-8, control characters replaced, and the
// client's current token and secret removed in case a proxy echoed them.
func (st *callState) snippet(body []byte) string {
	if len(body) > snippetMax {
		body = body[:snippetMax]
	}
	var b strings.Builder
	for len(body) > 0 {
		r, n := utf8.DecodeRune(body)
		body = body[n:]
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteByte('?')
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return st.scrub(strings.TrimSpace(b.String()))
}

// scrub removes from s the credentials the call sent and the client's
// current static ones.
func (st *callState) scrub(s string) string {
	secrets := []string{st.used.Token, st.used.HMACSecret}
	if k := st.c.keys.Load(); k != nil && k.static != nil {
		secrets = append(secrets, k.static.Token, k.static.HMACSecret)
	}
	for _, secret := range secrets {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return s
}
