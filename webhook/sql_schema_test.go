package webhook_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

// WithTable("schema.table"), as documented, on both dialects: the store
// creates its table and index and passes the Store contract.
func TestSQLStoreSchemaQualifiedTable(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "s.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		// An attached database is a schema of its own in SQLite.
		if _, err := db.Exec(`ATTACH DATABASE '` + filepath.Join(t.TempDir(), "other.db") + `' AS other`); err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(1) // ATTACH belongs to one connection
		for _, table := range []string{"main.events", "other.events"} {
			schemaStoreContract(t, db, webhook.SQLite, table)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv(postgresDSNEnv)
		if dsn == "" {
			t.Skip("PostgreSQL test skipped: " + postgresDSNEnv + " is not set (CI=true bash .ci/run starts a server and sets it)")
		}
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		const schema = "iex_schema_test"
		if _, err := db.Exec(`CREATE SCHEMA IF NOT EXISTS ` + schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`) })
		schemaStoreContract(t, db, webhook.Postgres, schema+".events")
	})
}

func schemaStoreContract(t *testing.T, db *sql.DB, d webhook.Dialect, table string) {
	t.Helper()
	clock := &fakeClock{t: time.Unix(1782190000, 0)}
	s, err := webhook.NewSQLStore(db, d, webhook.WithTable(table), webhook.WithSQLClock(clock.now))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // idempotent
		if err := s.CreateTable(context.Background()); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
	}
	storeContract(t, s, clock)
}
