package main

import (
	"errors"
	"slices"
	"strings"

	"github.com/iexkit/exchanger-go/client"
)

// fieldFlags names the flag that sets each order field an exchanger may ask
// for, so that a refusal tells a first-time user what to type next rather
// than only which API field is missing.
var fieldFlags = map[string]string{
	"outcome_account": "-outcome-account",
	"income_account":  "-income-account",
	"amount":          "-amount",
	"route_id":        "-route",
}

// flagHint says which flags set the given fields, e.g. "pass
// -outcome-account <value>"; fields no flag sets are named as such. It is
// empty without fields.
func flagHint(fields []string) string {
	var pass, other []string
	for _, f := range fields {
		if fl, ok := fieldFlags[f]; ok {
			if !slices.Contains(pass, fl+" <value>") {
				pass = append(pass, fl+" <value>")
			}
		} else {
			other = append(other, f)
		}
	}
	var parts []string
	if len(pass) > 0 {
		parts = append(parts, "pass "+strings.Join(pass, " "))
	}
	if len(other) > 0 {
		parts = append(parts, "no flag of quickstart sets "+strings.Join(other, ", ")+": try another -route")
	}
	return strings.Join(parts, "; ")
}

// refusedFields returns the fields of a validation_error, sorted.
func refusedFields(err error) []string {
	var ae *client.APIError
	if !errors.As(err, &ae) || len(ae.Details) == 0 {
		return nil
	}
	fields := make([]string, 0, len(ae.Details))
	for f := range ae.Details {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	return fields
}
