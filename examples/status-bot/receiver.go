package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/webhook"
)

// receiver is the bot's webhook endpoint: verified, deduplicated order
// events are handed to the follower through events.
type receiver struct {
	endpointID string
	url        string
	events     chan *webhook.Event
	hs         *http.Server
	served     chan struct{}
	lost       atomic.Int64
}

// startReceiver listens on listen, registers publicURL (or, when empty, the
// listener's own loopback URL) through the API for the order events, and
// serves deliveries with the secret the API returned. loseEvery > 0 makes
// it lose every loseEvery'th delivery (the fake's demo of webhook trouble).
func startReceiver(ctx context.Context, c *client.Client, listen, publicURL string, loseEvery int, e env, log *slog.Logger) (*receiver, error) {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("webhook receiver: %w", err)
	}
	url := publicURL
	if url == "" {
		url = "http://" + ln.Addr().String() + "/webhook"
	}
	ep, err := c.CreateWebhookEndpoint(ctx, client.WebhookEndpointParams{
		Name:   "exchanger-go status-bot",
		URL:    url,
		Events: []string{webhook.TypeOrderStatusChanged, webhook.TypeOrderPaymentReceived},
	})
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("registering the webhook endpoint: %w", err)
	}
	secret := ep.Secret.Reveal() // returned once, at creation
	e.secret(secret)
	r := &receiver{endpointID: ep.ID, url: url, events: make(chan *webhook.Event, 256), served: make(chan struct{})}
	v, err := webhook.NewVerifier(secret)
	if err == nil {
		var h *webhook.Handler
		h, err = webhook.NewHandler(v, webhook.NewMemoryStore(), r.deliver, webhook.WithLogger(log))
		if err == nil {
			mux := http.NewServeMux()
			mux.Handle("/webhook", r.lossy(h, loseEvery))
			r.hs = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		}
	}
	if err != nil {
		ln.Close()
		r.unregister(c, log)
		return nil, fmt.Errorf("webhook handler: %w", err)
	}
	go func() {
		defer close(r.served)
		if err := r.hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("webhook receiver stopped", "err", err)
		}
	}()
	return r, nil
}

// lossy answers 503 to every n'th delivery without looking at it.
func (r *receiver) lossy(next http.Handler, n int) http.Handler {
	if n <= 0 {
		return next
	}
	var seen atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if seen.Add(1)%int64(n) == 0 {
			r.lost.Add(1)
			http.Error(w, "lost on purpose (-fake-lose)", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, req)
	})
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

// stop shuts the receiver down and deletes its endpoint, so that the
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
