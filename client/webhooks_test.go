package client

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

const endpointJSON = `{"endpoint":{"id":"` + uuidA + `","name":"crm","url":"https://crm.example/hooks",
	"events":["order.status_changed"],"status":"active","signing_algorithm":"hmac-sha256-v1","secret":"whsec_live_s3cr3t"}}`

func TestWebhookSecretNeverPrints(t *testing.T) {
	_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) { envelope(w, 201, rawJSON(endpointJSON), nil) })
	ep, err := c.CreateWebhookEndpoint(context.Background(), CreateWebhookEndpointParams{Name: "crm", URL: "https://crm.example/hooks", Events: []string{"order.status_changed"}})
	if err != nil {
		t.Fatal(err)
	}
	if ep.Secret.Reveal() != "whsec_live_s3cr3t" || ep.ID != uuidA || ep.Events[0] != "order.status_changed" {
		t.Fatalf("endpoint = %+v", ep)
	}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("created", "endpoint", ep, "secret", ep.Secret)
	for _, s := range []string{fmt.Sprint(ep), fmt.Sprintf("%v %+v %#v %s %q", ep, ep, ep, ep.Secret, ep.Secret), fmt.Sprintf("%#v", *ep), logs.String()} {
		if strings.Contains(s, "s3cr3t") {
			t.Fatalf("secret printed: %s", s)
		}
	}
	if !strings.Contains(fmt.Sprint(ep.Secret), "REDACTED") {
		t.Fatalf("secret prints as %q", fmt.Sprint(ep.Secret))
	}
}

func TestWebhookEndpointsListAndGet(t *testing.T) {
	_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v3/private/webhooks" {
			envelope(w, 200, rawJSON(`{"endpoints":[{"id":"e1","status":"paused"}],"events":[{"event":"api.test","title":"Test"}],"limits":{"max":5}}`), nil)
			return
		}
		envelope(w, 200, rawJSON(`{"id":"e1","name":"bare, not wrapped","status":"active"}`), nil)
	})
	list, err := c.WebhookEndpoints(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Endpoints) != 1 || list.Endpoints[0].Status != "paused" || list.Events[0].Event != "api.test" || list.Limits["max"] != 5.0 {
		t.Fatalf("list = %+v", list)
	}
	ep, err := c.WebhookEndpoint(context.Background(), uuidA)
	if err != nil {
		t.Fatal(err)
	}
	if ep.Name != "bare, not wrapped" || ep.Secret != "" {
		t.Fatalf("endpoint = %+v", ep)
	}
}
