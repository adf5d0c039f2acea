package signer

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// This file models PHP's query parser (parse_str: php_default_treat_data and
// php_register_variable_ex in main/php_variables.c, PHP 8.3 and later, default
// php.ini) closely enough to reproduce every array it can build. The rule
// numbers refer to docs/api.md 4.1.

// PHP's default limits. The server runs with the defaults; a query beyond
// them is cut (max_input_vars) or loses a variable (max_input_nesting_level)
// on the server, so it must here too.
const (
	phpMaxInputVars     = 1000 // pieces read; the rest of the query is ignored
	phpMaxNestingLevels = 64   // [..] groups in one name; more drops the whole base variable
)

// phpArray is what parse_str builds: keys are strings or integers, values
// are strings or nested arrays.
//
// A key is stored as its text. That is exact because PHP turns a key into an
// integer only when its text is the canonical decimal form of that integer
// (rule 7), so the integer 1 and the string "1" can never both exist, while
// "01" stays a distinct string key.
type phpArray struct {
	entries map[string]phpValue // values inline: no allocation per value
	// nextFree is PHP's nNextFreeElement: the key the next append gets. It is
	// meaningless until hasNext is set by the first integer key (PHP 8.3+:
	// one more than the largest integer key so far, which may be negative).
	nextFree int64
	hasNext  bool
}

// phpValue is a string, or an array when arr is not nil.
type phpValue struct {
	str string
	arr *phpArray
}

func newPHPArray() *phpArray {
	return &phpArray{entries: make(map[string]phpValue)}
}

// set stores v under key, replacing whatever was there (rule 8).
func (a *phpArray) set(key string, v phpValue) {
	if n, ok := phpIntegerKey(key); ok {
		a.noteIntegerKey(n)
	}
	a.entries[key] = v
}

// appendValue stores v under the next integer key (rule 5). Like PHP, it
// fails when that key is taken, which only happens once the keys have reached
// math.MaxInt64.
func (a *phpArray) appendValue(v phpValue) bool {
	var n int64
	if a.hasNext {
		n = a.nextFree
	}
	key := strconv.FormatInt(n, 10)
	if _, taken := a.entries[key]; taken {
		return false
	}
	a.noteIntegerKey(n)
	a.entries[key] = v
	return true
}

func (a *phpArray) noteIntegerKey(n int64) {
	if !a.hasNext || n >= a.nextFree {
		a.hasNext = true
		if n < math.MaxInt64 {
			a.nextFree = n + 1
		} else {
			a.nextFree = math.MaxInt64
		}
	}
}

// childArray returns the array stored under key, replacing a missing entry or
// a string with a new empty array (rule 8).
func (a *phpArray) childArray(key string) *phpArray {
	if v, ok := a.entries[key]; ok && v.arr != nil {
		return v.arr
	}
	child := newPHPArray()
	a.set(key, phpValue{arr: child})
	return child
}

// phpIntegerKey reports whether PHP turns the array key s into an integer
// (ZEND_HANDLE_NUMERIC_STR): an optional '-', then decimal digits without a
// leading zero (so "0" is an integer but "-0", "01", "+1" and " 1" are not),
// within the signed 64-bit range.
func phpIntegerKey(s string) (int64, bool) {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || len(digits) > 19 || digits[0] == '0' && len(s) > 1 {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// parsePHPQuery parses rawQuery the way PHP's parse_str does.
func parsePHPQuery(rawQuery string) *phpArray {
	// Size the top level for the pieces there are: growing a map of
	// hundreds of names rehashes it several times.
	top := &phpArray{entries: make(map[string]phpValue, min(strings.Count(rawQuery, "&")+1, phpMaxInputVars))}
	var scratch []byte // registerPHPVariable's copy of the name, reused
	pieces := 0
	for rest := rawQuery; rest != ""; {
		var piece string
		piece, rest, _ = strings.Cut(rest, "&")
		if piece == "" { // rule 1: empty pieces are skipped and not counted
			continue
		}
		if pieces++; pieces > phpMaxInputVars {
			break
		}
		name, value, _ := strings.Cut(piece, "=") // rule 1: no '=' means ""
		scratch = registerPHPVariable(top, phpURLDecode(name), phpURLDecode(value), scratch)
	}
	return top
}

// registerPHPVariable stores value under the decoded name, following
// php_register_variable_ex step by step. It edits a copy of name in
// scratch, which it returns for the next call (keys are copied out of it).
func registerPHPVariable(top *phpArray, name, value string, scratch []byte) []byte {
	// Rule 3: the name is a C string in PHP, so a decoded NUL ends it; then
	// leading spaces go.
	if i := strings.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	name = strings.TrimLeft(name, " ")

	// Rule 4: in the base name, spaces and dots become '_'. The copy is
	// edited in place, as PHP edits its copy.
	buf := append(scratch[:0], name...)
	bracket := -1
	mangled := false
	for i, c := range buf {
		if c == ' ' || c == '.' {
			buf[i] = '_'
			mangled = true
		} else if c == '[' {
			bracket = i
			break
		}
	}
	baseLen := len(buf)
	if bracket >= 0 {
		baseLen = bracket
	}
	base := buf[:baseLen]
	// PHP discards a name that mangling made look like a __Host- or
	// __Secure- cookie name.
	for _, prefix := range [...]string{"__Host-", "__Secure-"} {
		if bytes.HasPrefix(base, []byte(prefix)) && !strings.HasPrefix(name, prefix) {
			return buf
		}
	}
	if baseLen == 0 { // rule 4: an empty base name drops the pair
		return buf
	}

	target := top
	// The key the value will be stored under. Keys are cut from name, not
	// copied out of buf, unless mangling changed them: buf is the caller's
	// scratch, and name's bytes are the same wherever buf was not edited.
	key := name[:baseLen]
	if mangled {
		key = string(base)
	}
	appendKey := false // store with the next integer key instead of key
	if bracket >= 0 {
		ip := bracket
		for level := 1; ; level++ {
			if level > phpMaxNestingLevels {
				delete(top.entries, string(base))
				return buf
			}
			ip++ // past '['
			start := ip
			if ip < len(buf) && isCSpace(buf[ip]) {
				ip++
			}
			nextKey, nextAppend := "", false
			if ip < len(buf) && buf[ip] == ']' {
				nextAppend = true // rule 5: "[]" or one whitespace byte appends
			} else {
				end := bytes.IndexByte(buf[ip:], ']')
				if end < 0 {
					// Rule 6: an unterminated '['. In the first group, the
					// name is not an array after all: that '[' and every
					// space, '.' and '[' after it become '_'. In a later
					// group, the rest of the name is ignored.
					if level == 1 {
						buf[bracket] = '_'
						for i := start; i < len(buf); i++ {
							if c := buf[i]; c == ' ' || c == '.' || c == '[' {
								buf[i] = '_'
							}
						}
						key = string(buf)
					}
					break
				}
				ip += end
				nextKey = name[start:ip] // group bytes are never edited before this
			}

			// Descend into (or create) the array the group indexes.
			if appendKey {
				child := newPHPArray()
				if !target.appendValue(phpValue{arr: child}) {
					return buf
				}
				target = child
			} else {
				target = target.childArray(key)
			}
			key, appendKey = nextKey, nextAppend

			ip++ // past ']'
			if ip >= len(buf) || buf[ip] != '[' {
				break // rule 6: anything after ']' but '[' ends the name
			}
		}
	}

	v := phpValue{str: value}
	if appendKey {
		target.appendValue(v) // a failed append drops the value, as in PHP
		return buf
	}
	target.set(key, v)
	return buf
}

// isCSpace is C's isspace in the "C" locale.
func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
