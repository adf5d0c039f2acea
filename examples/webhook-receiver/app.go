package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	_ "modernc.org/sqlite"             // driver "sqlite"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/webhook"
)

// app is the receiver: a database holding both the replay store's table and
// the CRM's orders table, the webhook handler in front of them and the
// catch-up that feeds the same handler from the API's event log.
type app struct {
	db        *sql.DB
	dialect   webhook.Dialect
	store     *webhook.SQLStore
	handler   *webhook.Handler
	catchUp   *webhook.CatchUp // nil when catch-up is off
	log       *slog.Logger
	storeName string
}

func open(ctx context.Context, cfg config, log *slog.Logger) (*app, error) {
	a := &app{log: log}
	var err error
	if cfg.dsn != "" {
		a.db, err = sql.Open("pgx", cfg.dsn)
		a.dialect, a.storeName = webhook.Postgres, "postgres"
	} else {
		// WAL and a busy timeout let several connections (and several
		// receiver processes on one host) share the file.
		a.db, err = sql.Open("sqlite", "file:"+cfg.sqlite+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
		a.dialect, a.storeName = webhook.SQLite, "sqlite:"+cfg.sqlite
	}
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := a.db.PingContext(pingCtx); err != nil {
		a.db.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}

	if a.store, err = webhook.NewSQLStore(a.db, a.dialect); err == nil {
		err = a.store.CreateTable(pingCtx)
	}
	if err == nil {
		_, err = a.db.ExecContext(pingCtx, `CREATE TABLE IF NOT EXISTS crm_orders (
	tracking_id VARCHAR(128) PRIMARY KEY,
	status      VARCHAR(64)  NOT NULL,
	is_final    BOOLEAN      NOT NULL,
	last_event  VARCHAR(256) NOT NULL,
	updated_at  BIGINT       NOT NULL
)`)
	}
	if err != nil {
		a.db.Close()
		return nil, fmt.Errorf("prepare tables: %w", err)
	}

	v, err := webhook.NewVerifier(cfg.secrets[0], webhook.WithSecrets(cfg.secrets[1:]...),
		webhook.WithTolerance(cfg.tolerance), webhook.WithMaxBodySize(cfg.maxBody))
	if err != nil {
		a.db.Close()
		return nil, err
	}
	// The CRM write runs in the transaction that marks the event done: both
	// commit, or neither does and the event runs again later.
	a.handler, err = webhook.NewTxHandler(v, a.store, a.onEvent, webhook.WithLogger(log))
	if err != nil {
		a.db.Close()
		return nil, err
	}
	if cfg.apiBaseURL != "" && cfg.catchUpEvery > 0 {
		if a.catchUp, err = newCatchUp(cfg, a.handler); err != nil {
			a.db.Close()
			return nil, err
		}
	}
	return a, nil
}

// newCatchUp runs the events of the API's event log that were not done live
// through the same handler: same store, same event ids, same business
// function. Those events are authenticated by the API call (token and HMAC
// request signature), not by a webhook signature.
func newCatchUp(cfg config, h *webhook.Handler) (*webhook.CatchUp, error) {
	opts := []client.Option{client.WithToken(cfg.apiToken)}
	if cfg.apiHMAC != "" {
		opts = append(opts, client.WithHMACSecret(cfg.apiHMAC))
	}
	api, err := client.New(cfg.apiBaseURL, opts...)
	if err != nil {
		return nil, err
	}
	cuOpts := []webhook.CatchUpOption{webhook.WithCatchUpInterval(cfg.catchUpEvery)}
	if cfg.catchUpFrom > 0 {
		cuOpts = append(cuOpts, webhook.WithCatchUpFrom(time.Now().Add(-cfg.catchUpFrom)))
	}
	return webhook.NewCatchUp(h, api, cuOpts...)
}

func (a *app) close() { a.db.Close() }

// routes is what the exchanger reaches: the webhook endpoint and a health
// check that reveals nothing.
func (a *app) routes(path string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(path, a.handler)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := a.db.PingContext(ctx); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	return mux
}

// adminRoutes is the operator's view, on its own address because it has no
// authentication: the CRM table and an on-demand catch-up.
func (a *app) adminRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /orders", a.listOrders)
	mux.HandleFunc("POST /catch-up", func(w http.ResponseWriter, _ *http.Request) {
		if a.catchUp == nil {
			http.Error(w, "catch-up is off", http.StatusConflict)
			return
		}
		a.catchUp.Trigger()
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintln(w, "catch-up pass started")
	})
	return mux
}

// onEvent is the business action, run once per event id inside tx, the
// transaction that records the event as done. An error rolls both back and
// makes the handler answer 500 so that the exchanger (or the next catch-up
// pass) runs it again.
func (a *app) onEvent(ctx context.Context, tx *sql.Tx, e *webhook.Event) error {
	payload, err := e.Payload()
	if err != nil {
		return err
	}
	switch p := payload.(type) {
	case *webhook.OrderEvent:
		return a.saveOrder(ctx, tx, e, p.Order)
	case *webhook.PaymentReceivedEvent:
		a.log.Info("payment received", "tracking_id", p.Order.TrackingID, "amount", string(p.Payment.Amount), "currency", p.Payment.Currency)
		return a.saveOrder(ctx, tx, e, p.Order)
	case *webhook.VerificationEvent:
		a.log.Info("verification update", "id", string(p.Verification.ID), "status", p.Verification.Status.Key)
	case *webhook.TestEvent:
		a.log.Info("test event received", "event_id", e.ID)
	default:
		a.log.Info("event received", "event_id", e.ID, "type", e.Type)
	}
	// Whatever the type, keep an order the event names up to date.
	if o := e.OrderRef(); o != nil {
		return a.saveOrder(ctx, tx, e, *o)
	}
	return nil
}

// saveOrder upserts the order's latest status. Events may arrive out of
// order; a final status is never overwritten by a non-final one.
func (a *app) saveOrder(ctx context.Context, tx *sql.Tx, e *webhook.Event, o webhook.Order) error {
	if o.TrackingID == "" || o.Status.Key == "" {
		return nil
	}
	q := `INSERT INTO crm_orders (tracking_id, status, is_final, last_event, updated_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (tracking_id) DO UPDATE SET status = excluded.status, is_final = excluded.is_final,
	last_event = excluded.last_event, updated_at = excluded.updated_at
WHERE crm_orders.is_final = FALSE OR excluded.is_final = TRUE`
	if a.dialect == webhook.Postgres {
		q = `INSERT INTO crm_orders (tracking_id, status, is_final, last_event, updated_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (tracking_id) DO UPDATE SET status = excluded.status, is_final = excluded.is_final,
	last_event = excluded.last_event, updated_at = excluded.updated_at
WHERE crm_orders.is_final = FALSE OR excluded.is_final = TRUE`
	}
	final := o.Final() || isFinalKey(o.Status.Key)
	if _, err := tx.ExecContext(ctx, q, o.TrackingID, o.Status.Key, final, e.ID, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("save order %s: %w", o.TrackingID, err)
	}
	a.log.Info("order updated", "tracking_id", o.TrackingID, "status", o.Status.Key, "event_id", e.ID)
	return nil
}

// isFinalKey covers payloads that send the status as a bare string.
func isFinalKey(key string) bool {
	switch key {
	case "completed", "cancelled", "canceled", "rejected", "expired", "refunded", "deleted":
		return true
	}
	return false
}

func (a *app) listOrders(w http.ResponseWriter, r *http.Request) {
	rows, err := a.db.QueryContext(r.Context(), `SELECT tracking_id, status, is_final, last_event FROM crm_orders ORDER BY tracking_id`)
	if err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	defer rows.Close()
	w.Header().Set("Content-Type", "application/x-ndjson")
	enc := json.NewEncoder(w)
	for rows.Next() {
		var o struct {
			TrackingID string `json:"tracking_id"`
			Status     string `json:"status"`
			IsFinal    bool   `json:"is_final"`
			LastEvent  string `json:"last_event"`
		}
		if err := rows.Scan(&o.TrackingID, &o.Status, &o.IsFinal, &o.LastEvent); err != nil {
			return
		}
		_ = enc.Encode(o)
	}
}

// purgeLoop forgets done event ids older than the retention, hourly.
func (a *app) purgeLoop(ctx context.Context, retention time.Duration) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := a.store.Purge(ctx, time.Now().Add(-retention)); err != nil && ctx.Err() == nil {
			a.log.Warn("purge failed", "err", err)
		} else if n > 0 {
			a.log.Info("purged old event ids", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
