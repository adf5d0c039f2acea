// Command status-bot follows many iEXExchanger orders until every one has a
// final status, the way the API asks bots to: webhooks first, and polling
// only for the orders that have had no event for a while (-stale), paced to
// stay within the key's rate limit as (*client.Client).RateLimit reports it.
//
//	go run ./examples/status-bot
//
// Without IEX_API_BASE_URL it starts the SDK's fake exchanger (package
// clienttest) in the process, creates -orders orders that move through
// paid, processing and completed on their own, and registers a local
// webhook receiver that loses every -fake-lose'th delivery, so that the
// polling fallback has something to do.
//
// With IEX_API_BASE_URL, IEX_API_TOKEN (and IEX_API_HMAC_SECRET) it follows
// the orders named on the command line on that exchanger:
//
//	status-bot -webhook-url https://bot.example/webhook -listen :8080 TRK1001 TRK1002
//
// Without -webhook-url (a public URL that reaches -listen) it only polls.
// At the end it prints one summary line per order. Diagnostics go to stderr
// through log/slog (-v for debug); no token or secret is ever printed.
package main

import (
	"context"
	"io"

	"github.com/iexkit/exchanger-go/examples/internal/demo"
)

func main() {
	demo.Main("status-bot", run)
}

// run is the program: it follows the orders until all are final or ctx
// ends, writing the summary to w.
func run(ctx context.Context, w io.Writer, args []string) error {
	return runEnv(ctx, w, args, demo.OSEnv())
}
