package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

// Logs of a delivery name its event id and type even though the Handler no
// longer builds a logger per delivery.
func TestHandlerLogsNameTheEvent(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := newHandler(t, webhook.NewMemoryStore(), func(context.Context, *webhook.Event) error {
		return errors.New("boom")
	}, webhook.WithLogger(log))
	if rec := deliver(t, h, "evt_logged"); rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d", rec.Code)
	}
	line := out.String()
	for _, want := range []string{"business function failed", "event_id=evt_logged", "event_type=" + webhook.TypeOrderStatusChanged, "err=boom"} {
		if !strings.Contains(line, want) {
			t.Errorf("log %q lacks %q", line, want)
		}
	}
}

// Every delivery attempt gets its own claim owner: a retry must not be able
// to release or complete another attempt's claim by sharing its token.
func TestHandlerOwnerTokensAreDistinct(t *testing.T) {
	rec := &recordingStore{Store: webhook.NewMemoryStore()}
	h := newHandler(t, rec, func(context.Context, *webhook.Event) error { return nil })
	for _, id := range []string{"evt_o1", "evt_o2", "evt_o1"} {
		deliver(t, h, id)
	}
	h2 := newHandler(t, rec, func(context.Context, *webhook.Event) error { return nil })
	deliver(t, h2, "evt_o3")
	seen := map[string]bool{}
	for _, o := range rec.owners {
		if seen[o] || o == "" || len(o) > 64 {
			t.Fatalf("owner %q repeated, empty or too long: %q", o, rec.owners)
		}
		seen[o] = true
	}
	if len(seen) != 4 {
		t.Fatalf("owners %q, want 4 claims", rec.owners)
	}
}

// Owner tokens from both makers, from many goroutines at once, are all
// distinct, 33 bytes, and share the maker's prefix; shared tokens cost an
// allocation per block of sixteen, not per token.
func TestOwnerTokensUnique(t *testing.T) {
	next, shared := webhook.NewOwnerTokens()
	const goroutines, each = 8, 1000
	got := make([][]string, goroutines)
	var wg sync.WaitGroup
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				mk := shared
				if i%7 == g%7 {
					mk = next
				}
				got[g] = append(got[g], mk())
			}
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	prefix := next()[:17]
	for _, tokens := range got {
		for _, tok := range tokens {
			if seen[tok] || len(tok) != 33 || tok[:17] != prefix || strings.Trim(tok[17:], "0123456789abcdef") != "" {
				t.Fatalf("token %q repeated or malformed (prefix %q)", tok, prefix)
			}
			seen[tok] = true
		}
	}
	if other, _ := webhook.NewOwnerTokens(); other()[:17] == prefix {
		t.Fatalf("two makers share the prefix %q", prefix)
	}
	if raceEnabled {
		return // sync.Pool drops blocks under -race
	}
	if n := testing.AllocsPerRun(1600, func() { shared() }); n != 0 {
		t.Fatalf("%v allocations per shared token, want 1 per 16 calls (rounds to 0)", n)
	}
}

type recordingStore struct {
	webhook.Store
	owners []string
}

func (r *recordingStore) Claim(ctx context.Context, id, owner string, lease time.Duration) (webhook.ClaimState, error) {
	r.owners = append(r.owners, owner)
	return r.Store.Claim(ctx, id, owner, lease)
}

// Every answer is plain text. The error answers say so in their headers
// and forbid sniffing; the 200 answers set no header (that costs every
// delivery a header map), and net/http labels their fixed text as
// text/plain itself, over HTTP/1.1 and HTTP/2 alike.
func TestHandlerAnswersArePlainText(t *testing.T) {
	h := newHandler(t, webhook.NewMemoryStore(), func(context.Context, *webhook.Event) error { return nil })
	plain := httptest.NewServer(h)
	defer plain.Close()
	h2 := httptest.NewUnstartedServer(h)
	h2.EnableHTTP2 = true
	h2.StartTLS()
	defer h2.Close()
	for i, srv := range []*httptest.Server{plain, h2} {
		id, proto := fmt.Sprint("evt_plain_", i), []string{"HTTP/1.1", "HTTP/2.0"}[i]
		for _, want := range []string{"ok\n", "duplicate\n"} {
			req, err := webhook.Delivery{Secret: testSecret, EventID: id, EventType: webhook.TypeOrderStatusChanged, URL: srv.URL + "/webhook"}.Request()
			if err != nil {
				t.Fatal(err)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.Proto != proto || resp.StatusCode != http.StatusOK || string(body) != want || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
				t.Errorf("%s: answer %d %q, Content-Type %q; want %s, 200 %q as text/plain; charset=utf-8",
					resp.Proto, resp.StatusCode, body, resp.Header.Get("Content-Type"), proto, want)
			}
		}
	}

	bad, err := webhook.Delivery{Secret: "whsec_someone_else", EventType: webhook.TypeOrderStatusChanged}.Request()
	if err != nil {
		t.Fatal(err)
	}
	get := httptest.NewRequest(http.MethodGet, "/webhook", nil)
	for _, tc := range []struct {
		req  *http.Request
		code int
		body string
	}{{bad, http.StatusUnauthorized, "invalid delivery\n"}, {get, http.StatusMethodNotAllowed, "method not allowed\n"}} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, tc.req)
		if rec.Code != tc.code || rec.Body.String() != tc.body {
			t.Errorf("answer %d %q, want %d %q", rec.Code, rec.Body, tc.code, tc.body)
		}
		for name, want := range map[string]string{"Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"} {
			if got := rec.Header().Values(name); len(got) != 1 || got[0] != want {
				t.Errorf("%d: %s = %q, want %q", tc.code, name, got, want)
			}
		}
	}
}

// A store that can block gets contexts that the sender hanging up does not
// cancel, so an event that ran is still recorded. (The Handler hands
// MemoryStore, which ignores its context, the request's own.)
func TestHandlerStoreContextOutlivesTheRequest(t *testing.T) {
	store := &ctxStore{Store: webhook.NewMemoryStore()}
	var hangUp context.CancelFunc
	h := newHandler(t, store, func(context.Context, *webhook.Event) error {
		hangUp() // the sender gives up while the action runs
		return nil
	})
	req, err := webhook.Delivery{Secret: testSecret, EventID: "evt_hangup", EventType: webhook.TypeOrderStatusChanged}.Request()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(req.Context())
	hangUp = cancel
	h.ServeHTTP(httptest.NewRecorder(), req.WithContext(ctx))
	if store.completeErr != nil || !store.completed {
		t.Fatalf("Complete called %v with a context ended by %v", store.completed, store.completeErr)
	}
	if rec := deliver(t, h, "evt_hangup"); rec.Code != http.StatusOK || rec.Body.String() != "duplicate\n" {
		t.Fatalf("redelivery: %d %q", rec.Code, rec.Body)
	}
}

type ctxStore struct {
	webhook.Store
	completed   bool
	completeErr error
}

func (s *ctxStore) Complete(ctx context.Context, id, owner string) error {
	s.completed, s.completeErr = true, ctx.Err()
	return s.Store.Complete(ctx, id, owner)
}

// A full MemoryStore takes a new event in the room of the one it drops:
// claiming and completing allocate nothing.
func TestMemoryStoreFullAllocatesNothing(t *testing.T) {
	ctx := context.Background()
	m := webhook.NewMemoryStore(webhook.WithMemorySize(4096))
	ids := make([]string, 20000)
	for i := range ids {
		ids[i] = fmt.Sprint("evt_", i)
	}
	next := 0
	run := func() {
		id := ids[next%len(ids)]
		next++
		if st, err := m.Claim(ctx, id, "owner-0123456789abcdef-1", time.Minute); st != webhook.Claimed || err != nil {
			t.Fatalf("Claim(%s) = %v, %v", id, st, err)
		}
		if err := m.Complete(ctx, id, "owner-0123456789abcdef-1"); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 8192; i++ { // fill it
		run()
	}
	if n := testing.AllocsPerRun(1000, run); n != 0 {
		t.Fatalf("%v allocations per new event in a full store", n)
	}
}

// A new event costs the Handler two allocations: the body and the Event.
// The claim's owner token is cut from a block of sixteen made at once, and
// the 200 answer costs none: it touches no header map (a new one per
// request in net/http) and writes a fixed text.
func TestHandlerDeliveryAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("-race: sync.Pool drops buffers, so Verify allocates some of its own")
	}
	// A full store, churning at its bound: it allocates nothing per event
	// (a new store allocates as each shard's tables grow).
	store := webhook.NewMemoryStore(webhook.WithMemorySize(1024))
	for i := 0; i < 2048; i++ {
		id := fmt.Sprint("evt_old_", i)
		store.Claim(context.Background(), id, "o", time.Minute)
		store.Complete(context.Background(), id, "o")
	}
	h := newHandler(t, store, func(context.Context, *webhook.Event) error { return nil })
	const runs = 200
	body := benchBody(1 << 10)
	headers := signedHeaders("evt_allocs_", runs+1, strconv.FormatInt(time.Now().Unix(), 10), body)
	reqs := make([]*http.Request, len(headers))
	for i := range reqs {
		reqs[i] = httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
		reqs[i].Header = headers[i]
	}
	w := &bareWriter{}
	next := 0
	n := testing.AllocsPerRun(runs, func() {
		*w = bareWriter{}
		h.ServeHTTP(w, reqs[next])
		next++
		if w.code != http.StatusOK || string(w.body) != "ok\n" {
			t.Fatalf("answer %d %q", w.code, w.body)
		}
	})
	if n > 2 {
		t.Fatalf("%v allocations per delivery, want at most 2", n)
	}
}

// bareWriter is a ResponseWriter that allocates nothing until its header
// map is asked for, as net/http's own does not: what a delivery allocates
// is then the Handler's.
type bareWriter struct {
	header http.Header
	code   int
	body   []byte
	buf    [32]byte
}

func (w *bareWriter) Header() http.Header {
	if w.header == nil {
		w.header = http.Header{}
	}
	return w.header
}

func (w *bareWriter) WriteHeader(code int) { w.code = code }

func (w *bareWriter) Write(p []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	w.body = append(w.buf[:0], p...) // the fixed answers are short: no allocation
	return len(p), nil
}
