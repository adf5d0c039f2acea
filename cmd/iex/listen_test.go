package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/webhook"
)

var forwardingSecretRE = regexp.MustCompile(`forwarding secret (whsec_iex_[0-9a-f]+) `)

// listenSecret reads the forwarding secret iex listen printed.
func listenSecret(t *testing.T, out string) string {
	t.Helper()
	m := forwardingSecretRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no forwarding secret in:\n%s", out)
	}
	return m[1]
}

// Events of the account reach the developer's own webhook.Handler,
// verified with the secret listen printed; a listen started again resumes
// after the last event, with the same secret, and forwards none twice.
func TestListenForwardsAndResumes(t *testing.T) {
	s, env := fakeEnv(t)
	var mu sync.Mutex
	var secret string
	rc, hook := newReceiver(t, func() string { mu.Lock(); defer mu.Unlock(); return secret })
	state := filepath.Join(t.TempDir(), "listen.json")
	args := []string{"listen", "--forward-to", hook.URL, "--state", state, "--interval", "20ms"}

	ctx, cancel := context.WithCancel(context.Background())
	bg := startIEX(ctx, env, args...)
	out := bg.waitFor(t, "Ctrl-C stops it.")
	mu.Lock()
	secret = listenSecret(t, out)
	mu.Unlock()
	noSecrets(t, out+bg.stderr.String(), env[client.EnvToken], env[client.EnvHMACSecret])

	id1, err := s.EmitEvent("order.status_changed", map[string]any{"order": map[string]any{"id": 7, "status": "completed"}})
	if err != nil {
		t.Fatal(err)
	}
	ev := rc.next(t)
	if ev.ID != id1 || ev.Type != "order.status_changed" || ev.OrderRef() == nil || ev.OrderRef().Status.Key != "completed" {
		t.Fatalf("forwarded %+v", ev)
	}
	bg.waitFor(t, id1+"  -> 200")
	cancel()
	if code := bg.wait(t); code != exitOK {
		t.Fatalf("exit %d: %s", code, bg.stderr)
	}

	// While listen is stopped, another event happens.
	id2, err := s.EmitEvent("order.created", map[string]any{"order": map[string]any{"id": 8}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	bg = startIEX(ctx, env, args...)
	out = bg.waitFor(t, "resuming after ")
	if again := listenSecret(t, out); again != secret {
		t.Fatalf("secret changed across runs")
	}
	if ev := rc.next(t); ev.ID != id2 {
		t.Fatalf("after restart forwarded %s, want %s", ev.ID, id2)
	}
	bg.waitFor(t, id2+"  -> 200")
	time.Sleep(100 * time.Millisecond) // a few more passes
	rc.mu.Lock()
	n := len(rc.events)
	rc.mu.Unlock()
	if n != 2 || strings.Contains(bg.stdout.String(), id1) {
		t.Fatalf("%d events forwarded in all, want 2:\n%s", n, bg.stdout)
	}
	cancel()
	bg.wait(t) // before the state file's directory is removed
}

// A receiver that fails gets the event again on the next pass; one line
// per attempt says what happened.
func TestListenRetriesAFailingReceiver(t *testing.T) {
	s, env := fakeEnv(t)
	var fails atomic.Int32
	fails.Store(2)
	var got atomic.Int32
	var secret atomic.Value
	secret.Store("")
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fails.Add(-1) >= 0 {
			http.Error(w, "database is down", http.StatusServiceUnavailable)
			return
		}
		v, _ := webhook.NewVerifier(secret.Load().(string))
		h, _ := webhook.NewHandler(v, webhook.NewMemoryStore(), func(context.Context, *webhook.Event) error { got.Add(1); return nil })
		h.ServeHTTP(w, r)
	}))
	defer hook.Close()
	sf := writeTemp(t, "secret", "whsec_mine\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	secret.Store("whsec_mine")
	bg := startIEX(ctx, env, "listen", "--forward-to", hook.URL, "--state", filepath.Join(t.TempDir(), "s.json"),
		"--interval", "20ms", "--webhook-secret-file", sf, "--events", "order.created")
	out := bg.waitFor(t, "Ctrl-C stops it.")
	if strings.Contains(out, "whsec_mine") || !strings.Contains(out, "signed with your webhook secret") {
		t.Fatalf("header:\n%s", out)
	}
	if _, err := s.EmitEvent("order.status_changed", nil); err != nil { // not selected by --events
		t.Fatal(err)
	}
	id, err := s.EmitEvent("order.created", map[string]any{"order": map[string]any{"id": 9}})
	if err != nil {
		t.Fatal(err)
	}
	out = bg.waitFor(t, id+"  -> 200")
	if strings.Count(out, id+"  -> 503 database is down (again on the next pass)") != 2 || got.Load() != 1 {
		t.Fatalf("got %d:\n%s", got.Load(), out)
	}
	if strings.Contains(out, "order.status_changed") {
		t.Fatalf("forwarded a type not selected:\n%s", out)
	}
	cancel()
	bg.wait(t) // before the state file's directory is removed
}

// A refusal the user must fix ends listen with the client exit code.
func TestListenStopsOnARefusal(t *testing.T) {
	_, env := fakeEnv(t)
	env[client.EnvToken] = "1|not-a-token"
	r := iex(t, env, "", "listen", "--forward-to", "http://127.0.0.1:9/hook", "--state", filepath.Join(t.TempDir(), "s.json"))
	if r.code != exitClient || !strings.Contains(r.stderr, "invalid_token") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if r := iex(t, env, "", "listen"); r.code != exitUsage {
		t.Fatalf("no --forward-to: exit %d", r.code)
	}
}

// A server failure while reading the event log is reported and the next
// pass carries on.
func TestListenSurvivesAServerFailure(t *testing.T) {
	s, env := fakeEnv(t)
	rc, hook := newReceiver(t, func() string { return "whsec_mine" })
	env[envWebhookSecret] = "whsec_mine"
	if err := s.FailNext("GET /private/webhooks/events", 1, http.StatusBadGateway); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bg := startIEX(ctx, env, "listen", "--forward-to", hook.URL, "--state", filepath.Join(t.TempDir(), "s.json"),
		"--interval", "20ms", "--max-attempts", "1")
	bg.waitFor(t, "Ctrl-C stops it.")
	id, err := s.EmitEvent("order.created", nil)
	if err != nil {
		t.Fatal(err)
	}
	if ev := rc.next(t); ev.ID != id {
		t.Fatalf("forwarded %s, want %s", ev.ID, id)
	}
	if !strings.Contains(bg.stderr.String(), "reading the event log failed, trying again") || !strings.Contains(bg.stderr.String(), "502") {
		t.Fatalf("stderr:\n%s", bg.stderr)
	}
	cancel()
	if code := bg.wait(t); code != exitOK {
		t.Fatalf("exit %d", code)
	}
}

// The state file keeps the position, the forwarded events and the secret
// across opens; a state that cannot be written is reported.
func TestListenStateFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "state.json")
	st, err := openListenState(path)
	if err != nil {
		t.Fatal(err)
	}
	sec, _ := st.secret(func() string { return "whsec_one" })
	ctx := context.Background()
	if c, _ := st.Claim(ctx, "evt_1", "o", time.Minute); c != webhook.Claimed {
		t.Fatalf("claim %v", c)
	}
	if c, _ := st.Claim(ctx, "evt_1", "p", time.Minute); c != webhook.InProgress {
		t.Fatalf("second claim %v", c)
	}
	if err := st.Complete(ctx, "evt_1", "o"); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 6, 23, 4, 0, 0, 0, time.UTC)
	if err := st.SaveCheckpoint(ctx, "listen", at); err != nil {
		t.Fatal(err)
	}
	_ = st.SaveCheckpoint(ctx, "listen", at.Add(-time.Hour)) // never backwards

	again, err := openListenState(path)
	if err != nil {
		t.Fatal(err)
	}
	if s2, _ := again.secret(func() string { return "whsec_two" }); s2 != sec {
		t.Fatalf("secret %q after reopening, want %q", s2, sec)
	}
	if c, _ := again.Claim(ctx, "evt_1", "q", time.Minute); c != webhook.AlreadyDone {
		t.Fatalf("done event claimed again: %v", c)
	}
	if got, ok, _ := again.LoadCheckpoint(ctx, "listen"); !ok || !got.Equal(at) {
		t.Fatalf("checkpoint %v %v", got, ok)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode %v %v: it holds the forwarding secret", fi.Mode(), err)
	}

	// A file where the state's directory should be: saving fails, and
	// says so.
	bad, err := openListenState(filepath.Join(dir, "new.json"))
	if err != nil {
		t.Fatal(err)
	}
	bad.path = filepath.Join(path, "state.json")
	var reported error
	bad.onSaveError = func(err error) { reported = err }
	if err := bad.SaveCheckpoint(ctx, "listen", at); err == nil || reported == nil {
		t.Fatalf("err %v, reported %v", err, reported)
	}
	if err := os.WriteFile(filepath.Join(dir, "garbage.json"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := openListenState(filepath.Join(dir, "garbage.json")); err == nil {
		t.Fatal("a damaged state file is accepted")
	}
}
