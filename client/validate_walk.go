package client

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// walker checks a JSON body against a rule in one pass over its bytes,
// without decoding it into maps: the body is json.Marshal's output, so a
// request's check costs a scan, not a second decoding. It never panics on
// malformed input; it reports it.
type walker struct {
	v   *validator
	b   []byte
	i   int
	bad bool // the bytes are not one JSON value

	// Scratch space, so that a body's walk allocates once (the walker)
	// rather than once per field and per object. nodes holds the path
	// node of the member being walked at each nesting depth: siblings
	// reuse it, since a node is only read while its member is walked
	// (problems copy the path into a string). keys holds the keys of the
	// objects being walked, innermost last; keysFrom is where the keys of
	// the object whose rules are being checked begin (present).
	depth    int
	nodes    [4]fieldPath
	keys     members
	keysBuf  [12]member
	keysFrom int
}

// node returns the path node of a member of the container being walked
// (at w.depth), set to parent and name or index.
func (w *walker) node(parent *fieldPath, name []byte, index int) *fieldPath {
	var p *fieldPath
	if d := w.depth - 1; d >= 0 && d < len(w.nodes) {
		p = &w.nodes[d]
	} else {
		p = new(fieldPath)
	}
	*p = fieldPath{parent: parent, name: name, index: index}
	return p
}

// present reports whether the object whose rules are being checked has the
// property name, given (presence for objectRules: the walker passes
// itself, which costs no allocation where its keys slice would).
func (w *walker) present(name string) bool { return w.keys[w.keysFrom:].present(name) }

// fieldPath names the field being checked; it becomes a string only when a
// problem is reported: file_intents.0, card.file_intent.
type fieldPath struct {
	parent *fieldPath
	name   []byte
	index  int // for an array item: name is nil
}

func (p *fieldPath) String() string {
	if p == nil {
		return ""
	}
	var b []byte
	b = p.append(b)
	return string(b)
}

func (p *fieldPath) append(b []byte) []byte {
	if p.parent != nil {
		b = p.parent.append(b)
	}
	if len(b) > 0 {
		b = append(b, '.')
	}
	if p.name == nil {
		return strconv.AppendInt(b, int64(p.index), 10)
	}
	return append(b, p.name...)
}

// walkBody checks b against r.
func (v *validator) walkBody(b []byte, r *rule) {
	start := len(v.problems)
	w := &walker{v: v, b: b}
	w.keys = w.keysBuf[:0]
	w.value(nil, r)
	w.ws()
	if w.bad || w.i != len(w.b) {
		v.problems = v.problems[:start] // what was found before the bytes went wrong means little
		v.add("", "type", "the body is not JSON")
	}
}

func (w *walker) ws() {
	for w.i < len(w.b) {
		switch w.b[w.i] {
		case ' ', '\t', '\n', '\r':
			w.i++
		default:
			return
		}
	}
}

func (w *walker) fail() { w.bad, w.i = true, len(w.b) }

// value checks the value at w.i against r (nil: only skip it) and reports
// whether the server would read it as given: not null, "" or [].
func (w *walker) value(p *fieldPath, r *rule) (present bool) {
	w.ws()
	if w.i >= len(w.b) {
		w.fail()
		return false
	}
	switch c := w.b[w.i]; {
	case c == '{':
		w.object(p, r)
		return true
	case c == '[':
		return w.array(p, r)
	case c == '"':
		s, ok := w.str()
		if ok && r != nil {
			w.check(p, r, "string", s)
		}
		return ok && len(s) > 2
	case c == 'n':
		if !w.literal("null") {
			return false
		}
		if r != nil && !r.nullable && len(r.types) > 0 {
			w.v.add(p.String(), "type", "must not be null")
		}
		return false
	case c == 't' || c == 'f':
		tok := "true"
		if c == 'f' {
			tok = "false"
		}
		if w.literal(tok) && r != nil {
			w.check(p, r, "boolean", []byte(tok))
		}
		return true
	default:
		tok, typ := w.number()
		if tok != nil && r != nil {
			w.check(p, r, typ, tok)
		}
		return true
	}
}

// check applies a scalar's rules: type, enum, then length, format or range.
// tok is the raw JSON token (a string with its quotes).
func (w *walker) check(p *fieldPath, r *rule, typ string, tok []byte) {
	if len(r.types) > 0 && !contains(r.types, typ) && !(typ == "integer" && contains(r.types, "number")) {
		w.v.add(p.String(), "type", "must be %s", article(typeName(r.types)))
		return
	}
	if len(r.enum) > 0 && !containsBytes(r.enum, tok) {
		w.v.add(p.String(), "enum", "must be one of %s", enumList(r.enum))
		return
	}
	switch typ {
	case "string":
		if r.minLen == 0 && r.maxLen == 0 && r.format == "" {
			return
		}
		s := unquote(tok)
		n := utf8.RuneCountInString(s)
		if r.minLen > 0 && n < r.minLen {
			w.v.add(p.String(), "min_length", "must be at least %d characters", r.minLen)
		}
		if r.maxLen > 0 && n > r.maxLen {
			w.v.add(p.String(), "max_length", "must be at most %d characters", r.maxLen)
		}
		if s != "" && r.format != "" && !validFormat(r.format, s) {
			w.v.add(p.String(), "format", "must be %s", formatName(r.format))
		}
	case "integer", "number":
		if r.min == nil && r.max == nil {
			return
		}
		f, _ := strconv.ParseFloat(string(tok), 64)
		if r.min != nil && f < *r.min {
			w.v.add(p.String(), "minimum", "must be at least %s", strconv.FormatFloat(*r.min, 'g', -1, 64))
		}
		if r.max != nil && f > *r.max {
			w.v.add(p.String(), "maximum", "must be at most %s", strconv.FormatFloat(*r.max, 'g', -1, 64))
		}
	}
}

// array checks an array's items; its own size problems come before theirs.
func (w *walker) array(p *fieldPath, r *rule) bool {
	w.i++ // [
	start := len(w.v.problems)
	var items *rule
	if r != nil {
		if len(r.types) > 0 && !contains(r.types, "array") {
			w.v.add(p.String(), "type", "must be %s", article(typeName(r.types)))
			r = nil // the rest of it is not checked, as with any wrong type
		} else {
			items = r.items
		}
	}
	n := 0
	w.depth++
	defer func() { w.depth-- }()
	w.ws()
	if w.i < len(w.b) && w.b[w.i] == ']' {
		w.i++
	} else {
		for !w.bad {
			w.value(w.node(p, nil, n), items)
			n++
			w.ws()
			if w.i < len(w.b) && w.b[w.i] == ',' {
				w.i++
				continue
			}
			if w.i < len(w.b) && w.b[w.i] == ']' {
				w.i++
				break
			}
			w.fail()
		}
	}
	if r != nil {
		var size []Problem
		if n < r.minItems {
			size = append(size, Problem{Field: p.String(), Rule: "min_items", Message: "needs at least " + strconv.Itoa(r.minItems) + " item(s)"})
		}
		if r.maxItems > 0 && n > r.maxItems {
			size = append(size, Problem{Field: p.String(), Rule: "max_items", Message: "takes at most " + strconv.Itoa(r.maxItems) + " item(s)"})
		}
		w.v.insert(start, size)
	}
	return n > 0
}

// member is a key of an object being walked and whether its value counts
// as given.
type member struct {
	name    []byte
	present bool
}

// members is an object's keys, for the object-level rules.
type members []member

func (m members) present(name string) bool {
	for _, k := range m {
		if k.present && string(k.name) == name {
			return true
		}
	}
	return false
}

// object checks the properties in one pass, then the object-level rules
// (required, oneOf, anyOf, aliases), whose problems are listed first.
func (w *walker) object(p *fieldPath, r *rule) {
	w.i++ // {
	if r != nil && len(r.types) > 0 && !contains(r.types, "object") {
		w.v.add(p.String(), "type", "must be %s", article(typeName(r.types)))
		r = nil
	}
	from := len(w.keys)
	w.depth++
	defer func() { w.depth--; w.keys = w.keys[:from] }()
	start := len(w.v.problems)
	w.ws()
	if w.i < len(w.b) && w.b[w.i] == '}' {
		w.i++
	} else {
		for !w.bad {
			w.ws()
			if w.i >= len(w.b) || w.b[w.i] != '"' {
				w.fail()
				break
			}
			tok, ok := w.str()
			if !ok {
				break
			}
			name := tok[1 : len(tok)-1]
			if bytes.IndexByte(name, '\\') >= 0 {
				name = []byte(unquote(tok))
			}
			w.ws()
			if w.i >= len(w.b) || w.b[w.i] != ':' {
				w.fail()
				break
			}
			w.i++
			var pr *rule
			if r != nil {
				pr = r.props[string(name)]
			}
			before := len(w.v.problems)
			given := w.value(w.node(p, name, 0), pr)
			if !given && r != nil && contains(r.required, string(name)) {
				w.v.problems = w.v.problems[:before] // reported once, as required
			}
			w.keys = append(w.keys, member{name: name, present: given})
			w.ws()
			if w.i < len(w.b) && w.b[w.i] == ',' {
				w.i++
				continue
			}
			if w.i < len(w.b) && w.b[w.i] == '}' {
				w.i++
				break
			}
			w.fail()
		}
	}
	if r == nil || w.bad {
		return
	}
	field := p.String()
	skip := 0
	if field != "" {
		skip = len(field) + 1
	}
	w.v.sortFrom(start, skip)
	props := len(w.v.problems)
	w.keysFrom = from
	w.v.objectRules(field, w, r, skip)
	// The object-level problems go before the properties' ones.
	if props > start && len(w.v.problems) > props {
		own := append([]Problem(nil), w.v.problems[props:]...)
		w.v.problems = w.v.problems[:props]
		w.v.insert(start, own)
	}
}

// insert puts ps at position at of the problems.
func (v *validator) insert(at int, ps []Problem) {
	if len(ps) == 0 {
		return
	}
	v.problems = append(v.problems, ps...)
	copy(v.problems[at+len(ps):], v.problems[at:len(v.problems)-len(ps)])
	copy(v.problems[at:], ps)
}

// str reads a JSON string token, quotes included.
func (w *walker) str() ([]byte, bool) {
	start := w.i
	w.i++
	for w.i < len(w.b) {
		switch c := w.b[w.i]; {
		case c == '"':
			w.i++
			return w.b[start:w.i], true
		case c == '\\':
			w.i += 2
		case c < 0x20:
			w.fail()
			return nil, false
		default:
			w.i++
		}
	}
	w.fail()
	return nil, false
}

// number reads a JSON number token and says whether it is an integer.
func (w *walker) number() ([]byte, string) {
	start := w.i
	typ := "integer"
	for w.i < len(w.b) {
		c := w.b[w.i]
		if c == '.' || c == 'e' || c == 'E' {
			typ = "number"
		} else if !(c >= '0' && c <= '9' || c == '-' || c == '+') {
			break
		}
		w.i++
	}
	tok := w.b[start:w.i]
	if !isJSONNumber(tok) {
		w.fail()
		return nil, ""
	}
	return tok, typ
}

// isJSONNumber reports whether tok is exactly one JSON number
// (RFC 8259: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?). It stands in
// for json.Valid on the tokens number collects, which took a scanner from
// a shared pool for every number of every request body.
func isJSONNumber(tok []byte) bool {
	i := 0
	if i < len(tok) && tok[i] == '-' {
		i++
	}
	switch {
	case i < len(tok) && tok[i] == '0':
		i++
	case i < len(tok) && tok[i] >= '1' && tok[i] <= '9':
		i = skipDigits(tok, i+1)
	default:
		return false
	}
	if i < len(tok) && tok[i] == '.' {
		j := skipDigits(tok, i+1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(tok) && (tok[i] == 'e' || tok[i] == 'E') {
		i++
		if i < len(tok) && (tok[i] == '+' || tok[i] == '-') {
			i++
		}
		j := skipDigits(tok, i)
		if j == i {
			return false
		}
		i = j
	}
	return i == len(tok)
}

// skipDigits returns the index of the first byte at or after i that is
// not a decimal digit.
func skipDigits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

func (w *walker) literal(tok string) bool {
	if !bytes.HasPrefix(w.b[w.i:], []byte(tok)) {
		w.fail()
		return false
	}
	w.i += len(tok)
	return true
}

// unquote decodes a JSON string token; an invalid one reads as "".
func unquote(tok []byte) string {
	if bytes.IndexByte(tok, '\\') < 0 {
		return string(tok[1 : len(tok)-1])
	}
	var s string
	_ = json.Unmarshal(tok, &s)
	return s
}

// containsBytes reports whether the literal tok is one of lits.
func containsBytes(lits []string, tok []byte) bool {
	for _, l := range lits {
		if l == string(tok) {
			return true
		}
	}
	return false
}
