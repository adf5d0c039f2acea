// Command fake-exchanger runs the SDK's fake iEXExchanger API (package
// clienttest) as a standalone server, so that curl, Postman or clients in
// other languages can be tried against it:
//
//	go run ./examples/fake-exchanger -addr 127.0.0.1:8080
//
// It prints the base URL, the API token, the HMAC secret and, with
// -webhook-url, the webhook signing secret, then serves until interrupted.
// Printing secrets is this development fake's job; never do it with real
// credentials.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/iexkit/exchanger-go/client/clienttest"
	"github.com/iexkit/exchanger-go/examples/internal/demo"
)

func main() {
	demo.Main("fake-exchanger", func(ctx context.Context, stdout io.Writer, args []string) error {
		return run(ctx, args, stdout, os.Stderr)
	})
}

// run serves until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fake-exchanger", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "TCP address to listen on")
	hmacMode := fs.String("hmac", "writes", "which requests must be signed: off, writes or all")
	webhookURL := fs.String("webhook-url", "", "register a webhook endpoint at this URL for every event")
	schedule := fs.String("schedule", "processing,completed", "statuses every new order walks through (empty: none)")
	every := fs.Duration("every", 10*time.Second, "time between two steps of -schedule")
	rate := fs.Int("rate-limit", 600, "requests per key per -rate-window (0: no limit)")
	window := fs.Duration("rate-window", time.Minute, "rate limit window")
	daily := fs.Int("daily-quota", 0, "requests per key per UTC day (0: unlimited)")
	monthly := fs.Int("monthly-quota", 0, "requests per key per UTC month (0: unlimited)")
	latency := fs.Duration("latency", 0, "delay added to every response")
	if err := fs.Parse(args); err != nil {
		return err
	}
	mode, err := clienttest.ParseHMACMode(*hmacMode)
	if err != nil {
		return err
	}
	var statuses []string
	for _, st := range strings.Split(*schedule, ",") {
		if st = strings.TrimSpace(st); st != "" {
			statuses = append(statuses, st)
		}
	}
	for _, st := range statuses {
		known := false
		for _, k := range clienttest.Statuses() {
			known = known || k == st
		}
		if !known {
			return fmt.Errorf("-schedule: unknown status %q (known: %s)", st, strings.Join(clienttest.Statuses(), ", "))
		}
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	s, err := clienttest.New(
		clienttest.WithAddr(*addr),
		clienttest.WithKeyOptions(clienttest.KeyOptions{Name: "fake-exchanger", HMAC: mode}),
		clienttest.WithOrderSchedule(statuses, *every),
		clienttest.WithRateLimit(*rate, *window),
		clienttest.WithQuota(*daily, *monthly),
		clienttest.WithWebhookRetry(6, time.Second, time.Minute),
		clienttest.WithLogger(logger),
	)
	if err != nil {
		return err
	}
	defer s.Close()
	s.SetLatency(*latency)

	k := s.Key()
	fmt.Fprintln(stdout, "fake exchanger (clienttest) is serving")
	fmt.Fprintf(stdout, "  base URL:        %s\n", s.URL)
	fmt.Fprintf(stdout, "  token:           %s\n", k.Token)
	fmt.Fprintf(stdout, "  HMAC secret:     %s (signatures required for: %s)\n", k.HMACSecret, k.HMAC)
	if *webhookURL != "" {
		id, secret, err := s.RegisterWebhook(*webhookURL)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  webhook secret:  %s (endpoint %s -> %s)\n", secret, id, *webhookURL)
	} else {
		fmt.Fprintln(stdout, "  webhook secret:  none yet: pass -webhook-url, or POST /private/webhooks (the secret is in its answer)")
	}
	fmt.Fprintln(stdout, "environment for the SDK's examples:")
	fmt.Fprintf(stdout, "  export IEX_API_BASE_URL=%s IEX_API_TOKEN='%s' IEX_API_HMAC_SECRET=%s\n", s.URL, k.Token, k.HMACSecret)
	fmt.Fprintln(stdout, "try:")
	fmt.Fprintf(stdout, "  curl -s %s/ping\n", s.URL)
	fmt.Fprintf(stdout, "  curl -s -H 'Authorization: Bearer %s' %s/private/exchange/routes\n", k.Token, s.URL)
	fmt.Fprintln(stdout, "Ctrl-C stops it.")

	<-ctx.Done()
	fmt.Fprintln(stdout, "stopping")
	return nil
}
