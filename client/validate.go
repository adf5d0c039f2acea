package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrInvalidRequest matches every *InvalidRequestError: a call that breaks
// openapi.yaml's contract and was refused before anything was sent.
//
//	if errors.Is(err, client.ErrInvalidRequest) { ... }
var ErrInvalidRequest = errors.New("client: invalid request")

// InvalidRequestError lists every problem of a request that was refused
// locally: nothing reached the network, no rate-limit budget was spent, and
// the call is never retried (the same input fails the same way). Values are
// never quoted, so an account or card number cannot leak into logs.
type InvalidRequestError struct {
	Operation string    // "METHOD /path template" as in openapi.yaml
	Problems  []Problem // in a stable order: request-level first, then by field
}

// Problem is one broken rule of a request.
type Problem struct {
	// Field is named as the API names it: outcome_account, card.file_intent,
	// file_intents.0, filter[status], or {order} for a path parameter.
	Field string
	// Rule is the kind of check: required, type, enum, format, min_length,
	// max_length, minimum, maximum, min_items, max_items, one_of, any_of,
	// alias, path_segment, list_form.
	Rule    string
	Message string
}

// maxListedProblems bounds Error()'s length; Problems keeps them all.
const maxListedProblems = 10

// Error lists the problems, at most maxListedProblems of them.
func (e *InvalidRequestError) Error() string {
	var b strings.Builder
	b.WriteString("client: ")
	b.WriteString(e.Operation)
	b.WriteString(": invalid request, not sent: ")
	for i, p := range e.Problems {
		if i == maxListedProblems {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		if p.Field != "" {
			b.WriteString(p.Field)
			b.WriteString(": ")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}

// Is reports whether target is ErrInvalidRequest.
func (e *InvalidRequestError) Is(target error) bool { return target == ErrInvalidRequest }

// isLocalError reports whether err was decided before anything was sent
// and would be decided the same way again: such errors are never retried
// or polled through.
func isLocalError(err error) bool {
	for _, target := range []error{ErrInvalidRequest, ErrInvalidCredentials, ErrNoToken, ErrInvalidIdempotencyKey, ErrInvalidCorrelationID} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// validate checks cl (path, query and the JSON body about to be sent)
// against its operation's contract. A call without an operation (internal
// tests) is not checked.
func (cl *call) validate(body []byte) error {
	if cl.op == "" {
		return nil
	}
	op := operations[cl.op]
	if op == nil {
		return fmt.Errorf("client: internal error: %s is not an operation of openapi.yaml", cl.op)
	}
	v := &validator{}
	v.path(cl.op, cl.path, op.path)
	v.query(cl.query, op.query)
	if op.body != nil && cl.upload == nil {
		v.body(body, op)
	}
	if len(v.problems) == 0 {
		return nil
	}
	return &InvalidRequestError{Operation: cl.op, Problems: v.problems}
}

type validator struct {
	problems []Problem
}

func (v *validator) add(field, rule, format string, args ...any) {
	v.problems = append(v.problems, Problem{Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

// path checks every parameter segment of the escaped path against the
// template: an empty segment would turn GET .../orders/{order} into the
// list, and "." or ".." may be resolved by a proxy to another resource.
func (v *validator) path(op, path string, params []param) {
	tmpl := op[strings.IndexByte(op, ' ')+1:]
	if strings.Count(tmpl, "/") != strings.Count(path, "/") {
		v.add("", "path_segment", "the path has %d segments, openapi.yaml's template %d",
			strings.Count(path, "/"), strings.Count(tmpl, "/"))
		return
	}
	i := 0
	tmpl, path = strings.TrimPrefix(tmpl, "/"), strings.TrimPrefix(path, "/")
	for more := true; more; {
		var want, got string
		want, tmpl, more = strings.Cut(tmpl, "/")
		got, path, _ = strings.Cut(path, "/")
		if !strings.HasPrefix(want, "{") {
			continue
		}
		p := params[i]
		i++
		field := "{" + p.name + "}"
		raw, err := url.PathUnescape(got)
		switch {
		case err != nil:
			v.add(field, "path_segment", "is not a valid escaped path segment")
		case raw == "":
			v.add(field, "required", "must not be empty")
		case raw == "." || raw == "..":
			v.add(field, "path_segment", "must not be %q: a proxy may resolve it to another path", raw)
		default:
			v.scalar(field, raw, p.rule)
		}
	}
}

// query checks the declared parameters; undeclared ones (Filters for
// filters added to the server later) pass as they are.
func (v *validator) query(q url.Values, params []param) {
	for _, p := range params {
		vals, ok := q[p.name]
		switch {
		case !ok || len(vals) == 0:
			if p.required {
				v.add(p.name, "required", "is required")
			}
		case len(vals) > 1:
			v.add(p.name, "list_form", "is declared as one %s in openapi.yaml, not repeated", typeName(p.rule.types))
		default:
			v.scalar(p.name, vals[0], p.rule)
		}
		if _, ok := q[p.name+"[]"]; ok && !contains(p.rule.types, "array") {
			v.add(p.name, "list_form", "is declared as one %s in openapi.yaml: send %s=a,b, not %s[]=a&%s[]=b",
				typeName(p.rule.types), p.name, p.name, p.name)
		}
	}
}

// scalar checks a path or query value, which arrives as text, by the
// rules of the JSON value it stands for.
func (v *validator) scalar(field, s string, r *rule) {
	typ := "string"
	switch {
	case contains(r.types, "integer"):
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			v.add(field, "type", "must be an integer")
			return
		}
		typ = "integer"
	case contains(r.types, "number"):
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			v.add(field, "type", "must be a number")
			return
		}
		typ = "number"
	case contains(r.types, "boolean"):
		if s != "true" && s != "false" && s != "1" && s != "0" {
			v.add(field, "type", "must be a boolean")
		}
		return
	}
	if len(r.enum) == 0 && r.format == "" && r.minLen == 0 && r.maxLen == 0 && r.min == nil && r.max == nil {
		return // nothing more to check: the usual path of an id in a path
	}
	tok := []byte(s)
	if typ == "string" {
		tok, _ = json.Marshal(s) // the enums are JSON literals: "give"
	}
	w := walker{v: v}
	w.check(&fieldPath{name: []byte(field)}, r, typ, tok)
}

// body checks the JSON about to be sent.
func (v *validator) body(b []byte, op *operation) {
	if len(b) == 0 {
		if op.bodyRequired {
			v.add("", "required", "a request body is required")
		}
		return
	}
	v.walkBody(b, op.body)
}

// presence says which properties of an object the server reads as given.
type presence interface {
	present(name string) bool
}

// objectRules checks an object's own rules: required fields, the oneOf and
// anyOf alternatives, and aliases sent beside the field they stand for.
func (v *validator) objectRules(field string, o presence, r *rule, skip int) {
	for _, name := range r.required {
		if !o.present(name) {
			v.add(join(field, name), "required", "is required")
		}
	}
	if len(r.oneOf) > 0 {
		v.oneOf(field, o, r.oneOf)
	}
	if len(r.anyOf) > 0 && countSets(o, r.anyOf) == 0 {
		v.add(join(field, r.anyOf[0][0]), "any_of", "is required (one of %s)", setList(r.anyOf))
	}
	start := len(v.problems)
	for alias, canon := range r.aliases {
		if o.present(alias) && o.present(canon) && !inSets(alias, r.oneOf) && !inSets(alias, r.anyOf) {
			v.add(join(field, alias), "alias", "is an alias of %s: send one of them", canon)
		}
	}
	v.sortFrom(start, skip) // map order is random; problems are listed in a stable order
}

// sortFrom orders the problems added since start by the name of the
// object's property they concern (their field past skip bytes), keeping
// the order of one property's own problems, so file_intents.10 stays after
// file_intents.2. It costs nothing on the usual path, where there are none.
func (v *validator) sortFrom(start, skip int) {
	if len(v.problems)-start > 1 {
		sort.SliceStable(v.problems[start:], func(i, j int) bool {
			return propName(v.problems[start+i].Field, skip) < propName(v.problems[start+j].Field, skip)
		})
	}
}

// propName is the property part of field: from skip up to the next '.'.
func propName(field string, skip int) string {
	if skip > len(field) {
		return field
	}
	f := field[skip:]
	if i := strings.IndexByte(f, '.'); i >= 0 {
		return f[:i]
	}
	return f
}

func inSets(name string, sets [][]string) bool {
	for _, set := range sets {
		if contains(set, name) {
			return true
		}
	}
	return false
}

// oneOf wants exactly one complete set. With none, it names what a started
// set lacks, or lists the choices; with several, it names the clash.
func (v *validator) oneOf(field string, o presence, sets [][]string) {
	var complete [][]string
	for _, set := range sets {
		if setPresent(o, set) {
			complete = append(complete, set)
		}
	}
	switch {
	case len(complete) == 1:
		return
	case len(complete) > 1:
		names := make([]string, len(complete))
		for i, set := range complete {
			names[i] = strings.Join(set, " and ")
		}
		v.add(join(field, complete[1][0]), "one_of", "conflicts with %s: send one of %s", names[0], setList(sets))
		return
	}
	started := false
	for _, set := range sets {
		var have, lack []string
		for _, name := range set {
			if o.present(name) {
				have = append(have, name)
			} else {
				lack = append(lack, name)
			}
		}
		if len(have) > 0 {
			started = true
			for _, name := range lack {
				v.add(join(field, name), "one_of", "is required with %s", strings.Join(have, " and "))
			}
		}
	}
	if !started {
		v.add(join(field, sets[0][0]), "one_of", "is required (one of %s)", setList(sets))
	}
}

func setPresent(o presence, set []string) bool {
	for _, name := range set {
		if !o.present(name) {
			return false
		}
	}
	return true
}

func countSets(o presence, sets [][]string) int {
	n := 0
	for _, set := range sets {
		if setPresent(o, set) {
			n++
		}
	}
	return n
}

// join names a nested field the way the API's validation errors do:
// card.file_intent, file_intents.0.
func join(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// validFormat checks the formats openapi.yaml uses in requests.
func validFormat(format, s string) bool {
	switch format {
	case "uuid":
		return isUUID(s)
	case "email":
		at := strings.LastIndexByte(s, '@')
		return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n")
	case "uri":
		u, err := url.Parse(s)
		return err == nil && u.Scheme != "" && u.Host != ""
	case "date-time":
		_, err := time.Parse(time.RFC3339, s)
		return err == nil
	case "date":
		_, err := time.Parse(time.DateOnly, s)
		return err == nil
	}
	return true // formats without a request-side meaning (binary)
}

// isUUID reports whether s is 8-4-4-4-12 hex digits.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

func formatName(format string) string {
	switch format {
	case "uuid":
		return "a UUID (8-4-4-4-12 hex digits)"
	case "email":
		return "an email address"
	case "uri":
		return "an absolute URL"
	case "date-time":
		return "an RFC 3339 date-time"
	case "date":
		return "a date (YYYY-MM-DD)"
	}
	return "in format " + format
}

func typeName(types []string) string {
	if len(types) == 0 {
		return "value"
	}
	return strings.Join(types, " or ")
}

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// enumList prints enum literals without JSON quotes: paid, unpaid.
func enumList(enum []string) string {
	out := make([]string, len(enum))
	for i, e := range enum {
		if s, err := strconv.Unquote(e); err == nil {
			e = s
		}
		out[i] = e
	}
	return strings.Join(dedupe(out), ", ")
}

func dedupe(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func setList(sets [][]string) string {
	out := make([]string, len(sets))
	for i, set := range sets {
		out[i] = strings.Join(set, " and ")
	}
	return strings.Join(out, ", ")
}

func contains(ss []string, s string) bool {
	for _, t := range ss {
		if t == s {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
