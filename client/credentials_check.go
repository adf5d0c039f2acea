package client

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// ErrInvalidCredentials matches credentials refused before they are used:
// a token that cannot be sent in an Authorization header as it is, or a
// token or HMAC secret with whitespace at either end (a file or an
// environment variable read with its trailing newline). Such a key would
// fail every call the same way, so the client refuses it at once instead
// of retrying a request that cannot succeed.
var ErrInvalidCredentials = errors.New("client: invalid credentials")

// checkCredentials says what is wrong with cr without quoting it: the
// message names the character and where it is, never the secret.
func checkCredentials(cr Credentials) error {
	if err := checkToken(cr.Token); err != nil {
		return err
	}
	if cr.HMACSecret == "" {
		return nil
	}
	if r, _ := utf8.DecodeRuneInString(cr.HMACSecret); unicode.IsSpace(r) {
		return fmt.Errorf("%w: the HMAC secret starts with %s; remove it", ErrInvalidCredentials, runeName(r))
	}
	if r, _ := utf8.DecodeLastRuneInString(cr.HMACSecret); unicode.IsSpace(r) {
		return fmt.Errorf("%w: the HMAC secret ends with %s; trim it (files and environment variables often keep a trailing newline)", ErrInvalidCredentials, runeName(r))
	}
	return nil
}

// checkToken wants visible ASCII only: anything else cannot travel in a
// header value (net/http refuses it on every attempt).
func checkToken(tok string) error {
	for i, r := range tok {
		if r > 0x20 && r < 0x7f {
			continue
		}
		where := fmt.Sprintf("contains %s at byte %d", runeName(r), i)
		switch {
		case i == 0:
			where = "starts with " + runeName(r)
		case i+utf8.RuneLen(r) == len(tok):
			where = "ends with " + runeName(r)
		}
		hint := "an API token is visible ASCII only"
		if unicode.IsSpace(r) {
			hint = "trim it (files and environment variables often keep a trailing newline)"
		}
		return fmt.Errorf("%w: the token %s; %s", ErrInvalidCredentials, where, hint)
	}
	return nil
}

// runeName names a character without printing it raw.
func runeName(r rune) string {
	switch r {
	case '\n':
		return `a newline (\n)`
	case '\r':
		return `a carriage return (\r)`
	case '\t':
		return `a tab (\t)`
	case ' ':
		return "a space"
	case 0xa0:
		return "a no-break space (U+00A0)"
	case 0xfeff:
		return "a byte order mark (U+FEFF)"
	}
	if unicode.IsSpace(r) {
		return fmt.Sprintf("whitespace (%U)", r)
	}
	return fmt.Sprintf("the character %U", r)
}
