package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"
)

// snippetMax bounds the body excerpt of a ResponseError.
const snippetMax = 256

// Everything an answer carries is written by the server or by whatever sits
// between it and the client: a proxy that echoes the request's
// Authorization header can put the token into any field. So every string
// taken from an answer (body excerpt, error code and message, details,
// headers, a redirect's target, a transport error's text) passes through
// scrub before it reaches an error value or a log record, and it is scrubbed
// whole, before it is cut to size, so a secret straddling the cut cannot
// leave a prefix behind.

// snippet returns the start of body for an error message: at most
// snippetMax bytes of valid UTF-8, control characters replaced, and the
// client's current token and secret removed in case a proxy echoed them.
func (st *callState) snippet(body []byte) string {
	secrets := st.secrets()
	// Only the part that can appear is scrubbed: the excerpt plus room for
	// a secret that starts inside it.
	window := snippetMax
	for _, s := range secrets {
		window += len(s)
	}
	if len(body) > window {
		body = body[:window]
	}
	s := scrubWith(secrets, printable(body))
	return strings.TrimSpace(truncateBytes(s, snippetMax))
}

// printable returns body as valid UTF-8 with line breaks and tabs turned
// into spaces and other control characters into '?'.
func printable(body []byte) string {
	var b strings.Builder
	b.Grow(len(body))
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
	return b.String()
}

// truncateBytes cuts s to at most n bytes on a rune boundary, without a
// marker.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// secrets lists the credentials the call sent and the client's current
// static ones. Values shorter than four bytes are not listed: replacing
// them would mangle ordinary text and hide nothing.
func (st *callState) secrets() []string {
	out := make([]string, 0, 4)
	add := func(s string) {
		if len(s) >= 4 {
			out = append(out, s)
		}
	}
	add(st.used.Token)
	add(st.used.HMACSecret)
	if k := st.c.keys.Load(); k != nil && k.static != nil {
		add(k.static.Token)
		add(k.static.HMACSecret)
	}
	return out
}

// scrub removes from s the credentials the call sent and the client's
// current static ones.
func (st *callState) scrub(s string) string {
	return scrubWith(st.secrets(), s)
}

// scrubText removes the client's current static credentials from s, for
// server-sent strings logged outside a call (a key's name).
func (c *Client) scrubText(s string) string {
	k := c.keys.Load()
	if k == nil || k.static == nil {
		return s
	}
	var secrets []string
	for _, v := range []string{k.static.Token, k.static.HMACSecret} {
		if len(v) >= 4 {
			secrets = append(secrets, v)
		}
	}
	return scrubWith(secrets, s)
}

// scrubWith replaces every occurrence of each secret in s.
func scrubWith(secrets []string, s string) string {
	for _, secret := range secrets {
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return s
}

// containsAny reports whether s holds one of the secrets.
func containsAny(secrets []string, s string) bool {
	for _, secret := range secrets {
		if strings.Contains(s, secret) {
			return true
		}
	}
	return false
}

// scrubDetails scrubs the field names and messages of validation details.
func (st *callState) scrubDetails(d map[string][]string) map[string][]string {
	secrets := st.secrets()
	if d == nil || len(secrets) == 0 {
		return d
	}
	out := make(map[string][]string, len(d))
	for k, msgs := range d {
		clean := make([]string, len(msgs))
		for i, m := range msgs {
			clean[i] = scrubWith(secrets, m)
		}
		out[scrubWith(secrets, k)] = clean
	}
	return out
}

// scrubJSON returns raw with every secret removed from its strings (names
// and values). JSON may spell a secret with \u escapes, so raw is decoded
// to look; it is returned unchanged, as sent, when it holds no secret, and
// re-encoded with the secrets replaced when it does.
func (st *callState) scrubJSON(raw json.RawMessage) json.RawMessage {
	secrets := st.secrets()
	if len(raw) == 0 || len(secrets) == 0 {
		return raw
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		// Not JSON (it came from a decoded envelope, so this is not
		// expected): keep nothing that could hold a secret.
		if containsAny(secrets, string(raw)) {
			return json.RawMessage(`null`)
		}
		return raw
	}
	found := false
	v = scrubValue(secrets, v, &found)
	if !found {
		return raw
	}
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(`null`)
	}
	return b
}

// scrubValue scrubs the strings of a decoded JSON value and reports through
// found whether it replaced anything.
func scrubValue(secrets []string, v any, found *bool) any {
	switch x := v.(type) {
	case string:
		if containsAny(secrets, x) {
			*found = true
			return scrubWith(secrets, x)
		}
		return x
	case []any:
		for i := range x {
			x[i] = scrubValue(secrets, x[i], found)
		}
		return x
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if containsAny(secrets, k) {
				*found = true
				k = scrubWith(secrets, k)
			}
			out[k] = scrubValue(secrets, e, found)
		}
		return out
	}
	return v
}

// scrubError returns err, or, when its text holds a secret (a transport
// error quoting a malformed status line, say), an error with the secret
// removed from the text that still matches what err matched with errors.Is
// and still reports Timeout.
func (st *callState) scrubError(err error) error {
	if err == nil {
		return nil
	}
	secrets := st.secrets()
	msg := err.Error()
	if !containsAny(secrets, msg) {
		return err
	}
	return &scrubbedError{msg: scrubWith(secrets, msg), cause: err}
}

// scrubbedError is an error whose text had a secret removed. It does not
// unwrap to the original (whose text still holds the secret), but answers
// errors.Is and Timeout for it.
type scrubbedError struct {
	msg   string
	cause error
}

func (e *scrubbedError) Error() string { return e.msg }

// Is reports whether the original error matches target.
func (e *scrubbedError) Is(target error) bool { return errors.Is(e.cause, target) }

// Timeout reports whether the original error was a timeout.
func (e *scrubbedError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.cause, &t) && t.Timeout()
}

// GoString keeps %#v from printing the original error's text.
func (e *scrubbedError) GoString() string { return "client.scrubbedError{" + e.msg + "}" }
