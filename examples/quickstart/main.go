// Command quickstart walks through the whole iEXExchanger order flow with the
// SDK and prints a short transcript:
//
//	go run ./examples/quickstart
//
// ping, the key's health, payment systems, a route, its capabilities, a
// quote, a preflight, an order created with a business Idempotency-Key (and
// repeated with the same key, which creates nothing), then the order's
// status from verified order.status_changed webhooks, with polling as the
// fallback, until the status is final.
//
// Without IEX_API_BASE_URL it starts the SDK's fake exchanger (package
// clienttest) in the process, whose orders complete on their own within a
// couple of seconds, and a local webhook receiver registered through the API.
//
// With IEX_API_BASE_URL, IEX_API_TOKEN (and IEX_API_HMAC_SECRET when the key
// requires signatures) it talks to that exchanger. It then creates a real
// order only with -create, and registers a webhook endpoint only with
// -webhook-url (a public URL that reaches -listen, since a real exchanger
// cannot call 127.0.0.1); without one it polls.
//
// The transcript never shows a token or a secret. Diagnostics go to stderr
// through log/slog (-v for debug). Run with -h for the flags.
package main

import (
	"context"
	"io"

	"github.com/iexkit/exchanger-go/examples/internal/demo"
)

func main() {
	demo.Main("quickstart", run)
}

// run is the program: it parses args, writes the transcript to w and
// returns when the order is final (or, against a real exchanger without
// -create, after the preflight).
func run(ctx context.Context, w io.Writer, args []string) error {
	return runEnv(ctx, w, args, demo.OSEnv())
}
