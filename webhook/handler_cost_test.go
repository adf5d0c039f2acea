package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
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

type recordingStore struct {
	webhook.Store
	owners []string
}

func (r *recordingStore) Claim(ctx context.Context, id, owner string, lease time.Duration) (webhook.ClaimState, error) {
	r.owners = append(r.owners, owner)
	return r.Store.Claim(ctx, id, owner, lease)
}

// Every answer is plain text the browser must not sniff, whatever path
// produced it.
func TestHandlerAnswersArePlainText(t *testing.T) {
	h := newHandler(t, webhook.NewMemoryStore(), func(context.Context, *webhook.Event) error { return nil })
	rec := deliver(t, h, "evt_plain")
	if rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
		t.Fatalf("answer %d %q", rec.Code, rec.Body)
	}
	for name, want := range map[string]string{"Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"} {
		if got := rec.Header().Values(name); len(got) != 1 || got[0] != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}
