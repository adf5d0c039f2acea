// Command webhook-receiver is a CRM-style receiver of iEXExchanger webhooks.
//
// It verifies every delivery, runs each event once (even with several
// replicas sharing one database) and keeps a small CRM table of orders and
// their latest status, answering 2xx only after the event is recorded.
//
//	IEX_WEBHOOK_SECRET=whsec_... go run ./examples/webhook-receiver
//
// Configuration (flags override nothing secret; secrets come from the
// environment only):
//
//	IEX_WEBHOOK_SECRET  webhook secret(s), comma-separated during rotation (required)
//	IEX_WEBHOOK_DSN     PostgreSQL DSN; when empty, the SQLite file of -db is used
//
// Run with -h for the flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/iexkit/exchanger-go/examples/internal/demo"
)

func main() {
	demo.Main("webhook-receiver", func(ctx context.Context, _ io.Writer, args []string) error {
		return run(ctx, args, os.Getenv, os.Stderr)
	})
}

// config is what the flags and the environment say.
type config struct {
	addr      string
	path      string
	sqlite    string
	dsn       string
	secrets   []string
	tolerance time.Duration
	maxBody   int64
	retention time.Duration
}

func parseConfig(args []string, getenv func(string) string, out io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("webhook-receiver", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen address")
	fs.StringVar(&c.path, "path", "/webhook", "URL path of the webhook endpoint")
	fs.StringVar(&c.sqlite, "db", "webhook-receiver.db", "SQLite file, used when IEX_WEBHOOK_DSN is empty")
	fs.DurationVar(&c.tolerance, "tolerance", 5*time.Minute, "freshness window of X-Webhook-Timestamp (0 turns it off)")
	fs.Int64Var(&c.maxBody, "max-body", 1<<20, "largest accepted body in bytes")
	fs.DurationVar(&c.retention, "retention", 7*24*time.Hour, "how long done event ids are kept for deduplication")
	fs.Usage = func() {
		fmt.Fprint(out, `Usage: webhook-receiver [flags]

A CRM-style receiver of iEXExchanger webhooks: verifies each delivery, runs
each event once across replicas, and keeps the latest status of every order.

Environment:
  IEX_WEBHOOK_SECRET  webhook secret; several, comma-separated, while rotating (required)
  IEX_WEBHOOK_DSN     PostgreSQL DSN (postgres://user:pass@host/db); empty: SQLite file of -db

Endpoints:
  POST <path>    webhook deliveries
  GET  /healthz  liveness and database check
  GET  /orders   the CRM table as JSON lines

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q (see -h)", fs.Args())
	}
	for _, s := range strings.Split(getenv("IEX_WEBHOOK_SECRET"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			c.secrets = append(c.secrets, s)
		}
	}
	if len(c.secrets) == 0 {
		return c, errors.New("IEX_WEBHOOK_SECRET is not set (see -h)")
	}
	c.dsn = getenv("IEX_WEBHOOK_DSN")
	if !strings.HasPrefix(c.path, "/") {
		return c, fmt.Errorf("-path must start with '/', got %q", c.path)
	}
	return c, nil
}

func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	cfg, err := parseConfig(args, getenv, out)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(out, nil))

	app, err := open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer app.close()

	srv := &http.Server{
		Addr:              cfg.addr,
		Handler:           app.routes(cfg.path),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	go app.purgeLoop(ctx, cfg.retention)

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("listening", "addr", cfg.addr, "path", cfg.path, "store", app.storeName)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing deliveries in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}
