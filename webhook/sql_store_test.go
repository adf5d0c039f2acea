package webhook_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	_ "modernc.org/sqlite"             // driver "sqlite"

	"github.com/iexkit/exchanger-go/webhook"
)

// PostgresDSNEnv names the variable that enables the PostgreSQL tests.
const postgresDSNEnv = "IEX_TEST_POSTGRES_DSN"

// sqlBackend opens connections to one test database; each call of open is a
// separate *sql.DB, like a separate replica.
type sqlBackend struct {
	name    string
	dialect webhook.Dialect
	open    func(t testing.TB) *sql.DB
	table   string
	skip    string // why the backend is unavailable, if it is
}

func sqlBackends(t *testing.T) []sqlBackend {
	dir := t.TempDir()
	sqlite := sqlBackend{name: "sqlite", dialect: webhook.SQLite, table: "webhook_events",
		open: func(t testing.TB) *sql.DB {
			dsn := "file:" + filepath.Join(dir, "events.db") + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
			db, err := sql.Open("sqlite", dsn)
			if err != nil {
				t.Fatal(err)
			}
			db.SetMaxOpenConns(4)
			t.Cleanup(func() { db.Close() })
			return db
		}}
	dsn := os.Getenv(postgresDSNEnv)
	if dsn == "" {
		return []sqlBackend{sqlite, {name: "postgres", skip: postgresDSNEnv + " is not set (CI=true bash .ci/run starts a server and sets it)"}}
	}
	var suffix [6]byte
	_, _ = rand.Read(suffix[:])
	pg := sqlBackend{name: "postgres", dialect: webhook.Postgres, table: "webhook_events_test_" + hex.EncodeToString(suffix[:]),
		open: func(t testing.TB) *sql.DB {
			db, err := sql.Open("pgx", dsn)
			if err != nil {
				t.Fatal(err)
			}
			db.SetMaxOpenConns(8)
			t.Cleanup(func() { db.Close() })
			return db
		}}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", dsn)
		if err == nil {
			_, _ = db.Exec("DROP TABLE IF EXISTS " + pg.table)
			_, _ = db.Exec("DROP TABLE IF EXISTS " + pg.table + "_checkpoints")
			_, _ = db.Exec("DROP TABLE IF EXISTS " + pg.table + "_effects")
			db.Close()
		}
	})
	return []sqlBackend{sqlite, pg}
}

func (b sqlBackend) store(t testing.TB, db *sql.DB, opts ...webhook.SQLOption) *webhook.SQLStore {
	t.Helper()
	s, err := webhook.NewSQLStore(db, b.dialect, append([]webhook.SQLOption{webhook.WithTable(b.table)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.CreateTable(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateTable(ctx); err != nil { // idempotent
		t.Fatal(err)
	}
	return s
}

func TestSQLStoreContract(t *testing.T) {
	for _, b := range sqlBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			if b.skip != "" {
				t.Skip("PostgreSQL test skipped: " + b.skip)
			}
			clock := &fakeClock{t: time.Unix(1782190000, 0)}
			s := b.store(t, b.open(t), webhook.WithSQLClock(clock.now))
			storeContract(t, s, clock)

			clock.advance(48 * time.Hour)
			n, err := s.Purge(context.Background(), clock.t.Add(-24*time.Hour))
			if err != nil || n != 1 { // e1 is the only done event
				t.Fatalf("Purge = %d, %v; want 1", n, err)
			}
			if st, _ := s.Claim(context.Background(), "e1", "Z", time.Minute); st != webhook.Claimed {
				t.Fatalf("purged event: %v", st)
			}
		})
	}
}

func TestSQLStoreRejectsBadConfig(t *testing.T) {
	db, _ := sql.Open("sqlite", ":memory:")
	defer db.Close()
	for _, name := range []string{"", "events; DROP TABLE x", "1abc", "a.b.c", `"q"`} {
		if _, err := webhook.NewSQLStore(db, webhook.SQLite, webhook.WithTable(name)); err == nil {
			t.Errorf("table %q accepted", name)
		}
	}
	if _, err := webhook.NewSQLStore(db, webhook.Dialect(9)); err == nil {
		t.Error("unknown dialect accepted")
	}
	if _, err := webhook.NewSQLStore(nil, webhook.SQLite); err == nil {
		t.Error("nil db accepted")
	}
}
