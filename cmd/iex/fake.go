package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

const fakeUsage = `Usage: iex fake [flags]

Runs the SDK's fake exchanger (package clienttest) on this machine: the
whole API v3 in memory, with its rules (tokens, HMAC signatures, scopes,
idempotency, rate limits), orders that walk through -schedule on their own,
and signed webhook deliveries to the endpoints registered through the API
or with -webhook-url. It prints its base URL and the test credentials of
its one key, as the environment the other commands read, then serves until
interrupted. The same server runs as examples/fake-exchanger.

Then, in another shell:
  iex call GET /private/exchange/routes
  iex listen --forward-to http://localhost:8080/webhook
  iex trigger order.status_changed
`

// runFake is "iex fake".
func runFake(ctx context.Context, a *app, args []string) error {
	fs := a.newFlagSet("fake", fakeUsage)
	f := clienttest.DefaultFlags()
	f.Register(fs.FlagSet)
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := fs.wantArgs(pos); err != nil {
		return err
	}
	if _, err := f.Options(); err != nil {
		return usagef("fake: %v", err)
	}
	s, err := f.Start(clienttest.WithLogger(slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	if err != nil {
		return err
	}
	defer s.Close()
	k := s.Key()
	w := a.stdout
	// These are the fake's own test credentials: printing them is its job.
	fmt.Fprintf(w, "fake exchanger serving at %s (signatures required for: %s)\n", s.URL, k.HMAC)
	if f.WebhookURL != "" {
		id, secret, err := s.RegisterWebhook(f.WebhookURL)
		if err != nil {
			return usagef("fake: -webhook-url: %v", err)
		}
		fmt.Fprintf(w, "webhook endpoint %s -> %s\n", id, f.WebhookURL)
		fmt.Fprintf(w, "  export %s=%s\n", envWebhookSecret, secret)
	}
	fmt.Fprintln(w, "in another shell:")
	fmt.Fprintf(w, "  export %s=%s\n", client.EnvBaseURL, s.URL)
	fmt.Fprintf(w, "  export %s='%s'\n", client.EnvToken, k.Token)
	fmt.Fprintf(w, "  export %s=%s\n", client.EnvHMACSecret, k.HMACSecret)
	fmt.Fprintln(w, "  iex call GET /private/exchange/routes")
	fmt.Fprintln(w, "  iex listen --forward-to http://localhost:8080/webhook   # your receiver")
	fmt.Fprintln(w, "  iex trigger order.status_changed")
	fmt.Fprintln(w, "Ctrl-C stops it.")
	<-ctx.Done()
	fmt.Fprintln(w, "stopping")
	return nil
}
