package webhook_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/iexkit/exchanger-go/webhook"
)

// ExampleNewTxHandler writes the business row in the transaction that marks
// the event done: a failed first attempt leaves nothing behind, and the
// redelivery writes the row once.
func ExampleNewTxHandler() {
	dir, _ := os.MkdirTemp("", "txexample")
	defer os.RemoveAll(dir)
	db, _ := sql.Open("sqlite", "file:"+filepath.Join(dir, "crm.db"))
	defer db.Close()
	_, _ = db.Exec(`CREATE TABLE crm_events (event_id TEXT NOT NULL, event_type TEXT NOT NULL)`)
	store, _ := webhook.NewSQLStore(db, webhook.SQLite)
	_ = store.CreateTable(context.Background())
	verifier, _ := webhook.NewVerifier("whsec_example")

	attempts := 0
	h, _ := webhook.NewTxHandler(verifier, store, func(ctx context.Context, tx *sql.Tx, e *webhook.Event) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO crm_events (event_id, event_type) VALUES (?, ?)`, e.ID, e.Type); err != nil {
			return err
		}
		if attempts++; attempts == 1 {
			return errors.New("the mail server is down") // rolls the row back too
		}
		return nil
	})
	for i := 0; i < 3; i++ { // the exchanger retries until it gets a 2xx, then once more
		req, _ := webhook.Delivery{Secret: "whsec_example", EventID: "evt_1", EventType: webhook.TypeOrderCreated}.Request()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Print(rec.Code, " ", rec.Body.String())
	}
	var rows int
	_ = db.QueryRow(`SELECT COUNT(*) FROM crm_events`).Scan(&rows)
	fmt.Println("rows:", rows)
	// Output:
	// 500 processing failed
	// 200 ok
	// 200 duplicate
	// rows: 1
}
