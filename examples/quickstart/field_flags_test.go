package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
	"github.com/iexkit/exchanger-go/examples/internal/demo"
)

// -create against a real exchanger without the outcome account the route
// needs stops before creating anything, and says which flag to pass.
func TestCreateWithoutOutcomeAccountNamesTheFlag(t *testing.T) {
	srv := clienttest.NewServer(t)
	key := srv.Key()
	var out, logs bytes.Buffer
	e := demo.Env{Getenv: mapEnv(map[string]string{demo.EnvBaseURL: srv.URL, demo.EnvToken: key.Token, demo.EnvHMACSecret: key.HMACSecret}), Stderr: &logs}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err := runEnv(ctx, &out, []string{"-create"}, e)
	if err == nil {
		t.Fatalf("an order without its outcome account went through:\n%s", out.String())
	}
	const want = "missing outcome_account; pass -outcome-account <value>"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
	mustMatch(t, out.String(),
		`(?m)^preflight +allowed false, can_create_order false, missing: outcome_account \(required\)\n +pass -outcome-account <value>$`)
	if n := len(srv.Orders()); n != 0 {
		t.Errorf("%d orders created", n)
	}
}

func TestFlagHint(t *testing.T) {
	for _, tc := range []struct {
		fields []string
		want   string
	}{
		{nil, ""},
		{[]string{"outcome_account"}, "pass -outcome-account <value>"},
		{[]string{"amount", "income_account", "amount"}, "pass -amount <value> -income-account <value>"},
		{[]string{"outcome_account", "kyc_level"}, "pass -outcome-account <value>; no flag of quickstart sets kyc_level: try another -route"},
	} {
		if got := flagHint(tc.fields); got != tc.want {
			t.Errorf("flagHint(%q) = %q, want %q", tc.fields, got, tc.want)
		}
	}
	err := fmt.Errorf("wrapped: %w", &client.APIError{StatusCode: 422, Code: "validation_error",
		Details: map[string][]string{"outcome_account": {"required"}, "amount": {"too small"}}})
	if got := flagHint(refusedFields(err)); got != "pass -amount <value> -outcome-account <value>" {
		t.Errorf("hint of a validation_error: %q", got)
	}
}
