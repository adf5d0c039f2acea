package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/webhook"
)

// receiver is the local webhook endpoint: it verifies every delivery with
// the endpoint's secret, runs each event id once (MemoryStore) and hands the
// verified events to the flow.
type receiver struct {
	endpointID string
	url        string
	events     chan *webhook.Event
	hs         *http.Server
	served     chan struct{}
}

// startReceiver listens on listen, registers publicURL (or, when empty, the
// listener's own loopback URL) through the API for order.status_changed, and
// serves deliveries with the secret the API returned.
func startReceiver(ctx context.Context, c *client.Client, listen, publicURL string, e env, log *slog.Logger) (*receiver, error) {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("webhook receiver: %w", err)
	}
	url := publicURL
	if url == "" {
		url = "http://" + ln.Addr().String() + "/webhook"
	}
	ep, err := c.CreateWebhookEndpoint(ctx, client.WebhookEndpointParams{
		Name:   "exchanger-go quickstart",
		URL:    url,
		Events: []string{webhook.TypeOrderStatusChanged},
	})
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("registering the webhook endpoint: %w", err)
	}
	secret := ep.Secret.Reveal() // returned once, at creation: it verifies every delivery
	e.secret(secret)
	r := &receiver{endpointID: ep.ID, url: url, events: make(chan *webhook.Event, 64), served: make(chan struct{})}
	v, err := webhook.NewVerifier(secret)
	if err != nil {
		ln.Close()
		r.unregister(c, log)
		return nil, fmt.Errorf("webhook verifier: %w", err)
	}
	h, err := webhook.NewHandler(v, webhook.NewMemoryStore(), r.deliver, webhook.WithLogger(log))
	if err != nil {
		ln.Close()
		r.unregister(c, log)
		return nil, fmt.Errorf("webhook handler: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/webhook", h)
	r.hs = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		defer close(r.served)
		if err := r.hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("webhook receiver stopped", "err", err)
		}
	}()
	return r, nil
}

// deliver is the handler's business action: pass the verified event on.
// An error makes the handler answer 500, so the sender retries.
func (r *receiver) deliver(ctx context.Context, ev *webhook.Event) error {
	select {
	case r.events <- ev:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// stop shuts the receiver down and deletes its endpoint, so that a real
// exchanger does not keep sending to a URL nobody serves.
func (r *receiver) stop(c *client.Client, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = r.hs.Shutdown(ctx)
	<-r.served
	r.unregister(c, log)
}

func (r *receiver) unregister(c *client.Client, log *slog.Logger) {
	// A fresh context: the run's own may already be cancelled (Ctrl-C).
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.DeleteWebhookEndpoint(ctx, r.endpointID); err != nil {
		log.Warn("could not delete the webhook endpoint", "endpoint", r.endpointID, "err", err)
	}
}
