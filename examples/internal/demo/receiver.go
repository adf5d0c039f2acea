package demo

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

// ReceiverConfig says where a Receiver listens and what it registers.
type ReceiverConfig struct {
	Listen    string   // address to listen on, such as 127.0.0.1:0
	PublicURL string   // URL the exchanger calls; empty: the listener's own loopback URL
	Name      string   // the endpoint's name at the exchanger
	Events    []string // event types to subscribe to
	Buffer    int      // capacity of Events(); 64 when zero

	// Wrap, when set, wraps the verifying handler (the status bot's
	// demonstration of lost deliveries).
	Wrap func(http.Handler) http.Handler
}

// Receiver is a local webhook endpoint: it verifies every delivery with the
// endpoint's secret, runs each event id once (MemoryStore) and hands the
// verified events on through Events.
type Receiver struct {
	EndpointID string
	URL        string

	events chan *webhook.Event
	hs     *http.Server
	served chan struct{}
}

// StartReceiver listens on cfg.Listen, registers the endpoint through the
// API and serves deliveries with the secret the API returned.
func StartReceiver(ctx context.Context, c *client.Client, cfg ReceiverConfig, e Env, log *slog.Logger) (*Receiver, error) {
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("webhook receiver: %w", err)
	}
	url := cfg.PublicURL
	if url == "" {
		url = "http://" + ln.Addr().String() + "/webhook"
	}
	ep, err := c.CreateWebhookEndpoint(ctx, client.CreateWebhookEndpointParams{Name: cfg.Name, URL: url, Events: cfg.Events})
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("registering the webhook endpoint: %w", err)
	}
	secret := ep.Secret.Reveal() // returned once, at creation: it verifies every delivery
	e.Secret(secret)
	buffer := cfg.Buffer
	if buffer <= 0 {
		buffer = 64
	}
	r := &Receiver{EndpointID: ep.ID, URL: url, events: make(chan *webhook.Event, buffer), served: make(chan struct{})}
	h, err := r.handler(secret, cfg.Wrap, log)
	if err != nil {
		ln.Close()
		r.unregister(c, log)
		return nil, err
	}
	r.hs = &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		defer close(r.served)
		if err := r.hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("webhook receiver stopped", "err", err)
		}
	}()
	return r, nil
}

// handler serves /webhook with the SDK's verifying, deduplicating handler.
func (r *Receiver) handler(secret string, wrap func(http.Handler) http.Handler, log *slog.Logger) (http.Handler, error) {
	v, err := webhook.NewVerifier(secret)
	if err != nil {
		return nil, fmt.Errorf("webhook verifier: %w", err)
	}
	h, err := webhook.NewHandler(v, webhook.NewMemoryStore(), r.deliver, webhook.WithLogger(log))
	if err != nil {
		return nil, fmt.Errorf("webhook handler: %w", err)
	}
	var next http.Handler = h
	if wrap != nil {
		next = wrap(h)
	}
	mux := http.NewServeMux()
	mux.Handle("/webhook", next)
	return mux, nil
}

// Events delivers the verified events, each event id once.
func (r *Receiver) Events() <-chan *webhook.Event { return r.events }

// deliver is the handler's business action: pass the verified event on.
// An error makes the handler answer 500, so the sender retries.
func (r *Receiver) deliver(ctx context.Context, ev *webhook.Event) error {
	select {
	case r.events <- ev:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stop shuts the receiver down and deletes its endpoint, so that the
// exchanger does not keep sending to a URL nobody serves.
func (r *Receiver) Stop(c *client.Client, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = r.hs.Shutdown(ctx)
	<-r.served
	r.unregister(c, log)
}

func (r *Receiver) unregister(c *client.Client, log *slog.Logger) {
	// A fresh context: the run's own may already be cancelled (Ctrl-C).
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.DeleteWebhookEndpoint(ctx, r.EndpointID); err != nil {
		log.Warn("could not delete the webhook endpoint", "endpoint", r.EndpointID, "err", err)
	}
}
