package webhook

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"unicode/utf8"
)

// envelope holds the top-level fields of a delivery body:
// {"id","type","created_at","data"}.
type envelope struct {
	id, typ   []byte // raw JSON values; the signed headers are what counts
	createdAt string
	data      []byte
}

// maxJSONDepth bounds nesting, so a hostile body of ten thousand '[' costs a
// clear error instead of deep recursion.
const maxJSONDepth = 256

var errNotObject = errors.New("the top level is not an object")

// scanEnvelope checks that body is one JSON object and picks out its
// top-level fields without building any value. It is a single pass that
// checks the whole grammar (nesting, strings and escapes, numbers, literals),
// as encoding/json's Valid does, at several times its speed: strings are
// skipped eight bytes at a time.
func scanEnvelope(body []byte) (envelope, error) {
	var env envelope
	s := jsonScanner{b: body}
	i := s.skipSpace(0)
	if i >= len(body) || body[i] != '{' {
		return env, errNotObject
	}
	i = s.skipSpace(i + 1)
	if i < len(body) && body[i] == '}' {
		i++
	} else {
		for {
			if i >= len(body) || body[i] != '"' {
				return env, s.fail(i, "want a key")
			}
			keyStart := i
			end, err := s.skipString(i)
			if err != nil {
				return env, err
			}
			key := body[keyStart+1 : end-1]
			i = s.skipSpace(end)
			if i >= len(body) || body[i] != ':' {
				return env, s.fail(i, "want ':'")
			}
			i = s.skipSpace(i + 1)
			valStart := i
			if i, err = s.skipValue(i, 1); err != nil {
				return env, err
			}
			val := body[valStart:i]
			switch string(key) {
			case "id":
				env.id = val
			case "type":
				env.typ = val
			case "created_at":
				env.createdAt = stringValue(val)
			case "data":
				env.data = val
			}
			i = s.skipSpace(i)
			if i < len(body) && body[i] == ',' {
				i = s.skipSpace(i + 1)
				continue
			}
			if i < len(body) && body[i] == '}' {
				i++
				break
			}
			return env, s.fail(i, "want ',' or '}'")
		}
	}
	if i = s.skipSpace(i); i != len(body) {
		return env, s.fail(i, "data after the object")
	}
	return env, nil
}

// stringValue returns the text of a JSON scalar: strings unquoted (unescaped
// when needed), other values as written.
func stringValue(val []byte) string {
	if len(val) < 2 || val[0] != '"' {
		if string(val) == "null" {
			return ""
		}
		return string(val)
	}
	inner := val[1 : len(val)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return string(inner)
	}
	var s string
	if json.Unmarshal(val, &s) != nil {
		return ""
	}
	return s
}

type jsonScanner struct{ b []byte }

func (s *jsonScanner) fail(i int, what string) error {
	if i >= len(s.b) {
		return fmt.Errorf("unexpected end of body: %s", what)
	}
	return fmt.Errorf("offset %d: %s", i, what)
}

func (s *jsonScanner) skipSpace(i int) int {
	if i < len(s.b) && s.b[i] > ' ' {
		return i // the common case: no whitespace at all
	}
	for i < len(s.b) {
		switch s.b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipValue returns the index just past the value starting at i. It is one
// loop with an explicit stack of open containers rather than a recursion: a
// function call per token would cost more than the token.
func (s *jsonScanner) skipValue(i, depth int) (int, error) {
	b := s.b
	var open [maxJSONDepth]bool // true for an object, false for an array
	n := 0
	var err error
	for {
		// A value starts at i (whitespace already skipped).
		if i >= len(b) {
			return i, s.fail(i, "want a value")
		}
		switch c := b[i]; {
		case c == '"':
			// Fast path for a plain string; skipString handles the rest.
			if j := stringSpecial(b, i+1); j < len(b) && b[j] == '"' {
				i = j + 1
			} else if i, err = s.skipString(i); err != nil {
				return i, err
			}
		case c == '{' || c == '[':
			if depth+n >= maxJSONDepth {
				return i, s.fail(i, "nested too deeply")
			}
			isObject := c == '{'
			i = s.skipSpace(i + 1)
			if i < len(b) && b[i] == closerOf(isObject) {
				i++
				break // an empty container is a complete value
			}
			open[n] = isObject
			n++
			if isObject {
				if i, err = s.skipKey(i); err != nil {
					return i, err
				}
			}
			continue // the first element
		case c == 't':
			if i, err = s.skipLiteral(i, "true"); err != nil {
				return i, err
			}
		case c == 'f':
			if i, err = s.skipLiteral(i, "false"); err != nil {
				return i, err
			}
		case c == 'n':
			if i, err = s.skipLiteral(i, "null"); err != nil {
				return i, err
			}
		case c == '-' || ('0' <= c && c <= '9'):
			if i, err = s.skipNumber(i); err != nil {
				return i, err
			}
		default:
			return i, s.fail(i, "want a value")
		}
		// A value ended at i: close finished containers, or move on to the
		// next element of the innermost one.
		for {
			if n == 0 {
				return i, nil
			}
			i = s.skipSpace(i)
			if i >= len(b) {
				return i, s.fail(i, "unterminated container")
			}
			isObject := open[n-1]
			if b[i] == ',' {
				i = s.skipSpace(i + 1)
				if isObject {
					if i, err = s.skipKey(i); err != nil {
						return i, err
					}
				}
				break
			}
			if b[i] != closerOf(isObject) {
				return i, s.fail(i, "want ',' or a closing bracket")
			}
			i++
			n--
		}
	}
}

func closerOf(isObject bool) byte {
	if isObject {
		return '}'
	}
	return ']'
}

// skipKey checks `"key" :` at i and returns the index of the value after it.
func (s *jsonScanner) skipKey(i int) (int, error) {
	if i >= len(s.b) || s.b[i] != '"' {
		return i, s.fail(i, "want a key")
	}
	if j := stringSpecial(s.b, i+1); j < len(s.b) && s.b[j] == '"' {
		i = j + 1
	} else {
		var err error
		if i, err = s.skipString(i); err != nil {
			return i, err
		}
	}
	i = s.skipSpace(i)
	if i >= len(s.b) || s.b[i] != ':' {
		return i, s.fail(i, "want ':'")
	}
	return s.skipSpace(i + 1), nil
}

// skipString returns the index just past the string starting at i (a quote).
// It looks at eight bytes at a time for the only bytes that matter inside a
// string: the closing quote, a backslash, or a control byte (invalid there).
func (s *jsonScanner) skipString(i int) (int, error) {
	start := i
	b := s.b
	i++
	for {
		i = stringSpecial(b, i)
		if i >= len(b) {
			return start, s.fail(i, "unterminated string")
		}
		switch b[i] {
		case '"':
			return i + 1, nil
		case '\\':
			i++
			if i >= len(b) {
				return start, s.fail(i, "unterminated escape")
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if i+5 > len(b) {
					return start, s.fail(i, "short \\u escape")
				}
				for _, h := range b[i+1 : i+5] {
					if _, ok := fromHex(h); !ok {
						return start, s.fail(i, "bad \\u escape")
					}
				}
				i += 5
			default:
				return start, s.fail(i, "bad escape")
			}
		default:
			return start, s.fail(i, "control byte in a string")
		}
	}
}

const (
	ones   = 0x0101010101010101
	highs  = 0x8080808080808080
	quotes = '"' * ones
	slashs = '\\' * ones
	spaces = 0x20 * ones
)

// stringSpecial returns the index of the first '"', '\\' or byte below 0x20
// at or after i, or len(b). Per eight-byte word, (x-ones)&^x&highs flags the
// zero bytes of x; the lowest flag is always exact, which is all we need.
func stringSpecial(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		q, e := w^quotes, w^slashs
		found := ((q - ones) &^ q) | ((e - ones) &^ e) | ((w - spaces) &^ w)
		if found &= highs; found != 0 {
			return i + bits.TrailingZeros64(found)>>3
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
	}
	return i
}

func (s *jsonScanner) skipLiteral(i int, lit string) (int, error) {
	if !bytes.HasPrefix(s.b[i:], []byte(lit)) {
		return i, s.fail(i, "bad literal")
	}
	return i + len(lit), nil
}

// skipNumber checks the JSON number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
func (s *jsonScanner) skipNumber(i int) (int, error) {
	b := s.b
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = skipDigits(b, i)
	default:
		return i, s.fail(i, "bad number")
	}
	if i < len(b) && b[i] == '.' {
		j := skipDigits(b, i+1)
		if j == i+1 {
			return i, s.fail(i, "bad fraction")
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := skipDigits(b, i)
		if j == i {
			return i, s.fail(i, "bad exponent")
		}
		i = j
	}
	return i, nil
}

func skipDigits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}
