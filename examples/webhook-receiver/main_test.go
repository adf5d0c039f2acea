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
	"time"

	"github.com/iexkit/exchanger-go/client/clienttest"
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
	if err != nil || c.addr != ":9999" || len(c.secrets) != 2 || c.secrets[1] != "b" || c.adminAddr != "" {
		t.Fatalf("%+v %v", c, err)
	}
	// The unauthenticated admin view never shares the webhook's address.
	if _, err := parseConfig([]string{"-addr", ":9999", "-admin-addr", ":9999"}, env(map[string]string{"IEX_WEBHOOK_SECRET": "a"}), io.Discard); err == nil {
		t.Fatal("-admin-addr equal to -addr accepted")
	}
	if _, err := parseConfig(nil, env(map[string]string{"IEX_WEBHOOK_SECRET": "a", "IEX_API_BASE_URL": "https://x"}), io.Discard); err == nil {
		t.Fatal("an API base URL without a token accepted")
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
	// The CRM view is not on the webhook listener.
	if resp, err := http.Get(srv.URL + "/orders"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("GET /orders on the webhook listener: %v %v", resp.Status, err)
	}
	body := getOrders(t, app)
	// Out of order, a non-final status never replaces a final one.
	if want := `{"tracking_id":"TRK1","status":"completed","is_final":true,"last_event":"evt_2"}`; strings.TrimSpace(string(body)) != want {
		t.Fatalf("orders:\n%s\nwant\n%s", body, want)
	}
}

// getOrders reads the CRM table through the admin view.
func getOrders(t *testing.T, app *app) string {
	t.Helper()
	admin := httptest.NewServer(app.adminRoutes())
	defer admin.Close()
	resp, err := http.Get(admin.URL + "/orders")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return string(body)
}

// TestReceiverCatchesUpFromTheEventLog: the exchanger lost every delivery;
// the receiver still runs the events, from the API's event log.
func TestReceiverCatchesUpFromTheEventLog(t *testing.T) {
	fake := clienttest.NewServer(t, clienttest.WithWebhookDropWindow(0, time.Hour))
	_, whSecret, err := fake.RegisterWebhook("http://127.0.0.1:1/webhook")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{"paid", "completed"} {
		if _, err := fake.EmitEvent(webhook.TypeOrderStatusChanged, map[string]any{
			"order": map[string]any{"tracking_id": "TRK9", "status": map[string]any{"key": st, "is_final": st == "completed"}}}); err != nil {
			t.Fatal(err)
		}
	}
	key := fake.Key()
	cfg, err := parseConfig([]string{"-db", filepath.Join(t.TempDir(), "r.db"), "-catch-up-from", "1h"}, env(map[string]string{
		"IEX_WEBHOOK_SECRET": whSecret, "IEX_API_BASE_URL": fake.URL, "IEX_API_TOKEN": key.Token, "IEX_API_HMAC_SECRET": key.HMACSecret,
	}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	app, err := open(context.Background(), cfg, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer app.close()
	if app.catchUp == nil {
		t.Fatal("catch-up is off with the API configured")
	}
	res, err := app.catchUp.RunOnce(context.Background())
	if err != nil || res.Ran != 2 {
		t.Fatalf("catch-up pass %+v, %v", res, err)
	}
	if got := getOrders(t, app); !strings.Contains(got, `"tracking_id":"TRK9","status":"completed","is_final":true`) {
		t.Fatalf("orders after catch-up: %s", got)
	}
	admin := httptest.NewServer(app.adminRoutes())
	defer admin.Close()
	resp, err := http.Post(admin.URL+"/catch-up", "", nil)
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /catch-up: %v %v", resp, err)
	}
	resp.Body.Close()
}
