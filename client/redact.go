package client

import (
	"context"
	"strings"
	"unicode/utf8"
)

// snippetMax bounds the body excerpt of a ResponseError.
const snippetMax = 256

// snippet returns the start of body for an error message: at most
// snippetMax bytes of valid UTF-8, control characters replaced, and the
// client's current token and secret removed in case a proxy echoed them.
func (c *Client) snippet(ctx context.Context, body []byte) string {
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
	return c.scrub(ctx, strings.TrimSpace(b.String()))
}

// scrub removes the static credentials from s. (Values of a
// CredentialsSource are not fetched just for this.)
func (c *Client) scrub(_ context.Context, s string) string {
	k := c.keys.Load()
	if k == nil || k.static == nil {
		return s
	}
	for _, secret := range []string{k.static.Token, k.static.HMACSecret} {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return s
}
