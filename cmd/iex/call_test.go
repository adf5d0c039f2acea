package main

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// envelopeOf decodes an answer printed by iex call.
func envelopeOf(t *testing.T, out string) (state int, result json.RawMessage, code string) {
	t.Helper()
	var env struct {
		State  int             `json:"state"`
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(out), &env); err != nil {
		t.Fatalf("stdout is not one JSON envelope: %v\n%s", err, out)
	}
	if env.Error != nil {
		code = env.Error.Code
	}
	return env.State, env.Result, code
}

// A signed GET with a query, against a fake that wants every request
// signed; piped output is the body as received.
func TestCallGetSignedWithQuery(t *testing.T) {
	s, env := fakeEnv(t, clienttest.WithKeyOptions(clienttest.KeyOptions{Name: "cli", HMAC: clienttest.HMACAll}))
	r := iex(t, env, "", "call", "GET", "/private/exchange/routes?per_page=1", "-q", "page=1")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if state, _, _ := envelopeOf(t, r.stdout); state != 0 || strings.Contains(r.stdout, "\n  ") {
		t.Fatalf("want the raw envelope, got:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, `"per_page":1`) {
		t.Fatalf("query not sent: %s", r.stdout)
	}
	if n := s.Stats().Operations["GET /private/exchange/routes"]; n != 1 {
		t.Fatalf("%d requests", n)
	}
	noSecrets(t, r.stdout+r.stderr, env[client.EnvToken], env[client.EnvHMACSecret])

	r = iex(t, env, "", "call", "--pretty", "GET", "/ping")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "{\n  \"state\": 0,") {
		t.Fatalf("--pretty: exit %d:\n%s", r.code, r.stdout)
	}
}

// A write with a body from a file and a business key: the second run with
// the same key is a replay, visible in --include's headers.
func TestCallWriteWithIdempotencyKey(t *testing.T) {
	s, env := fakeEnv(t)
	order := orderBody(t, s)
	file := writeTemp(t, "order.json", order)
	args := []string{"call", "POST", "/private/exchange/orders", "-d", "@" + file, "--idempotency-key", "cli-order-0001", "-i"}
	first := iex(t, env, "", args...)
	second := iex(t, env, "", args...)
	for _, r := range []result{first, second} {
		if r.code != exitOK {
			t.Fatalf("exit %d: %s\n%s", r.code, r.stderr, r.stdout)
		}
	}
	if !strings.HasPrefix(first.stdout, "HTTP 201 Created\n") || strings.Contains(first.stdout, "Idempotency-Replayed: true") {
		t.Fatalf("first:\n%s", first.stdout)
	}
	if !strings.Contains(second.stdout, "Idempotency-Replayed: true\n") {
		t.Fatalf("second is not a replay:\n%s", second.stdout)
	}
	if n := len(s.Orders()); n != 1 {
		t.Fatalf("%d orders, want 1", n)
	}
	// The body comes from stdin too.
	r := iex(t, env, order, "call", "POST", "/private/exchange/orders", "-d", "@-")
	if r.code != exitOK || len(s.Orders()) != 2 {
		t.Fatalf("exit %d, %d orders: %s", r.code, len(s.Orders()), r.stderr)
	}
}

// orderBody is a valid order for the fake's first route.
func orderBody(t *testing.T, _ *clienttest.Server) string {
	t.Helper()
	rt := clienttest.DefaultSeed().Routes[0]
	b, _ := json.Marshal(map[string]any{
		"route_id": rt.ID, "amount": rt.MinGive, "income_account": "TXYZabc", "outcome_account": "4111111111111111", "type_rate": "fixed",
		"email": "user@example.com",
	})
	return string(b)
}

// Exit codes tell a refusal (4xx), a server failure (5xx), a network
// failure and a missing setting apart; the error answer's body is printed.
func TestCallExitCodes(t *testing.T) {
	s, env := fakeEnv(t)
	r := iex(t, env, "", "call", "GET", "/private/exchange/orders/nope")
	if r.code != exitClient || !strings.Contains(r.stderr, "404") {
		t.Fatalf("404: exit %d, stderr %s", r.code, r.stderr)
	}
	if state, _, _ := envelopeOf(t, r.stdout); state != 1 {
		t.Fatalf("404 body: %s", r.stdout)
	}

	r = iex(t, env, "", "call", "POST", "/private/exchange/orders", "-d", `{"route_id":1}`)
	// The field error is in the message, once (not repeated under it).
	if r.code != exitClient || !strings.Contains(r.stderr, "validation_error") ||
		strings.Count(r.stderr, "The amount field is required.") != 1 {
		t.Fatalf("422: exit %d, stderr %s", r.code, r.stderr)
	}

	if err := s.FailNext("GET /private/ping", 10, http.StatusServiceUnavailable); err != nil {
		t.Fatal(err)
	}
	r = iex(t, env, "", "call", "GET", "/private/ping", "--max-attempts", "2")
	if r.code != exitServer || !strings.Contains(r.stderr, "503") || s.Stats().Operations["GET /private/ping"] != 2 {
		t.Fatalf("503: exit %d, %d requests, stderr %s", r.code, s.Stats().Operations["GET /private/ping"], r.stderr)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/api/v3"
	ln.Close()
	r = iex(t, env, "", "call", "GET", "/ping", "--base-url", closed, "--max-attempts", "2")
	if r.code != exitNetwork {
		t.Fatalf("refused connection: exit %d, stderr %s", r.code, r.stderr)
	}

	noToken := map[string]string{client.EnvBaseURL: env[client.EnvBaseURL]}
	r = iex(t, noToken, "", "call", "GET", "/private/ping")
	if r.code != exitConfig || !strings.Contains(r.stderr, client.EnvToken) {
		t.Fatalf("no token: exit %d, stderr %s", r.code, r.stderr)
	}
	r = iex(t, nil, "", "call", "GET", "/ping")
	if r.code != exitConfig || !strings.Contains(r.stderr, client.EnvBaseURL) {
		t.Fatalf("no base URL: exit %d, stderr %s", r.code, r.stderr)
	}
	r = iex(t, env, "", "call", "GET", "/private/exchange/orders/..")
	if r.code != exitClient || r.stdout != "" {
		t.Fatalf("dot segment: exit %d, stdout %q", r.code, r.stdout)
	}
}

// The token can come from a file; a token given as a flag's value does not
// exist.
func TestCallReadsSecretsFromFiles(t *testing.T) {
	_, env := fakeEnv(t)
	tokenFile := writeTemp(t, "token", env[client.EnvToken]+"\n")
	secretFile := writeTemp(t, "hmac", env[client.EnvHMACSecret]+"\r\n")
	base := map[string]string{client.EnvBaseURL: env[client.EnvBaseURL]}
	r := iex(t, base, "", "call", "DELETE", "/private/exchange/orders/1", "--token-file", tokenFile, "--hmac-secret-file", secretFile)
	// Signed and authenticated: the fake gets as far as looking the order up.
	if r.code != exitClient || !strings.Contains(r.stderr, "404") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if r := iex(t, base, "", "call", "GET", "/private/ping", "--token", "x"); r.code != exitUsage {
		t.Fatalf("--token accepted: exit %d", r.code)
	}
}

// A path copied with the base URL's /api/v3 is taken below it; a document
// is printed as it is.
func TestCallPathsAndDocuments(t *testing.T) {
	_, env := fakeEnv(t)
	r := iex(t, env, "", "call", "GET", "/api/v3/ping")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	r = iex(t, env, "", "call", "GET", "/openapi.yaml")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "openapi:") {
		t.Fatalf("exit %d: %.100s", r.code, r.stdout)
	}
}

// --paginate walks a list in page mode and in cursor mode, one answer a
// page.
func TestCallPaginate(t *testing.T) {
	_, env := fakeEnv(t)
	routes := len(clienttest.DefaultSeed().Routes)
	for _, mode := range [][]string{nil, {"-q", "pagination=cursor"}} {
		args := append([]string{"call", "GET", "/private/exchange/routes", "-q", "per_page=1", "--paginate"}, mode...)
		r := iex(t, env, "", args...)
		lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
		if r.code != exitOK || len(lines) != routes {
			t.Fatalf("%v: exit %d, %d pages for %d routes: %s", mode, r.code, len(lines), routes, r.stderr)
		}
		seen := map[string]bool{}
		for _, l := range lines {
			_, result, _ := envelopeOf(t, l)
			seen[string(result)] = true
		}
		if len(seen) != routes {
			t.Fatalf("%v: pages repeat: %d distinct of %d", mode, len(seen), routes)
		}
	}
	if r := iex(t, env, "", "call", "POST", "/private/exchange/quotes", "--paginate"); r.code != exitUsage {
		t.Fatalf("--paginate on a POST: exit %d", r.code)
	}
}
