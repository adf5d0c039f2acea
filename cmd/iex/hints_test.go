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
