package client_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// failingSource is a credentials source that cannot answer.
type failingSource struct{}

func (failingSource) Credentials(context.Context) (client.Credentials, error) {
	return client.Credentials{}, errors.New("vault sealed")
}

// Secret hygiene, error paths: every way a call can fail, with debug logging
// into a buffer and every error formatted with every verb. No token or
// secret of any key involved appears anywhere.
func TestProofHygieneErrorPaths(t *testing.T) {
	t.Parallel() // it waits on its own fake; see TestMain
	s := clienttest.NewServer(t, clienttest.WithKeyOptions(clienttest.KeyOptions{HMAC: clienttest.HMACAll}))
	k := s.Key()
	narrow, err := s.CreateKey(clienttest.KeyOptions{Name: "narrow", Scopes: []string{"orders:read"}, HMAC: clienttest.HMACAll})
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := s.CreateKey(clienttest.KeyOptions{Name: "revoked"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeKey(revoked.Token); err != nil {
		t.Fatal(err)
	}
	secrets := []string{k.Token, k.HMACSecret, narrow.Token, narrow.HMACSecret, revoked.Token, revoked.HMACSecret}

	var logs syncBuffer
	var out bytes.Buffer
	record := func(label string, err error) {
		if err == nil {
			t.Errorf("%s: no error", label)
			return
		}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			fmt.Fprintf(&out, label+": "+verb+"\n", err)
		}
		var ae *client.APIError
		if errors.As(err, &ae) {
			fmt.Fprintf(&out, "%+v %s\n", *ae, ae.Canonical)
		}
		var re *client.ResponseError
		if errors.As(err, &re) {
			fmt.Fprintf(&out, "%+v %s\n", *re, re.Snippet)
		}
	}
	mk := func(key clienttest.Key, opts ...client.Option) *client.Client {
		base := []client.Option{client.WithLogger(debugLogger(&logs)), client.WithRetry(fastRetry(2)), client.WithRetryBudget(100, 100)}
		return newProofClient(t, s, key, append(base, opts...)...)
	}
	ctx := proofContext(t, time.Minute)
	c := mk(k)
	order := proofOrder()

	_, err = mk(revoked).OrderStatus(ctx, "1")
	record("revoked key", err)
	_, err = mk(clienttest.Key{Token: k.Token, HMACSecret: narrow.HMACSecret}).OrderStatus(ctx, "1")
	record("wrong secret", err)
	_, err = mk(narrow).CreateOrder(ctx, order)
	record("scope denied", err)
	_, err = c.CreateOrder(ctx, client.CreateOrderParams{RouteID: 1, Amount: "-1"})
	record("validation", err)
	_, err = c.OrderStatus(ctx, "no-such-order")
	record("not found", err)

	must(t, s.FailNext(createOrderOp, 2, http.StatusServiceUnavailable))
	_, err = c.CreateOrder(ctx, order)
	record("503 twice", err)
	must(t, s.FailNext(createOrderOp, 2, http.StatusTooManyRequests))
	_, err = c.CreateOrder(ctx, order)
	record("429 twice", err)
	must(t, s.DropAfterProcessing(createOrderOp, 2))
	_, err = c.CreateOrder(ctx, order)
	record("dropped twice", err)
	// A broken proxy echoing the request's credentials into its error page.
	echo := []byte("<html>Authorization: Bearer " + k.Token + " secret=" + k.HMACSecret + "</html>")
	must(t, s.FailNextRaw(createOrderOp, 2, http.StatusBadGateway, "text/html", echo))
	_, err = c.CreateOrder(ctx, order)
	record("proxy echo", err)
	must(t, s.FailNextRaw(createOrderOp, 1, http.StatusOK, "application/json", []byte(`{"state":0,"result":{"token":"`+k.Token+`"`)))
	_, err = c.CreateOrder(ctx, order)
	record("truncated echo", err)
	_, err = mk(k, client.WithMaxResponseBytes(64)).OrderStatus(ctx, "1")
	record("too large", err)

	tight, cancel := context.WithTimeout(ctx, 5*time.Millisecond)
	s.SetLatency(200 * time.Millisecond)
	_, err = c.CreateOrder(tight, order)
	cancel()
	s.SetLatency(0)
	record("deadline", err)

	_, err = c.RotateCredentials(ctx, client.Credentials{Token: revoked.Token, HMACSecret: revoked.HMACSecret}, client.RotateOptions{})
	record("rotation to a revoked key", err)
	_, err = c.RotateCredentials(ctx, client.Credentials{Token: narrow.Token, HMACSecret: narrow.HMACSecret},
		client.RotateOptions{RequireScopes: []string{"orders:create"}})
	record("rotation to a narrow key", err)
	src, err := client.New(s.URL, client.WithLogger(debugLogger(&logs)), client.WithCredentialsSource(failingSource{}))
	must(t, err)
	_, err = src.OrderStatus(ctx, "1")
	record("credentials source", err)

	fmt.Fprintf(&out, "%v %+v %#v\n", c, c, c)
	all := logs.String() + out.String()
	if !strings.Contains(logs.String(), "level=DEBUG") {
		t.Fatal("debug logging did not reach the buffer")
	}
	for _, sec := range secrets {
		if strings.Contains(all, sec) {
			i := strings.Index(all, sec)
			t.Errorf("a secret appears in the output: ...%s...", all[max(0, i-120):i])
		}
	}
	t.Logf("%d bytes of logs and %d bytes of errors checked", len(logs.String()), out.Len())
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Secret hygiene, examples: every program under examples/ is built and run
// for a few seconds against a fake exchanger with the most verbose output it
// offers; its output never shows the credentials it was given. (The
// fake-exchanger prints its own key on stdout by design, for the user to
// copy; its diagnostics on stderr must not repeat it.)
func TestProofHygieneExamples(t *testing.T) {
	// Parallel: it overlaps the busy-key proofs, which mostly wait.
	t.Parallel()
	if testing.Short() {
		t.Skip("builds every example")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the examples")
	}
	dirs, err := filepath.Glob("../examples/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no examples found: %v", err)
	}
	s := clienttest.NewServer(t, clienttest.WithKeyOptions(clienttest.KeyOptions{HMAC: clienttest.HMACAll}))
	k := s.Key()
	const webhookSecret = "whsec_hygiene_0123456789abcdef"
	secrets := []string{k.Token, k.HMACSecret, webhookSecret}
	o, err := newProofClient(t, s, k).CreateOrder(context.Background(), proofOrder())
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		name := filepath.Base(dir)
		if name == "internal" {
			continue // the examples' shared plumbing, not a program
		}
		t.Run(name, func(t *testing.T) {
			// The examples run side by side: each mostly waits (a server
			// until its 4 s are up, the bot for its 3 s timeout).
			t.Parallel()
			exe := filepath.Join(bin, name)
			build := exec.Command(gobin, "build", "-o", exe, ".")
			build.Dir = dir
			if b, err := build.CombinedOutput(); err != nil {
				t.Fatalf("build: %v\n%s", err, b)
			}
			args := []string{"-v"}
			switch name {
			case "fake-exchanger":
				args = []string{"-addr", "127.0.0.1:0"}
			case "webhook-receiver":
				args = []string{"-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "hooks.db")}
			case "status-bot":
				args = []string{"-v", "-timeout", "3s", "-stale", "100ms", fmt.Sprint(o.ID), "no-such-order"}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, exe, args...)
			cmd.Env = append(os.Environ(), "IEX_API_BASE_URL="+s.URL, "IEX_API_TOKEN="+k.Token,
				"IEX_API_HMAC_SECRET="+k.HMACSecret, "IEX_WEBHOOK_SECRET="+webhookSecret, "IEX_WEBHOOK_DSN=")
			cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
			cmd.WaitDelay = 5 * time.Second
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			runErr := cmd.Run()
			checked := stdout.String() + stderr.String()
			own := secrets
			if name == "fake-exchanger" {
				checked = stderr.String()
				own = regexp.MustCompile(`\d+\|fake_[0-9a-f]+|hs_[0-9a-f]+`).FindAllString(stdout.String(), -1)
				if len(own) == 0 {
					t.Fatalf("the fake printed no credentials:\n%s", stdout.String())
				}
			}
			t.Logf("exit: %v; %d bytes of output checked", runErr, len(checked))
			for _, sec := range own {
				if strings.Contains(checked, sec) {
					t.Errorf("a secret appears in the output of %s:\n%s", name, checked)
				}
			}
		})
	}
}
