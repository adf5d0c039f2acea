package main

import (
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/iexkit/exchanger-go/client"
)

// errorHints are the lines under an error that help to act on it: the
// field errors of a validation_error that its message does not already
// show (it repeats them up to a bound, one line each, and quotes them), what
// an invalid_signature means, where a missing setting comes from.
func errorHints(err error) []string {
	var hints []string
	var ae *client.APIError
	if errors.As(err, &ae) {
		shown := err.Error()
		fields := make([]string, 0, len(ae.Details))
		for f := range ae.Details {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			if inMessage(shown, f, ae.Details[f]) {
				continue
			}
			msg := strings.Join(ae.Details[f], "; ")
			if !strings.Contains(msg, "\n") {
				hints = append(hints, f+": "+msg)
				continue
			}
			hints = append(hints, f+":")
			hints = append(hints, block(msg)...)
		}
		if len(ae.Details) == 0 && len(ae.RawDetails) > 0 && len(ae.RawDetails) <= 1024 {
			hints = append(hints, "details: "+string(ae.RawDetails))
		}
		if ae.Code == "invalid_signature" {
			hints = append(hints, signatureHints(ae)...)
		}
	}
	if errors.Is(err, client.ErrNoToken) {
		hints = append(hints, "set $"+client.EnvToken+" or pass --token-file")
	}
	return hints
}

// inMessage reports whether the error's one-line message already shows
// every message of a field whole, as the client writes them: field: "msg".
func inMessage(shown, field string, msgs []string) bool {
	for _, m := range msgs {
		if strings.Contains(m, "\n") || !strings.Contains(shown, field+": "+strconv.Quote(m)) {
			return false
		}
	}
	return len(msgs) > 0
}

// signatureHints explain an invalid_signature: with the server's canonical
// string in the details (some deployments send it), whether the strings or
// the secrets differ.
func signatureHints(ae *client.APIError) []string {
	var server string
	if c := ae.Details["canonical"]; len(c) == 1 {
		server = c[0]
	}
	switch {
	case ae.Canonical == "":
		return []string{"the HMAC secret is not the key's ($" + client.EnvHMACSecret + "), or the server rebuilt another canonical string (iex sign --explain shows the rules)"}
	case server == ae.Canonical:
		return []string{"the server rebuilt the canonical string the SDK signed: the HMAC secret is not the key's ($" + client.EnvHMACSecret + ")"}
	case server != "":
		return append([]string{"the server rebuilt another canonical string; the SDK signed:"}, block(ae.Canonical)...)
	}
	return append([]string{"the HMAC secret is not the key's ($" + client.EnvHMACSecret + "), or the server rebuilt another canonical string; the SDK signed:"}, block(ae.Canonical)...)
}

// block shows a multi-line text, each line marked so that empty lines and
// trailing spaces stay visible.
func block(s string) []string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = "  | " + l
	}
	return lines
}
