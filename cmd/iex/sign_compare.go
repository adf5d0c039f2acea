package main

import (
	"fmt"
	"strings"

	"github.com/iexkit/exchanger-go/signer"
)

// canonicalLines names the seven lines of a v1 canonical string and what a
// difference in each usually means.
var canonicalLines = [7]struct{ name, hint string }{
	{"version", `the first line is the literal "v1"`},
	{"method", "the HTTP method, upper case"},
	{"path", "the path as sent, with the base URL's /api/v3 and without the query; escaped as on the wire"},
	{"canonical query", "not the query as sent: parsed with PHP's rules, flattened to name[key]=value, RFC 3986-encoded and sorted (docs/api.md §4.1)"},
	{"body SHA-256", "lowercase hex SHA-256 of the exact body bytes sent (of the file for uploads); of nothing for no body"},
	{"timestamp", "exactly the X-Api-Timestamp header"},
	{"nonce", "exactly the X-Api-Nonce header"},
}

// compareCanonical compares the user's canonical string (file, or - for
// stdin) with the one the server rebuilds, line by line; a difference is a
// refusal (exit 1).
func (a *app) compareCanonical(file string, p signer.Payload) error {
	var theirs []byte
	var err error
	if file == "-" {
		theirs, err = readBounded(a.stdin, "stdin")
	} else {
		theirs, err = readFile(file)
	}
	if err != nil {
		return err
	}
	want := strings.Split(p.Canonical(), "\n")
	got := strings.Split(string(theirs), "\n")
	w := a.stdout
	diffs := 0
	for i, line := range canonicalLines {
		g, ok := "", i < len(got)
		if ok {
			g = got[i]
		}
		if ok && g == want[i] {
			fmt.Fprintf(w, "  ok    %-16s %s\n", line.name, want[i])
			continue
		}
		diffs++
		fmt.Fprintf(w, "  DIFF  %-16s server: %q\n", line.name, want[i])
		if ok {
			fmt.Fprintf(w, "        %-16s yours:  %q\n", "", g)
		} else {
			fmt.Fprintf(w, "        %-16s yours:  (missing)\n", "")
		}
		fmt.Fprintf(w, "        %-16s %s\n", "", line.hint)
	}
	if len(got) > len(want) {
		diffs++
		extra := strings.Join(got[len(want):], "\n")
		if extra == "" {
			fmt.Fprintln(w, "  DIFF  your string ends with a newline; the canonical string has none after the nonce")
		} else {
			fmt.Fprintf(w, "  DIFF  your string has %d line(s) more: %q\n", len(got)-len(want), truncateText(extra, 80))
		}
	}
	if diffs > 0 {
		return &refusedError{fmt.Sprintf("sign: %d difference(s) with the canonical string the server rebuilds", diffs)}
	}
	fmt.Fprintln(w, "the canonical strings are the same: if the server still says invalid_signature, the HMAC secret differs")
	return nil
}
