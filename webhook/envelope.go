package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// envelope holds the top-level fields of a delivery body:
// {"id","type","created_at","data"}.
type envelope struct {
	id, typ, createdAt string
	data               []byte
}

// maxJSONDepth bounds nesting, so a hostile body of ten thousand '[' costs a
// clear error instead of deep recursion.
const maxJSONDepth = 256

var errNotObject = errors.New("the top level is not an object")

// scanEnvelope checks that body is one JSON object and picks out its
// top-level fields without building any value. It is a single pass: strings,
// which are most of a payload, are skipped with bytes.IndexByte, so checking a
// body costs little next to hashing it. Grammar, nesting, literals, numbers
// and escapes are checked; raw control bytes inside strings are tolerated
// here and left to the typed decoders.
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
				env.id = stringValue(val)
			case "type":
				env.typ = stringValue(val)
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
	if bytes.IndexByte(inner, '\\') < 0 {
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

// skipValue returns the index just past the value starting at i.
func (s *jsonScanner) skipValue(i, depth int) (int, error) {
	if i >= len(s.b) {
		return i, s.fail(i, "want a value")
	}
	switch c := s.b[i]; {
	case c == '"':
		return s.skipString(i)
	case c == '{' || c == '[':
		return s.skipContainer(i, depth)
	case c == 't':
		return s.skipLiteral(i, "true")
	case c == 'f':
		return s.skipLiteral(i, "false")
	case c == 'n':
		return s.skipLiteral(i, "null")
	case c == '-' || ('0' <= c && c <= '9'):
		return s.skipNumber(i)
	}
	return i, s.fail(i, "want a value")
}

func (s *jsonScanner) skipContainer(i, depth int) (int, error) {
	if depth >= maxJSONDepth {
		return i, s.fail(i, "nested too deeply")
	}
	closer, isObject := byte(']'), s.b[i] == '{'
	if isObject {
		closer = '}'
	}
	i = s.skipSpace(i + 1)
	if i < len(s.b) && s.b[i] == closer {
		return i + 1, nil
	}
	for {
		var err error
		if isObject {
			if i >= len(s.b) || s.b[i] != '"' {
				return i, s.fail(i, "want a key")
			}
			if i, err = s.skipString(i); err != nil {
				return i, err
			}
			i = s.skipSpace(i)
			if i >= len(s.b) || s.b[i] != ':' {
				return i, s.fail(i, "want ':'")
			}
			i = s.skipSpace(i + 1)
		}
		if i, err = s.skipValue(i, depth+1); err != nil {
			return i, err
		}
		i = s.skipSpace(i)
		if i >= len(s.b) {
			return i, s.fail(i, "unterminated container")
		}
		switch s.b[i] {
		case ',':
			i = s.skipSpace(i + 1)
		case closer:
			return i + 1, nil
		default:
			return i, s.fail(i, "want ',' or a closing bracket")
		}
	}
}

// skipString returns the index just past the string starting at i (a quote).
// The common case, a string without escapes, is two IndexByte calls.
func (s *jsonScanner) skipString(i int) (int, error) {
	start := i
	i++
	for {
		q := bytes.IndexByte(s.b[i:], '"')
		if q < 0 {
			return start, s.fail(len(s.b), "unterminated string")
		}
		seg := s.b[i : i+q]
		e := bytes.IndexByte(seg, '\\')
		if e < 0 {
			return i + q + 1, nil
		}
		// An escape comes before the next quote: check it and resume after it
		// (the quote found may itself be escaped).
		i += e + 1
		if i >= len(s.b) {
			return start, s.fail(i, "unterminated escape")
		}
		switch s.b[i] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i++
		case 'u':
			if i+5 > len(s.b) {
				return start, s.fail(i, "short \\u escape")
			}
			for _, h := range s.b[i+1 : i+5] {
				if _, ok := fromHex(h); !ok {
					return start, s.fail(i, "bad \\u escape")
				}
			}
			i += 5
		default:
			return start, s.fail(i, "bad escape")
		}
	}
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
