package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestSecretsNeverLeak formats every exported value of the pipeline and
// runs every error path with debug logging on, then greps all of it for the
// token and the secret.
func TestSecretsNeverLeak(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	textLogger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	f := newFakeExchanger(t, func(n int, a attempt, w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v3/private/health/client":
			writeOK(w, healthBody("ok", "k", []string{"*"}, true, timeIn(0)), "h")
		case "/api/v3/private/echo":
			// A broken proxy that echoes the request headers into an HTML page.
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			fmt.Fprintf(w, "<html>%s %s</html>", a.Header.Get("Authorization"), testSecret)
		case "/api/v3/private/sig":
			writeErr(w, 401, "invalid_signature", "r", nil)
		case "/api/v3/private/validation":
			writeErr(w, 422, "validation_error", "r", map[string]any{"amount": []string{"bad"}})
		case "/api/v3/private/hang":
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		case "/api/v3/private/redirect":
			http.Redirect(w, r, "https://elsewhere.example/x?session=1", http.StatusFound)
		default:
			w.Header().Set("Retry-After", "0")
			writeErr(w, 503, "", "r", nil)
		}
	})
	c := newTestClient(t, f, WithLogger(logger), WithRetry(RetryPolicy{MaxAttempts: 2, MinBackoff: 1, MaxBackoff: 1}))
	c2, err := New(f.URL+"/api/v3", WithLogger(textLogger), WithRetry(fastRetry), WithCredentialsSource(StaticCredentials{Token: testToken, HMACSecret: testSecret}))
	if err != nil {
		t.Fatal(err)
	}

	var out []string
	add := func(vs ...any) {
		for _, v := range vs {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
				out = append(out, fmt.Sprintf(verb, v))
			}
		}
	}
	creds := Credentials{Token: testToken, HMACSecret: testSecret}
	add(c, c2, creds, &creds, StaticCredentials(creds), RetryPolicy{}, RateLimit{}, Quota{}, KeyInfo{}, Health{}, Pong{}, RotateOptions{})
	logger.Info("credentials", "creds", creds, "static", StaticCredentials(creds), "client", c)
	textLogger.Info("credentials", "creds", creds, "client", c)

	ctx := context.Background()
	paths := []*call{
		{method: "GET", path: "/private/echo", scope: "s"},
		{method: "GET", path: "/private/sig", scope: "s", query: map[string][]string{"q": {"1"}}},
		{method: "POST", path: "/private/validation", body: map[string]any{"a": 1}, idempotent: true, scope: "s"},
		{method: "POST", path: "/private/hang", body: map[string]any{"a": 1}, idempotent: true, scope: "s"},
		{method: "GET", path: "/private/redirect", scope: "s"},
		{method: "GET", path: "/private/down", scope: "s"},
	}
	for _, cl := range paths {
		for _, cc := range []*Client{c, c2} {
			var r Response
			_, err := cc.do(ctx, cl, nil, []CallOption{WithResponse(&r)})
			if err == nil {
				t.Fatalf("%s: no error", cl.path)
			}
			add(err, r)
			var ae *APIError
			if errors.As(err, &ae) {
				add(*ae)
			}
		}
	}
	_, err = c.RotateCredentials(ctx, Credentials{Token: testToken + "-new", HMACSecret: testSecret + "-new"}, RotateOptions{SimulateOrder: map[string]any{}})
	add(err)
	noTok, _ := New(f.URL + "/api/v3")
	_, err = noTok.do(ctx, statusCall("1"), nil, nil)
	add(err)
	_, err = New(f.URL+"/api/v3", WithCredentialsSource(StaticCredentials(creds)), WithToken(testToken))
	add(err)
	src := failingSource{}
	c3, _ := New(f.URL+"/api/v3", WithLogger(logger), WithCredentialsSource(src))
	_, err = c3.do(ctx, statusCall("1"), nil, nil)
	add(err)
	h, err := c.ClientHealth(ctx)
	add(h, err)

	all := strings.Join(out, "\n") + "\n" + logs.String()
	for _, secret := range []string{testToken, testSecret} {
		if strings.Contains(all, secret) {
			i := strings.Index(all, secret)
			lo := i - 200
			if lo < 0 {
				lo = 0
			}
			t.Fatalf("secret %q leaked near: %s", secret[:6], all[lo:i+len(secret)])
		}
	}
	if !strings.Contains(all, "REDACTED") || !strings.Contains(logs.String(), "client:") {
		t.Fatal("the test saw no redacted values or no pipeline logs: it proves nothing")
	}
}

type failingSource struct{}

func (failingSource) Credentials(context.Context) (Credentials, error) {
	return Credentials{}, io.ErrUnexpectedEOF
}
