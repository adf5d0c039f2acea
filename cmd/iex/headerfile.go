package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// maxHeaderLines bounds a headers file: a delivery has about a dozen.
const maxHeaderLines = 200

// parseHeaderFile reads the headers of a saved delivery, in one of the forms
// people save them in:
//
//   - HTTP header lines, "Name: value", as a raw request dump or curl -D
//     writes them; a first request or status line ("POST /hook HTTP/1.1")
//     is skipped, so is curl -v's "> " or "< " in front of each line, and
//     reading stops at the blank line before a body;
//   - a JSON object of names to a string or a list of strings, as
//     serverless platforms log them.
func parseHeaderFile(b []byte) (http.Header, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark from an editor
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '{' {
		return parseHeaderJSON(t)
	}
	h := http.Header{}
	var last string
	started := false
	for i, line := range strings.Split(string(b), "\n") {
		if i >= maxHeaderLines {
			return nil, fmt.Errorf("more than %d lines of headers", maxHeaderLines)
		}
		line = strings.TrimSuffix(line, "\r")
		if line == ">" || line == "<" {
			line = ""
		} else if len(line) >= 2 && (line[:2] == "> " || line[:2] == "< ") {
			line = line[2:]
		}
		if strings.TrimSpace(line) == "" {
			if started {
				break // the blank line before a body
			}
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && last != "" {
			vs := h[last]
			vs[len(vs)-1] += " " + strings.TrimSpace(line) // an obsolete folded line
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || !validHeaderName(name) {
			if !started && isStartLine(line) {
				started = true
				continue
			}
			return nil, fmt.Errorf("line %d is not a header (Name: value): %q", i+1, truncateText(line, 60))
		}
		started = true
		last = http.CanonicalHeaderKey(name)
		h[last] = append(h[last], strings.TrimSpace(value))
	}
	if len(h) == 0 {
		return nil, fmt.Errorf("no headers found")
	}
	return h, nil
}

// parseHeaderJSON reads {"Name": "value" | ["value", ...]}.
func parseHeaderJSON(b []byte) (http.Header, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("JSON headers: %v", err)
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("no headers found")
	}
	if len(raw) > maxHeaderLines {
		return nil, fmt.Errorf("more than %d headers", maxHeaderLines)
	}
	h := http.Header{}
	for name, v := range raw {
		if !validHeaderName(name) {
			return nil, fmt.Errorf("JSON headers: %q is not a header name", truncateText(name, 60))
		}
		var one string
		var list []string
		switch {
		case json.Unmarshal(v, &one) == nil:
			list = []string{one}
		case json.Unmarshal(v, &list) == nil:
		default:
			return nil, fmt.Errorf("JSON headers: %s is neither a string nor a list of strings", name)
		}
		// Keep the name as written: Verify matches names ignoring case.
		h[name] = append(h[name], list...)
	}
	return h, nil
}

// isStartLine reports whether line looks like "METHOD /path HTTP/1.1" or
// "HTTP/1.1 200 OK".
func isStartLine(line string) bool {
	f := strings.Fields(line)
	return len(f) >= 2 && (strings.HasPrefix(f[0], "HTTP/") || strings.HasPrefix(f[len(f)-1], "HTTP/"))
}

// validHeaderName reports whether s is an HTTP token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// truncateText cuts s for a message.
func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// dumpBody returns what follows the blank line after the headers of a raw
// request dump, byte for byte; ok is false when the file has no body there.
func dumpBody(b []byte) (body []byte, ok bool) {
	start := len(b) - len(bytes.TrimLeft(b, "\r\n")) // blank lines before the headers
	rest := b[start:]
	i, n := bytes.Index(rest, []byte("\r\n\r\n")), 4
	if j := bytes.Index(rest, []byte("\n\n")); j >= 0 && (i < 0 || j < i) {
		i, n = j, 2
	}
	if i < 0 || i+n >= len(rest) {
		return nil, false
	}
	return rest[i+n:], true
}
