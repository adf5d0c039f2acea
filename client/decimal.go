package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Decimal is a decimal number kept as the exact digits the server sent, for
// money and rates. Amounts may arrive as JSON strings ("100.50") or JSON
// numbers (100.50); both decode to the same Decimal, without ever passing
// through float64, so no digit is lost or invented. It encodes as a JSON
// string. The zero value "" means the server sent null or nothing.
type Decimal string

// ErrNotDecimal reports a JSON value that cannot be an amount: an object, an
// array or a boolean.
var ErrNotDecimal = errors.New("client: value is not a decimal number")

// String returns the digits as received.
func (d Decimal) String() string { return string(d) }

// Valid reports whether d is a decimal number: an optional sign, digits
// with an optional fraction, and an optional exponent.
func (d Decimal) Valid() bool { return isDecimal(string(d)) }

// UnmarshalJSON accepts a JSON number, a JSON string holding a decimal
// number, or null.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return ErrNotDecimal
	case string(b) == "null":
		*d = ""
		return nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		// Kept verbatim even when it is not a plain number: a response is
		// not rejected for one oddly formatted amount; Valid tells.
		*d = Decimal(s)
		return nil
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		// The decoder has already checked that b is a valid JSON number.
		*d = Decimal(b)
		return nil
	}
	return fmt.Errorf("%w: %.32s", ErrNotDecimal, b)
}

// isDecimal reports whether s is a plain or exponent decimal number.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}
