package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/webhook"
)

// exports reads the "export NAME=value" lines iex fake prints.
func exports(out string) map[string]string {
	env := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "export "); ok {
			k, v, _ := strings.Cut(rest, "=")
			env[k] = strings.Trim(v, "'")
		}
	}
	return env
}

// receiver is a developer's webhook.Handler, recording the events it ran.
type receiver struct {
	mu     sync.Mutex
	events []*webhook.Event
	got    chan struct{}
}

func newReceiver(t *testing.T, secret func() string) (*receiver, *httptest.Server) {
	t.Helper()
	rc := &receiver{got: make(chan struct{}, 100)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := webhook.NewVerifier(secret())
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		h, _ := webhook.NewHandler(v, webhook.NewMemoryStore(), func(_ context.Context, e *webhook.Event) error {
			rc.mu.Lock()
			rc.events = append(rc.events, e)
			rc.mu.Unlock()
			rc.got <- struct{}{}
			return nil
		})
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return rc, srv
}

func (rc *receiver) next(t *testing.T) *webhook.Event {
	t.Helper()
	select {
	case <-rc.got:
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery")
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.events[len(rc.events)-1]
}

// iex fake serves the API with the environment it prints; iex trigger
// sends an event whose sample data the developer's handler decodes.
func TestFakeServesAndTriggerDelivers(t *testing.T) {
	var mu sync.Mutex
	var secret string
	rc, hook := newReceiver(t, func() string { mu.Lock(); defer mu.Unlock(); return secret })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bg := startIEX(ctx, nil, "fake", "--addr", "127.0.0.1:0", "--webhook-url", hook.URL, "--schedule", "", "--hmac", "all")
	env := exports(bg.waitFor(t, "Ctrl-C stops it."))
	mu.Lock()
	secret = env[envWebhookSecret]
	mu.Unlock()
	if !strings.HasSuffix(env[client.EnvBaseURL], "/api/v3") || env[client.EnvToken] == "" || !strings.HasPrefix(env[client.EnvHMACSecret], "hs_") || !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("exports %v", env)
	}

	r := iex(t, env, "", "call", "GET", "/private/ping")
	if r.code != exitOK {
		t.Fatalf("call against iex fake: exit %d: %s", r.code, r.stderr)
	}
	r = iex(t, env, "", "trigger", "order.payment_received")
	if r.code != exitOK || !strings.Contains(r.stdout, "(order.payment_received) sent to 1 endpoint(s)") {
		t.Fatalf("trigger: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	ev := rc.next(t)
	p, err := ev.Payload()
	if err != nil {
		t.Fatal(err)
	}
	pay, ok := p.(*webhook.PaymentReceivedEvent)
	if !ok || pay.Payment.Amount != "100.00" || pay.Order.TrackingID != "TR-1001" {
		t.Fatalf("payload %T %+v", p, p)
	}

	r = iex(t, env, "", "trigger", "api.test", "-d", `{"message":"hello"}`)
	if r.code != exitOK {
		t.Fatalf("trigger -d: exit %d: %s", r.code, r.stderr)
	}
	if ev := rc.next(t); !strings.Contains(string(ev.Data), `"hello"`) {
		t.Fatalf("data %s", ev.Data)
	}
	if r := iex(t, env, "", "trigger", "order.nope"); r.code != exitClient {
		t.Fatalf("unknown type: exit %d", r.code)
	}

	cancel()
	if code := bg.wait(t); code != exitOK || !strings.HasSuffix(bg.stdout.String(), "stopping\n") {
		t.Fatalf("exit %d after cancel:\n%s", code, bg.stdout)
	}
}

func TestFakeRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{{"fake", "--hmac", "sometimes"}, {"fake", "--schedule", "shipped"}, {"fake", "extra"}} {
		if r := iex(t, nil, "", args...); r.code != exitUsage {
			t.Errorf("%v: exit %d %s", args, r.code, r.stderr)
		}
	}
}

// Every sample decodes into the typed payload package webhook gives the
// developer, and every known type has one.
func TestTriggerSamplesDecode(t *testing.T) {
	all, err := samples()
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range webhook.KnownTypes() {
		data, ok := all[typ]
		if !ok {
			t.Errorf("no sample for %s", typ)
			continue
		}
		req, err := webhook.NewTestDelivery("s", typ, data)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := webhook.NewVerifier("s")
		body, _ := io.ReadAll(req.Body)
		ev, err := v.Verify(req.Header, body)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ev.Payload(); err != nil {
			t.Errorf("%s: %v", typ, err)
		}
	}
	r := iex(t, nil, "", "trigger", "--list")
	if r.code != exitOK || strings.Count(r.stdout, "\n") != len(webhook.KnownTypes()) {
		t.Fatalf("--list: %s", r.stdout)
	}
}
