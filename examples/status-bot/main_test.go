package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
	"github.com/iexkit/exchanger-go/examples/internal/demo"
)

// fakeRun runs the bot against its embedded fake and returns the output,
// the log, the fake (still readable after Close) and the secrets it held.
type fakeRun struct {
	out, logs string
	srv       *clienttest.Server
	secrets   []string
	err       error
	took      time.Duration
}

func runDemo(t *testing.T, timeout time.Duration, args ...string) fakeRun {
	t.Helper()
	var out, logs bytes.Buffer
	var mu sync.Mutex
	var r fakeRun
	e := demo.Env{
		Getenv: func(string) string { return "" },
		Stderr: &logs,
		HoldsSecret: func(s string) {
			mu.Lock()
			defer mu.Unlock()
			r.secrets = append(r.secrets, s)
		},
		OnFake: func(s *clienttest.Server) { r.srv = s },
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	r.err = runEnv(ctx, &out, args, e)
	r.took = time.Since(start)
	r.out, r.logs = out.String(), logs.String()
	if r.srv == nil {
		t.Fatalf("the embedded fake did not start: %v\n%s", r.err, r.logs)
	}
	for _, s := range r.secrets {
		if strings.Contains(r.out, s) || strings.Contains(r.logs, s) {
			t.Errorf("a secret (%d bytes) was printed", len(s))
		}
	}
	return r
}

var summaryLine = regexp.MustCompile(`(?m)^(TRK\w+) +(\w+) +final via (webhook|poll) +after [^ ]+ \(events (\d+), polls (\d+)\)$`)

// finals counts the summary lines by how the final status was learned, and
// the polls they report.
func finals(t *testing.T, out string) (byWebhook, byPoll, polls int) {
	t.Helper()
	for _, m := range summaryLine.FindAllStringSubmatch(out, -1) {
		if m[2] != "completed" {
			t.Errorf("order %s ended %s", m[1], m[2])
		}
		if m[3] == "webhook" {
			byWebhook++
		} else {
			byPoll++
		}
		var n int
		fmt.Sscan(m[5], &n)
		polls += n
	}
	return byWebhook, byPoll, polls
}

func TestDemoWebhooksAloneNeedNoPolling(t *testing.T) {
	t.Parallel() // each run has its own fake and output
	r := runDemo(t, 15*time.Second, "-orders", "5", "-fake-step", "100ms", "-fake-lose", "0", "-stale", "5s")
	if r.err != nil {
		t.Fatalf("run: %v\n%s\n%s", r.err, r.out, r.logs)
	}
	w, p, polls := finals(t, r.out)
	if w != 5 || p != 0 || polls != 0 {
		t.Fatalf("via webhook %d, via poll %d, polls %d; want 5, 0, 0:\n%s", w, p, polls, r.out)
	}
	if n := r.srv.Stats().Operations["GET /private/exchange/orders/{order}/status"]; n != 0 {
		t.Errorf("the fake saw %d status polls", n)
	}
	if !strings.Contains(r.out, "5 of 5 orders final") {
		t.Errorf("no totals line:\n%s", r.out)
	}
}

func TestDemoPollsOnlyWhenWebhooksAreLost(t *testing.T) {
	t.Parallel() // each run has its own fake and output
	r := runDemo(t, 20*time.Second, "-orders", "4", "-fake-step", "100ms", "-fake-lose", "1", "-stale", "300ms")
	if r.err != nil {
		t.Fatalf("run: %v\n%s\n%s", r.err, r.out, r.logs)
	}
	w, p, polls := finals(t, r.out)
	if w != 0 || p != 4 || polls < 4 {
		t.Fatalf("via webhook %d, via poll %d, polls %d; want 0, 4, >= 4:\n%s", w, p, polls, r.out)
	}
	st := r.srv.Stats()
	if got := st.Operations["GET /private/exchange/orders/{order}/status"]; got != int64(polls) {
		t.Errorf("the fake saw %d status polls, the summary says %d", got, polls)
	}
	if st.Total.RateLimited != 0 {
		t.Errorf("%d answers were 429", st.Total.RateLimited)
	}
	if len(r.secrets) < 3 {
		t.Errorf("the bot reported %d secrets, want the token, the HMAC secret and the webhook secret", len(r.secrets))
	}
}

func TestDemoDefaultsFinishQuickly(t *testing.T) {
	t.Parallel() // each run has its own fake and output
	if testing.Short() {
		t.Skip("runs the 20-order demo")
	}
	r := runDemo(t, 20*time.Second, "-fake-step", "300ms")
	if r.err != nil {
		t.Fatalf("run: %v\n%s\n%s", r.err, r.out, r.logs)
	}
	w, p, _ := finals(t, r.out)
	if w+p != 20 || w == 0 {
		t.Fatalf("final via webhook %d, via poll %d; want 20 in all, most by webhook:\n%s", w, p, r.out)
	}
	if r.srv.Stats().Total.RateLimited != 0 {
		t.Error("the bot earned 429s")
	}
}

// With a rate limit too small to poll every order, the bot stops polling
// rather than earn a 429, and reports the orders it could not finish.
func TestDemoStaysWithinTheRateLimit(t *testing.T) {
	t.Parallel() // each run has its own fake and output
	// 5 creates, the route and the webhook registration leave 5 of 12; a
	// tenth (1) is kept for other calls, so at most 4 polls for 5 orders.
	r := runDemo(t, 15*time.Second, "-orders", "5", "-fake-step", "50ms", "-fake-lose", "1",
		"-stale", "200ms", "-fake-rate-limit", "12", "-timeout", "2s")
	if r.err == nil || !errors.Is(r.err, context.DeadlineExceeded) || !strings.Contains(r.err.Error(), "not final") {
		t.Fatalf("err = %v, want the orders left open at the deadline\n%s", r.err, r.out)
	}
	st := r.srv.Stats()
	if st.Total.RateLimited != 0 {
		t.Errorf("%d answers were 429", st.Total.RateLimited)
	}
	if n := st.Operations["GET /private/exchange/orders/{order}/status"]; n == 0 || n > 4 {
		t.Errorf("%d status polls, want 1 to 4", n)
	}
	if !regexp.MustCompile(`(?m) not final `).MatchString(r.out) {
		t.Errorf("the summary shows no open order:\n%s", r.out)
	}
}

func TestRealExchangerNamedOrdersPolledWithoutWebhook(t *testing.T) {
	t.Parallel() // each run has its own fake and output
	srv := clienttest.NewServer(t, clienttest.WithOrderSchedule([]string{clienttest.StatusCompleted}, 150*time.Millisecond))
	key := srv.Key()
	c, err := client.New(srv.URL, client.WithToken(key.Token), client.WithHMACSecret(key.HMACSecret))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var refs []string
	for i := range 3 {
		o, err := c.CreateOrder(ctx, client.CreateOrderParams{RouteID: 1, Amount: fmt.Sprint(20 + i), OutcomeAccount: "4276000011112222"})
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, o.TrackingID)
	}
	var out, logs bytes.Buffer
	vars := map[string]string{demo.EnvBaseURL: srv.URL, demo.EnvToken: key.Token, demo.EnvHMACSecret: key.HMACSecret}
	e := demo.Env{Getenv: func(k string) string { return vars[k] }, Stderr: &logs}
	if err := runEnv(ctx, &out, append([]string{"-stale", "100ms"}, refs...), e); err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, out.String(), logs.String())
	}
	if !strings.Contains(out.String(), "webhook: none") {
		t.Errorf("no note that only polling is used:\n%s", out.String())
	}
	w, p, _ := finals(t, out.String())
	if w != 0 || p != 3 {
		t.Fatalf("via webhook %d, via poll %d; want 0, 3:\n%s", w, p, out.String())
	}
	for _, s := range []string{key.Token, key.HMACSecret} {
		if strings.Contains(out.String()+logs.String(), s) {
			t.Error("a secret was printed")
		}
	}
	if n := srv.Stats().Operations["POST /private/webhooks"]; n != 0 {
		t.Errorf("registered %d webhook endpoints without -webhook-url", n)
	}
}

// An order the exchanger does not know is polled once, reported and
// dropped: polling it again cannot change a 404.
func TestUnknownOrderIsReportedNotPolledForever(t *testing.T) {
	t.Parallel() // each run has its own fake and output
	srv := clienttest.NewServer(t)
	key := srv.Key()
	var out, logs bytes.Buffer
	vars := map[string]string{demo.EnvBaseURL: srv.URL, demo.EnvToken: key.Token, demo.EnvHMACSecret: key.HMACSecret}
	e := demo.Env{Getenv: func(k string) string { return vars[k] }, Stderr: &logs}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := runEnv(ctx, &out, []string{"-stale", "100ms", "TRK-NOT-THERE"}, e)
	if err == nil || !strings.Contains(err.Error(), "1 of 1 orders could not be followed") {
		t.Fatalf("err = %v\n%s", err, out.String())
	}
	if !regexp.MustCompile(`(?m)^TRK-NOT-THERE +- +gave up: 404 not_found \(events 0, polls 1\)$`).MatchString(out.String()) {
		t.Errorf("summary:\n%s", out.String())
	}
	if n := srv.Stats().Operations["GET /private/exchange/orders/{order}/status"]; n != 1 {
		t.Errorf("%d polls of an unknown order, want 1", n)
	}
}

func TestFlags(t *testing.T) {
	t.Parallel() // each run has its own fake and output
	var out, logs bytes.Buffer
	noEnv := demo.Env{Getenv: func(string) string { return "" }, Stderr: &logs}
	if err := runEnv(context.Background(), &out, []string{"-h"}, noEnv); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	for _, want := range []string{"-stale", "-webhook-url", "-orders", "-fake-lose", "ORDER", demo.EnvBaseURL} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("usage does not mention %s", want)
		}
	}
	for _, args := range [][]string{{"-stale", "0s"}, {"-parallel", "0"}, {"-orders", "0"}} {
		if err := runEnv(context.Background(), &out, args, noEnv); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
	real := demo.Env{Getenv: func(k string) string {
		if k == demo.EnvBaseURL {
			return "http://127.0.0.1:1/api/v3"
		}
		return "t"
	}, Stderr: &logs}
	if err := runEnv(context.Background(), &out, nil, real); err == nil || !strings.Contains(err.Error(), "name the orders") {
		t.Errorf("a real exchanger and no orders: %v", err)
	}
}
