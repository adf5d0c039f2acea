package main

import (
	"strings"
	"testing"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// A wrong HMAC secret is named as such: the fake sends its canonical
// string, the same as the SDK's.
func TestInvalidSignatureNamesTheSecret(t *testing.T) {
	_, env := fakeEnv(t, clienttest.WithKeyOptions(clienttest.KeyOptions{Name: "cli", HMAC: clienttest.HMACAll}))
	env[client.EnvHMACSecret] = "hs_wrong"
	r := iex(t, env, "", "call", "GET", "/private/ping?b=1&a=2")
	if r.code != exitClient || !strings.Contains(r.stderr, "the server rebuilt the canonical string the SDK signed: the HMAC secret is not the key's") {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "\n  canonical:\n    | v1\n    | GET\n    | /api/v3/private/ping\n    | a=2&b=1\n") {
		t.Fatalf("the server's canonical string is not shown line by line:\n%s", r.stderr)
	}
}

func TestSignatureHintsWhenTheStringsDiffer(t *testing.T) {
	ae := &client.APIError{Code: "invalid_signature", Canonical: "v1\nGET\n/a\n\nh\n1\nn", Details: map[string][]string{"canonical": {"v1\nGET\n/b\n\nh\n1\nn"}}}
	got := strings.Join(errorHints(ae), "\n")
	if !strings.Contains(got, "another canonical string; the SDK signed:\n  | v1\n  | GET\n  | /a\n  | \n") {
		t.Fatalf("hints:\n%s", got)
	}
}

// A validation_error's message already lists its field errors (up to a
// bound): the hints repeat only those it could not show.
func TestValidationHintsDoNotRepeatTheMessage(t *testing.T) {
	short := &client.APIError{StatusCode: 422, Code: "validation_error", Message: "The given data was invalid.",
		Details: map[string][]string{"amount": {"must be at least 10"}, "outcome_account": {"is required"}}}
	if !strings.Contains(short.Error(), `amount: "must be at least 10"`) {
		t.Fatalf("the client's message no longer lists the fields: %s", short.Error())
	}
	if h := errorHints(short); len(h) != 0 {
		t.Errorf("hints repeat the message %q: %q", short.Error(), h)
	}
	long := strings.Repeat("x", 150)
	many := &client.APIError{StatusCode: 422, Code: "validation_error", Details: map[string][]string{}}
	for _, f := range []string{"a", "b", "c", "d", "e", "f"} {
		many.Details[f] = []string{long}
	}
	many.Details["multi"] = []string{"line one\nline two"}
	h := strings.Join(errorHints(many), "\n")
	for _, f := range []string{"e:", "f:", "multi:"} {
		if !strings.Contains(h, f) {
			t.Errorf("hints %q miss %s, which the message %q cuts off", h, f, many.Error())
		}
	}
	if strings.Contains(h, "a: ") {
		t.Errorf("hints %q repeat field a, which the message shows", h)
	}
}
