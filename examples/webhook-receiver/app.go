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

	"github.com/iexkit/exchanger-go/webhook"
)

// app is the receiver: a database holding both the replay store's table and
// the CRM's orders table, and the webhook handler in front of them.
type app struct {
	db        *sql.DB
	dialect   webhook.Dialect
	store     *webhook.SQLStore
	handler   *webhook.Handler
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
	last_event  VARCHAR(255) NOT NULL,
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
	a.handler, err = webhook.NewHandler(v, a.store, a.onEvent, webhook.WithLogger(log))
	if err != nil {
		a.db.Close()
		return nil, err
	}
	return a, nil
}

func (a *app) close() { a.db.Close() }

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
	mux.HandleFunc("/orders", a.listOrders)
	return mux
}

// onEvent is the business action, run at most once per event id. An error
// makes the handler answer 500 so that the exchanger retries.
func (a *app) onEvent(ctx context.Context, e *webhook.Event) error {
	payload, err := e.Payload()
	if err != nil {
		return err
	}
	switch p := payload.(type) {
	case *webhook.OrderEvent:
		return a.saveOrder(ctx, e, p.Order)
	case *webhook.PaymentReceivedEvent:
		a.log.Info("payment received", "tracking_id", p.Order.TrackingID, "amount", string(p.Payment.Amount), "currency", p.Payment.Currency)
		return a.saveOrder(ctx, e, p.Order)
	case *webhook.VerificationEvent:
		a.log.Info("verification update", "id", string(p.Verification.ID), "status", p.Verification.Status.Key)
	case *webhook.TestEvent:
		a.log.Info("test event received", "event_id", e.ID)
	default:
		a.log.Info("event received", "event_id", e.ID, "type", e.Type)
	}
	// Whatever the type, keep an order the event names up to date.
	if o := e.OrderRef(); o != nil {
		return a.saveOrder(ctx, e, *o)
	}
	return nil
}

// saveOrder upserts the order's latest status. Events may arrive out of
// order; a final status is never overwritten by a non-final one.
func (a *app) saveOrder(ctx context.Context, e *webhook.Event, o webhook.Order) error {
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
	if _, err := a.db.ExecContext(ctx, q, o.TrackingID, o.Status.Key, final, e.ID, time.Now().UnixMilli()); err != nil {
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
