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
//
// It is a thin caller of clienttest.Flags, which `iex fake` runs too: both
// take the same flags.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/iexkit/exchanger-go/client/clienttest"
	"github.com/iexkit/exchanger-go/examples/internal/demo"
)

func main() {
	demo.Main("fake-exchanger", func(ctx context.Context, stdout io.Writer, args []string) error {
		return run(ctx, args, stdout, os.Stderr)
	})
}

// run serves until ctx is done. Usage goes to stdout, diagnostics to
// stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := clienttest.DefaultFlags()
	fs := flag.NewFlagSet("fake-exchanger", flag.ContinueOnError)
	fs.SetOutput(stdout)
	f.Register(fs)
	fs.Usage = func() {
		fmt.Fprintf(stdout, `Usage: fake-exchanger [flags]

Runs the SDK's fake iEXExchanger API (package clienttest) on its own, for
curl, Postman or clients in other languages. It prints the base URL, the
token and the HMAC secret of its one API key (and, with -webhook-url, the
webhook signing secret), then serves until interrupted. New orders walk
through -schedule on their own; every state lives in memory.

The same server runs as "iex fake" (go install ./cmd/iex), with "iex trigger"
to send webhook events.

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	s, err := f.Start(clienttest.WithLogger(slog.New(slog.NewTextHandler(stderr, nil))))
	if err != nil {
		return err
	}
	defer s.Close()

	k := s.Key()
	fmt.Fprintln(stdout, "fake exchanger (clienttest) is serving")
	fmt.Fprintf(stdout, "  base URL:        %s\n", s.URL)
	fmt.Fprintf(stdout, "  token:           %s\n", k.Token)
	fmt.Fprintf(stdout, "  HMAC secret:     %s (signatures required for: %s)\n", k.HMACSecret, k.HMAC)
	if f.WebhookURL != "" {
		id, secret, err := s.RegisterWebhook(f.WebhookURL)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  webhook secret:  %s (endpoint %s -> %s)\n", secret, id, f.WebhookURL)
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
