// Command iex is the command-line tool for integrators of the iEXExchanger
// API v3, built on the SDK's public packages only:
//
//	go install github.com/iexkit/exchanger-go/cmd/iex@latest
//
// It calls any operation signed, with the SDK's retries, pacing and typed
// errors (iex call), explains a request signature the way the server
// rebuilds it (iex sign --explain), checks a saved webhook delivery (iex
// webhook verify), forwards the account's events to a local receiver
// without a public URL (iex listen), follows an order to a final status
// (iex orders wait), and runs the SDK's fake exchanger with events on
// demand (iex fake, iex trigger).
//
// Configuration comes from the environment variables of client.FromEnv
// (IEX_API_BASE_URL, IEX_API_TOKEN, IEX_API_HMAC_SECRET) and flags. Secrets
// are read from the environment or from files (--token-file and the like),
// never from a flag's value, and never printed. Run "iex help" for the
// commands and the exit codes.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
