package client

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bounds of the field errors an APIError's message repeats: users read
// logs, not structs, but a hostile or verbose server must not make an error
// string unbounded. Details keeps them all.
const (
	detailMessageMax = 160 // bytes of one field message
	detailTotalMax   = 600 // bytes of the whole list, then "and N more"
)

// writeFieldErrors appends the field messages of a validation_error, sorted
// by field, as ` (amount: "must be at least 10"; outcome_account: "...")`.
// Messages are quoted, so a newline or control character in them cannot
// forge a log line.
func (e *APIError) writeFieldErrors(b *strings.Builder) {
	if len(e.Details) == 0 || (e.Code != "validation_error" && !(e.Code == "" && e.StatusCode == 422)) {
		return
	}
	fields := make([]string, 0, len(e.Details))
	for f := range e.Details {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	var list strings.Builder
	left := 0
	for _, f := range fields {
		left += max(len(e.Details[f]), 1)
	}
	for _, f := range fields {
		msgs := e.Details[f]
		if len(msgs) == 0 {
			msgs = []string{""}
		}
		for _, m := range msgs {
			item := cleanField(f) + ": " + strconv.Quote(truncate(m, detailMessageMax))
			if list.Len() > 0 && list.Len()+len(item) > detailTotalMax {
				fmt.Fprintf(&list, "; and %d more", left)
				b.WriteString(" (" + list.String() + ")")
				return
			}
			if list.Len() > 0 {
				list.WriteString("; ")
			}
			list.WriteString(item)
			left--
		}
	}
	b.WriteString(" (" + list.String() + ")")
}

// cleanField bounds a field name and keeps it on one line.
func cleanField(f string) string {
	f = truncate(f, 64)
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return '?'
		}
		return r
	}, f)
}

// Where the HMAC secret of an attempt came from (keyring.origin), named in
// the hint of an invalid_signature error. The secret itself never is.
const (
	originOption         = "WithHMACSecret"
	originEnv            = "the environment variable " + EnvHMACSecret
	originSource         = "the CredentialsSource"
	originSetCredentials = "SetCredentials"
	originRotation       = "the credentials given to RotateCredentials"
	originNone           = "none" // the attempt was not signed
)

// writeSignatureHint appends, for invalid_signature, where the secret must
// come from and where this client took it from.
func (e *APIError) writeSignatureHint(b *strings.Builder) {
	if e.Code != "invalid_signature" {
		return
	}
	b.WriteString(" (hint: sign with the HMAC secret issued with this API token in the exchanger's cabinet, not a webhook secret")
	switch e.secretOrigin {
	case "":
	case originNone:
		b.WriteString("; this client sent no signature: set WithHMACSecret or " + EnvHMACSecret)
	default:
		b.WriteString("; this client's came from " + e.secretOrigin)
	}
	if e.Canonical != "" {
		b.WriteString("; compare APIError.Canonical with the server's error.details.canonical")
	}
	b.WriteString(")")
}
