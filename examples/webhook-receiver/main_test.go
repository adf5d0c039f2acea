package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iexkit/exchanger-go/webhook"
)

const secret = "whsec_example_receiver_test"

func env(vals map[string]string) func(string) string {
	return func(k string) string { return vals[k] }
}

func TestConfig(t *testing.T) {
	if _, err := parseConfig(nil, env(nil), io.Discard); err == nil || !strings.Contains(err.Error(), "IEX_WEBHOOK_SECRET") {
		t.Fatalf("missing secret: %v", err)
	}
	if _, err := parseConfig([]string{"-h"}, env(nil), io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	c, err := parseConfig([]string{"-addr", ":9999"}, env(map[string]string{"IEX_WEBHOOK_SECRET": "a, b"}), io.Discard)
	if err != nil || c.addr != ":9999" || len(c.secrets) != 2 || c.secrets[1] != "b" {
		t.Fatalf("%+v %v", c, err)
	}
}

// TestReceiverUpdatesOrdersOnce delivers two status events, one of them
// twice, and reads the CRM table back.
func TestReceiverUpdatesOrdersOnce(t *testing.T) {
	cfg, err := parseConfig([]string{"-db", filepath.Join(t.TempDir(), "r.db")}, env(map[string]string{"IEX_WEBHOOK_SECRET": "whsec_old," + secret}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	app, err := open(context.Background(), cfg, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer app.close()
	srv := httptest.NewServer(app.routes(cfg.path))
	defer srv.Close()

	send := func(id, status string) (int, string) {
		req, err := webhook.Delivery{Secret: secret, EventID: id, EventType: webhook.TypeOrderStatusChanged, URL: srv.URL + "/webhook",
			Data: map[string]any{"order": map[string]any{"tracking_id": "TRK1", "status": map[string]any{"key": status, "is_final": status == "completed"}}}}.Request()
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, strings.TrimSpace(string(b))
	}
	for _, d := range []struct{ id, status, answer string }{{"evt_1", "paid", "ok"}, {"evt_2", "completed", "ok"}, {"evt_1", "paid", "duplicate"}} {
		if code, answer := send(d.id, d.status); code != http.StatusOK || answer != d.answer {
			t.Fatalf("%s: %d %q, want 200 %q", d.id, code, answer, d.answer)
		}
	}
	resp, err := http.Get(srv.URL + "/orders")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// Out of order, a non-final status never replaces a final one.
	if want := `{"tracking_id":"TRK1","status":"completed","is_final":true,"last_event":"evt_2"}`; strings.TrimSpace(string(body)) != want {
		t.Fatalf("orders:\n%s\nwant\n%s", body, want)
	}
}
