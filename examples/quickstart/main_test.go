package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client/clienttest"
	"github.com/iexkit/exchanger-go/examples/internal/demo"
)

// secrets collects what the program reports holding.
type secrets struct {
	mu   sync.Mutex
	list []string
}

func (s *secrets) add(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = append(s.list, v)
}

// assertNotIn fails when any secret shows up in out.
func (s *secrets) assertNotIn(t *testing.T, name, out string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.list {
		if strings.Contains(out, v) {
			t.Errorf("%s shows a secret (%d bytes long)", name, len(v))
		}
	}
}

func mustMatch(t *testing.T, out string, patterns ...string) {
	t.Helper()
	for _, p := range patterns {
		if !regexp.MustCompile(p).MatchString(out) {
			t.Errorf("transcript has no line matching %q:\n%s", p, out)
		}
	}
}

func noEnv(string) string { return "" }

func mapEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestEmbeddedFakeWholeFlow(t *testing.T) {
	t.Parallel() // waits on its own fake's schedule
	var out, logs bytes.Buffer
	var held secrets
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	start := time.Now()
	err := runEnv(ctx, &out, []string{"-fake-step", "150ms", "-v"}, demo.Env{Getenv: noEnv, Stderr: &logs, HoldsSecret: held.add})
	if err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, out.String(), logs.String())
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the quickstart took %s", d)
	}
	s := out.String()
	mustMatch(t, s,
		`(?m)^health +status ok, key "default", hmac_required true`,
		`(?m)^create order +TRK\w+, status created`,
		`(?m)^ +Idempotency-Key quickstart-\d{8}T\d{6}Z-route-1,`,
		`(?m)^same key again +order TRK\w+, Idempotency-Replayed true`,
		`(?m)^webhook +verified order.status_changed created -> processing, event `,
		`(?m)^webhook +verified order.status_changed processing -> completed \(final\)`,
		`(?m)^status +completed \(final true\)`,
		`(?m)^done +in `,
	)
	if strings.Contains(s, "polling") {
		t.Errorf("fell back to polling although webhooks arrive:\n%s", s)
	}
	if len(held.list) < 3 {
		t.Fatalf("the program reported %d secrets, want the token, the HMAC secret and the webhook secret", len(held.list))
	}
	held.assertNotIn(t, "the transcript", s)
	held.assertNotIn(t, "the debug log", logs.String())
}

// run itself, as main calls it: with no IEX_API_BASE_URL in the process
// environment it must use the fake and print none of its secrets' shapes.
func TestRunWithProcessEnvironment(t *testing.T) {
	t.Setenv(demo.EnvBaseURL, "")
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := run(ctx, &out, []string{"-fake-step", "100ms"}); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	mustMatch(t, out.String(), `(?m)^exchanger +an embedded fake exchanger`, `(?m)^status +completed \(final true\)`)
	for _, shape := range []string{"fake_", "hs_", "whsec_", "Bearer"} {
		if strings.Contains(out.String(), shape) {
			t.Errorf("the transcript contains %q", shape)
		}
	}
}

func TestFallsBackToPollingWhenNoWebhookComes(t *testing.T) {
	t.Parallel() // waits on its own fake's schedule
	var out, logs bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	// The first status change comes 300ms after the order is created; a 1ms
	// window gives up long before.
	err := runEnv(ctx, &out, []string{"-fake-step", "300ms", "-webhook-wait", "1ms"}, demo.Env{Getenv: noEnv, Stderr: &logs})
	if err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, out.String(), logs.String())
	}
	mustMatch(t, out.String(),
		`(?m)^webhook +none for 1ms: polling the status instead`,
		`(?m)^poll +status (created|processing|completed) \(final (false|true)\)`,
		`(?m)^final +completed reached by polling`,
	)
}

func TestRealExchangerWithoutCreateMakesNoOrder(t *testing.T) {
	srv := clienttest.NewServer(t)
	key := srv.Key()
	var out, logs bytes.Buffer
	e := demo.Env{Getenv: mapEnv(map[string]string{demo.EnvBaseURL: srv.URL, demo.EnvToken: key.Token, demo.EnvHMACSecret: key.HMACSecret}), Stderr: &logs}
	if err := runEnv(context.Background(), &out, nil, e); err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, out.String(), logs.String())
	}
	mustMatch(t, out.String(),
		`(?m)^exchanger +the exchanger at `+regexp.QuoteMeta(srv.URL)+`$`,
		`(?m)^webhook +not registered: no order will be created`,
		`(?m)^preflight +allowed false, can_create_order false, missing: outcome_account \(required\)$`,
		`(?m)^create order +skipped: this is a real exchanger; pass -create`,
	)
	if n := len(srv.Orders()); n != 0 {
		t.Errorf("%d orders created without -create", n)
	}
	st := srv.Stats()
	if n := st.Operations["POST /private/exchange/orders"] + st.Operations["POST /private/webhooks"]; n != 0 {
		t.Errorf("%d writes sent without -create", n)
	}
	held := secrets{list: []string{key.Token, key.HMACSecret}}
	held.assertNotIn(t, "the transcript", out.String())
	held.assertNotIn(t, "the log", logs.String())
}

func TestRealExchangerWithCreatePollsWithoutWebhookURL(t *testing.T) {
	t.Parallel() // waits on its own fake's schedule
	srv := clienttest.NewServer(t, clienttest.WithOrderSchedule([]string{clienttest.StatusCompleted}, 200*time.Millisecond))
	key := srv.Key()
	var out, logs bytes.Buffer
	e := demo.Env{Getenv: mapEnv(map[string]string{demo.EnvBaseURL: srv.URL, demo.EnvToken: key.Token, demo.EnvHMACSecret: key.HMACSecret}), Stderr: &logs}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := runEnv(ctx, &out, []string{"-create", "-idempotency-key", "crm-order-4242", "-outcome-account", "4276000011112222"}, e); err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, out.String(), logs.String())
	}
	mustMatch(t, out.String(),
		`(?m)^webhook +not registered: a real exchanger cannot reach`,
		`(?m)^ +Idempotency-Key crm-order-4242,`,
		`(?m)^final +completed reached by polling`,
	)
	orders := srv.Orders()
	if len(orders) != 1 || orders[0].IdempotencyKey != "crm-order-4242" || orders[0].Status != clienttest.StatusCompleted {
		t.Fatalf("orders on the exchanger: %+v", orders)
	}
	if n := srv.Stats().Operations["POST /private/webhooks"]; n != 0 {
		t.Errorf("registered %d webhook endpoints without -webhook-url", n)
	}
}

func TestHelpAndBadFlags(t *testing.T) {
	var out, logs bytes.Buffer
	err := runEnv(context.Background(), &out, []string{"-h"}, demo.Env{Getenv: noEnv, Stderr: &logs})
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	for _, want := range []string{"-create", "-webhook-url", demo.EnvBaseURL} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("usage does not mention %s:\n%s", want, logs.String())
		}
	}
	if err := runEnv(context.Background(), &out, []string{"-timeout", "0s"}, demo.Env{Getenv: noEnv, Stderr: &logs}); err == nil {
		t.Error("-timeout 0s accepted")
	}
	e := demo.Env{Getenv: mapEnv(map[string]string{demo.EnvBaseURL: "http://127.0.0.1:1/api/v3"}), Stderr: &logs}
	if err := runEnv(context.Background(), &out, nil, e); err == nil || !strings.Contains(err.Error(), demo.EnvToken) {
		t.Errorf("a base URL without a token: %v", err)
	}
}
