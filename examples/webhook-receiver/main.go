// Command webhook-receiver is a CRM-style receiver of iEXExchanger webhooks.
//
// It verifies every delivery, runs each event once (even with several
// replicas sharing one database) and keeps a small CRM table of orders and
// their latest status, answering 2xx only after the event is recorded. The
// CRM write and the event's done mark commit in one transaction
// (webhook.NewTxHandler). Beside live deliveries it catches up from the
// API's event log (webhook.CatchUp), so events the exchanger could not
// deliver, or gave up on, still run once.
//
//	IEX_WEBHOOK_SECRET=whsec_... IEX_API_BASE_URL=https://... IEX_API_TOKEN=... go run ./examples/webhook-receiver
//
// Configuration (flags override nothing secret; secrets come from the
// environment only):
//
//	IEX_WEBHOOK_SECRET   webhook secret(s), comma-separated during rotation (required)
//	IEX_WEBHOOK_DSN      PostgreSQL DSN; when empty, the SQLite file of -db is used
//	IEX_API_BASE_URL     the API, for catch-up; without it only live deliveries arrive
//	IEX_API_TOKEN        API token (scope public-api:webhooks:deliveries:read)
//	IEX_API_HMAC_SECRET  API HMAC secret, when the key requires signed reads
//
// The CRM view (GET /orders) has no authentication, so it is served only on
// the separate -admin-addr, off by default: bind it to loopback or a private
// network, never to the address the exchanger reaches.
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

	"github.com/iexkit/exchanger-go/client"
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
	adminAddr string // empty: no admin listener

	// Catch-up from the API's event log; off when apiBaseURL is empty or
	// catchUpEvery is 0.
	apiBaseURL, apiToken, apiHMAC string
	catchUpEvery                  time.Duration
	catchUpFrom                   time.Duration
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
	fs.StringVar(&c.adminAddr, "admin-addr", "", "address of the unauthenticated admin view (GET /orders, POST /catch-up); empty: off. Keep it on loopback or a private network")
	fs.DurationVar(&c.catchUpEvery, "catch-up-interval", time.Minute, "time between catch-up passes over the API's event log (0 turns catch-up off)")
	fs.DurationVar(&c.catchUpFrom, "catch-up-from", 0, "on the very first run, also catch up events this far back (0: from now)")
	fs.Usage = func() {
		fmt.Fprint(out, `Usage: webhook-receiver [flags]

A CRM-style receiver of iEXExchanger webhooks: verifies each delivery, runs
each event once across replicas, and keeps the latest status of every order.

Environment:
  IEX_WEBHOOK_SECRET   webhook secret; several, comma-separated, while rotating (required)
  IEX_WEBHOOK_DSN      PostgreSQL DSN (postgres://user:pass@host/db); empty: SQLite file of -db
  IEX_API_BASE_URL     the API, for catch-up from its event log (recommended)
  IEX_API_TOKEN        API token with public-api:webhooks:deliveries:read
  IEX_API_HMAC_SECRET  API HMAC secret, if the key requires it

Endpoints on -addr:
  POST <path>    webhook deliveries
  GET  /healthz  liveness and database check

Endpoints on -admin-addr (only when set; no authentication):
  GET  /orders    the CRM table as JSON lines
  POST /catch-up  start a catch-up pass now

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
	c.apiBaseURL = getenv(client.EnvBaseURL)
	c.apiToken = getenv(client.EnvToken)
	c.apiHMAC = getenv(client.EnvHMACSecret)
	if c.apiBaseURL != "" && c.apiToken == "" {
		return c, errors.New(client.EnvBaseURL + " is set but " + client.EnvToken + " is not (see -h)")
	}
	if c.catchUpEvery < 0 || c.catchUpFrom < 0 {
		return c, errors.New("-catch-up-interval and -catch-up-from must not be negative")
	}
	if c.adminAddr != "" && c.adminAddr == c.addr {
		return c, errors.New("-admin-addr must differ from -addr: the admin view has no authentication")
	}
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
	catchUpDone := make(chan struct{})
	if app.catchUp != nil {
		go func() {
			defer close(catchUpDone)
			_ = app.catchUp.Run(ctx) // returns when ctx ends, after the event in hand
		}()
		log.Info("catching up from the API's event log", "every", cfg.catchUpEvery)
	} else {
		close(catchUpDone)
		log.Warn("catch-up is off: events the exchanger fails to deliver are not run (set " + client.EnvBaseURL + " and " + client.EnvToken + ")")
	}

	errc := make(chan error, 2)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("listening", "addr", cfg.addr, "path", cfg.path, "store", app.storeName)
	var admin *http.Server
	if cfg.adminAddr != "" {
		admin = &http.Server{Addr: cfg.adminAddr, Handler: app.adminRoutes(), ReadHeaderTimeout: 10 * time.Second}
		go func() { errc <- admin.ListenAndServe() }()
		log.Warn("admin view without authentication", "addr", cfg.adminAddr)
	}

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing deliveries in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if admin != nil {
		_ = admin.Shutdown(shutdownCtx)
	}
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	<-catchUpDone
	log.Info("stopped")
	return nil
}
