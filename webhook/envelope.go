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
	createdAt []byte // raw JSON value: createdAtOf reads it without a copy
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
				env.createdAt = val
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
	if uint(i) < uint(len(s.b)) && s.b[i] > ' ' {
		return i // the common case: no whitespace at all
	}
	for uint(i) < uint(len(s.b)) {
		switch s.b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// isDigit and stringPlain are byte tables: one load instead of two
// comparisons in the tightest loops.
var isDigit = [256]bool{'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true, '8': true, '9': true}

// stringPlain is false for the bytes that end a plain run inside a string:
// '"', '\\' and the control bytes.
var stringPlain = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\'
	}
	return t
}()

// The first four or five bytes of the literals, little-endian.
var (
	litTrue = binary.LittleEndian.Uint32([]byte("true"))
	litNull = binary.LittleEndian.Uint32([]byte("null"))
	litAlse = binary.LittleEndian.Uint32([]byte("alse"))
)

// skipValue returns the index just past the value starting at i. It is one
// state machine with an explicit stack of open containers rather than a
// recursion: a function call per token would cost more than the token. Its
// three states (a key is due, a value is due, a value has ended) are labels
// that the tokens jump between, so no dispatch on a state variable or a
// jump table sits between two tokens. Keys, plain strings, integers,
// literals and single-byte whitespace are handled inline; escapes,
// fractions, exponents and longer whitespace go to helpers. Index tests are
// written uint(i) < uint(len(b)): that also tells the compiler i is not
// negative, so the byte read after the test carries no bounds check of its
// own (about 8% of the check's time on dense bodies).
func (s *jsonScanner) skipValue(i, depth int) (int, error) {
	b := s.b
	var (
		open  [maxJSONDepth]bool // true for an object, false for an array
		n     int                // open containers
		start int
		j     int
		m     uint64
		c     byte
		err   error
	)
	goto value

key: // A key is due at i (whitespace skipped), then ':' and a value.
	if uint(i) >= uint(len(b)) || b[i] != '"' {
		return i, s.fail(i, "want a key")
	}
	start = i
	for j = i + 1; j+8 <= len(b); j += 8 {
		if m = specialBytes(binary.LittleEndian.Uint64(b[j:])); m != 0 {
			j += bits.TrailingZeros64(m) >> 3
			goto keyEnd
		}
	}
	j = stringSpecialTail(b, j)
keyEnd:
	if uint(j) < uint(len(b)) && b[j] == '"' {
		i = j + 1
	} else if i, err = s.stringRest(start, j); err != nil {
		return i, err
	}
	if uint(i) < uint(len(b)) && b[i] == ':' {
		i++
	} else {
		if i = s.skipSpace(i); uint(i) >= uint(len(b)) || b[i] != ':' {
			return i, s.fail(i, "want ':'")
		}
		i++
	}
	if uint(i) < uint(len(b)) && b[i] <= ' ' {
		i = s.skipSpace(i)
	}

value: // A value is due at i (whitespace skipped).
	if uint(i) >= uint(len(b)) {
		return i, s.fail(i, "want a value")
	}
	c = b[i]
	if c == '"' {
		start = i
		for j = i + 1; j+8 <= len(b); j += 8 {
			if m = specialBytes(binary.LittleEndian.Uint64(b[j:])); m != 0 {
				j += bits.TrailingZeros64(m) >> 3
				goto stringEnd
			}
		}
		j = stringSpecialTail(b, j)
	stringEnd:
		if uint(j) < uint(len(b)) && b[j] == '"' {
			i = j + 1
		} else if i, err = s.stringRest(start, j); err != nil {
			return i, err
		}
		goto ended
	}
	if c-'1' < 9 {
		// The common number: an integer without a sign or leading zero.
		start = i
		for i++; uint(i) < uint(len(b)) && isDigit[b[i]]; i++ {
		}
		if uint(i) < uint(len(b)) && (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
			if i, err = s.skipNumber(start); err != nil {
				return i, err
			}
		}
		goto ended
	}
	switch c {
	case '{', '[':
		if depth+n >= maxJSONDepth {
			return i, s.fail(i, "nested too deeply")
		}
		i++
		if uint(i) < uint(len(b)) && b[i] <= ' ' {
			i = s.skipSpace(i)
		}
		if uint(i) < uint(len(b)) && b[i] == c+2 { // '{'+2 is '}', '['+2 is ']'
			i++
			goto ended // an empty container is a complete value
		}
		open[n] = c == '{'
		n++
		if c == '{' {
			goto key
		}
		goto value
	case '-', '0':
		if i, err = s.skipNumber(i); err != nil {
			return i, err
		}
	case 't':
		if i+4 > len(b) || binary.LittleEndian.Uint32(b[i:]) != litTrue {
			return i, s.fail(i, "bad literal")
		}
		i += 4
	case 'f':
		if i+5 > len(b) || binary.LittleEndian.Uint32(b[i+1:]) != litAlse {
			return i, s.fail(i, "bad literal")
		}
		i += 5
	case 'n':
		if i+4 > len(b) || binary.LittleEndian.Uint32(b[i:]) != litNull {
			return i, s.fail(i, "bad literal")
		}
		i += 4
	default:
		return i, s.fail(i, "want a value")
	}

ended: // A value ended at i: the next element, or closing brackets.
	if n == 0 {
		return i, nil
	}
	if uint(i) < uint(len(b)) && b[i] <= ' ' {
		i = s.skipSpace(i)
	}
	if uint(i) >= uint(len(b)) {
		return i, s.fail(i, "unterminated container")
	}
	if c = b[i]; c == ',' {
		i++
		if uint(i) < uint(len(b)) && b[i] <= ' ' {
			i = s.skipSpace(i)
		}
		if open[n-1] {
			goto key
		}
		goto value
	}
	if c != closerOf(open[n-1]) {
		return i, s.fail(i, "want ',' or a closing bracket")
	}
	i++
	n--
	goto ended
}

func closerOf(isObject bool) byte {
	if isObject {
		return '}'
	}
	return ']'
}

// skipString returns the index just past the string starting at i (a quote).
func (s *jsonScanner) skipString(i int) (int, error) {
	return s.stringRest(i, i+1)
}

// stringRest returns the index just past the string whose opening quote is
// at start, going on from j: the bytes between are plain (no quote,
// backslash or control byte). It looks at eight bytes at a time for the
// only bytes that matter inside a string: the closing quote, a backslash,
// or a control byte (invalid there). Escapes are checked where they stand,
// runs of them (a Cyrillic word as PHP encodes it, "\u0412\u043e...")
// without going back to the word loop.
func (s *jsonScanner) stringRest(start, j int) (int, error) {
	b := s.b
	for {
		// The next '"', '\\' or control byte, eight bytes at a time;
		// written out here, not called: between the words of an escaped
		// Cyrillic text it runs once per word.
		for ; j+8 <= len(b); j += 8 {
			if m := specialBytes(binary.LittleEndian.Uint64(b[j:])); m != 0 {
				j += bits.TrailingZeros64(m) >> 3
				goto special
			}
		}
		if j = stringSpecialTail(b, j); uint(j) >= uint(len(b)) {
			return start, s.fail(j, "unterminated string")
		}
	special:
		if c := b[j]; c == '"' {
			return j + 1, nil
		} else if c != '\\' {
			return start, s.fail(j, "control byte in a string")
		}
		for uint(j) < uint(len(b)) && b[j] == '\\' {
			if j+1 >= len(b) {
				return start, s.fail(j+1, "unterminated escape")
			}
			if b[j+1] != 'u' {
				if !simpleEscape[b[j+1]] {
					return start, s.fail(j+1, "bad escape")
				}
				j += 2
				continue
			}
			if j+6 > len(b) {
				return start, s.fail(j+1, "short \\u escape")
			}
			if hexValue[b[j+2]]|hexValue[b[j+3]]|hexValue[b[j+4]]|hexValue[b[j+5]] > 0x0f {
				return start, s.fail(j+1, "bad \\u escape")
			}
			j += 6
		}
	}
}

// simpleEscape holds the bytes that may follow a backslash, 'u' aside.
var simpleEscape = [256]bool{'"': true, '\\': true, '/': true, 'b': true, 'f': true, 'n': true, 'r': true, 't': true}

const (
	ones   = 0x0101010101010101
	highs  = 0x8080808080808080
	slashs = '\\' * ones
)

// specialBytes flags, in the high bit of each byte of w, the bytes that end a
// plain run in a string. Per byte, (x-n)&^x&0x80 flags x < n (n <= 0x80).
// x^0x02 maps '"' to 0x20 and the control bytes onto themselves, so one test
// below 0x21 finds both; a second finds '\\'. Borrows can flag bytes above
// a real hit but never below it: the lowest flag is always exact, which is
// all the scanner uses.
func specialBytes(w uint64) uint64 {
	t := w ^ (0x02 * ones)
	e := w ^ slashs
	return (((t - 0x21*ones) &^ t) | ((e - ones) &^ e)) & highs
}

// stringSpecialTail is the word loop's end: the last bytes, one at a time.
func stringSpecialTail(b []byte, i int) int {
	for ; uint(i) < uint(len(b)); i++ {
		if !stringPlain[b[i]] {
			return i
		}
	}
	return i
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
