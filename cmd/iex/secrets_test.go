package main

import (
	"strings"
	"testing"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// No command shows the token or the HMAC secret, on success or failure,
// with the SDK's debug log on (-v) or not.
func TestNoCommandPrintsASecret(t *testing.T) {
	s, env := fakeEnv(t, clienttest.WithKeyOptions(clienttest.KeyOptions{Name: "cli", HMAC: clienttest.HMACAll}))
	tracking := createOrder(t, s, env)
	wrong := map[string]string{client.EnvBaseURL: env[client.EnvBaseURL], client.EnvToken: env[client.EnvToken], client.EnvHMACSecret: "hs_wrong_secret_value"}
	var all strings.Builder
	for _, run := range []struct {
		env  map[string]string
		args []string
	}{
		{env, []string{"call", "-v", "-i", "GET", "/private/exchange/routes"}},
		{env, []string{"call", "-v", "POST", "/private/exchange/orders", "-d", `{"route_id":1}`}},
		{wrong, []string{"call", "-v", "GET", "/private/ping"}},
		{env, []string{"sign", "--explain", "POST", "/private/exchange/orders", "-d", "{}"}},
		{env, []string{"orders", "wait", "-v", "--timeout", "50ms", tracking}},
		{env, []string{"trigger", "-v", "api.test"}},
	} {
		r := iex(t, run.env, "", run.args...)
		all.WriteString(r.stdout + r.stderr)
	}
	if !strings.Contains(all.String(), "invalid_signature") || !strings.Contains(all.String(), "level=DEBUG") {
		t.Fatalf("the runs did not reach the paths under test:\n%s", all.String())
	}
	noSecrets(t, all.String(), env[client.EnvToken], env[client.EnvHMACSecret], "hs_wrong_secret_value",
		strings.SplitN(env[client.EnvToken], "|", 2)[1])
}
