package client

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

func TestKeyInfoDecodesBothShapes(t *testing.T) {
	var a, b KeyInfo
	if err := json.Unmarshal([]byte(`{"id":"12","name":"staging-crm","scopes":["orders:read"],"security":{"hmac_required":true},"expires_at":"2027-01-02T03:04:05Z","last_used_at":null}`), &a); err != nil {
		t.Fatal(err)
	}
	if a.ID != 12 || a.Name != "staging-crm" || !a.HMACRequired || a.ExpiresAt.Year() != 2027 || !a.LastUsedAt.IsZero() {
		t.Fatalf("%+v", a)
	}
	if err := json.Unmarshal([]byte(`{"id":5,"hmac_required":true,"expires_at":null,"scopes":["*"]}`), &b); err != nil {
		t.Fatal(err)
	}
	if b.ID != 5 || !b.HMACRequired || !b.ExpiresAt.IsZero() || !b.HasScope("public-api:anything") {
		t.Fatalf("%+v", b)
	}
	if !a.HasScope("public-api:orders:read") || a.HasScope("orders:detail:read") {
		t.Fatal("HasScope")
	}
}

func TestClientHealthToleratesShapesAndWarnsOnlyWithinWindow(t *testing.T) {
	bodies := []string{
		`{"health":{"version":"client-health-v1","status":"ok","token":{"name":"k","expires_at":"` + time.Now().Add(90*24*time.Hour).UTC().Format(time.RFC3339) + `"},"time":"not a time"}}`,
		`{"version":"client-health-v1","status":"warning","token":null,"time":"2026-06-23T10:00:00Z"}`,
	}
	f := newFakeExchanger(t, func(n int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"state":0,"message":"OK","result":` + bodies[n-1] + `,"meta":{}}`))
	})
	var warned bool
	c := newTestClient(t, f)
	c.logger = newTestLogger(func(msg string) { warned = warned || msg == "client: API key expires soon; rotate it" })
	h, err := c.ClientHealth(context.Background())
	if err != nil || h.Status != "ok" || h.Key == nil || !h.Time.IsZero() || warned {
		t.Fatalf("%+v %v warned=%v", h, err, warned)
	}
	if ki, ok := c.KeyInfo(); !ok || ki.Name != "k" {
		t.Fatal("key info not recorded")
	}
	h, err = c.ClientHealth(context.Background())
	if err != nil || h.Status != "warning" || h.Key != nil || h.Time.IsZero() {
		t.Fatalf("%+v %v", h, err)
	}
}
