package webhook_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

// effects is the business table of the transactional tests: one row per
// run of the business action, with no uniqueness, so that a second run of
// an event would show as a second row instead of failing.
func (b sqlBackend) effects() string { return b.table + "_effects" }

func (b sqlBackend) createEffects(t testing.TB, db *sql.DB) {
	t.Helper()
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS ` + b.effects() + ` (event_id VARCHAR(256) NOT NULL, replica INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
}

// insertEffect is the business write, in the handler's transaction.
func (b sqlBackend) insertEffect(ctx context.Context, tx *sql.Tx, eventID string, replica int) error {
	q := `INSERT INTO ` + b.effects() + ` (event_id, replica) VALUES (?, ?)`
	if b.dialect == webhook.Postgres {
		q = `INSERT INTO ` + b.effects() + ` (event_id, replica) VALUES ($1, $2)`
	}
	_, err := tx.ExecContext(ctx, q, eventID, replica)
	return err
}

// effectCounts returns the number of business rows per event id.
func (b sqlBackend) effectCounts(t testing.TB, db *sql.DB) map[string]int {
	t.Helper()
	rows, err := db.Query(`SELECT event_id, COUNT(*) FROM ` + b.effects() + ` GROUP BY event_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		out[id] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func newTxHandler(t testing.TB, store *webhook.SQLStore, fn webhook.TxFunc, opts ...webhook.HandlerOption) *webhook.Handler {
	t.Helper()
	v, err := webhook.NewVerifier(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	h, err := webhook.NewTxHandler(v, store, fn, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestTxHandlerExactlyOnceWhenTheBusinessFunctionFailsHalfTheTime: three
// replicas (separate connection pools) receive every delivery of 40 events
// concurrently and redeliver until they are acknowledged; the business
// function writes its row and then, half the time, fails or panics. The
// write and the done mark share a transaction, so at the end every event
// has exactly one row.
func TestTxHandlerExactlyOnceWhenTheBusinessFunctionFailsHalfTheTime(t *testing.T) {
	for _, b := range sqlBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			if b.skip != "" {
				t.Skip("PostgreSQL test skipped: " + b.skip)
			}
			const events, replicas = 40, 3
			var failures, panics atomic.Int32
			handlers := make([]*webhook.Handler, replicas)
			var check *sql.DB
			for r := range handlers {
				db := b.open(t)
				if r == 0 {
					check = db
					b.createEffects(t, db)
				}
				store := b.store(t, db)
				handlers[r] = newTxHandler(t, store, func(ctx context.Context, tx *sql.Tx, e *webhook.Event) error {
					if err := b.insertEffect(ctx, tx, e.ID, r); err != nil {
						return err
					}
					switch rand.N(4) {
					case 0:
						failures.Add(1)
						return errors.New("downstream refused")
					case 1:
						panics.Add(1)
						panic("business bug")
					}
					return nil
				})
			}
			var wg sync.WaitGroup
			for r, h := range handlers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for _, i := range rand.Perm(events) {
						id := fmt.Sprintf("evt_tx_%02d", i)
						for attempt := 0; ; attempt++ {
							if attempt == 200 {
								t.Errorf("replica %d: %s never acknowledged", r, id)
								return
							}
							rec := deliverTo(t, h, id)
							if rec.Code == http.StatusOK {
								break
							}
							if rec.Code == http.StatusServiceUnavailable {
								time.Sleep(time.Millisecond) // in progress on another replica
							}
						}
					}
				}()
			}
			wg.Wait()
			counts := b.effectCounts(t, check)
			for i := 0; i < events; i++ {
				id := fmt.Sprintf("evt_tx_%02d", i)
				if counts[id] != 1 {
					t.Errorf("%s: %d business rows, want exactly 1", id, counts[id])
				}
			}
			if failures.Load() == 0 || panics.Load() == 0 {
				t.Fatalf("the business function never failed (%d) or never panicked (%d)", failures.Load(), panics.Load())
			}
			t.Logf("%d events, %d failures and %d panics rolled back", events, failures.Load(), panics.Load())
		})
	}
}

// deliverTo sends a signed delivery of id to h, without a test failure on
// non-2xx (the caller retries).
func deliverTo(t testing.TB, h http.Handler, id string) *httptest.ResponseRecorder {
	req, err := webhook.Delivery{Secret: testSecret, EventID: id, EventType: webhook.TypeOrderCreated}.Request()
	if err != nil {
		t.Error(err)
		return httptest.NewRecorder()
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// A replica whose lease ran out and was taken over must not record the event
// nor keep its business write.
func TestTxCompletionRollsBackWhenTheClaimWasLost(t *testing.T) {
	for _, b := range sqlBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			if b.skip != "" {
				t.Skip("PostgreSQL test skipped: " + b.skip)
			}
			ctx := context.Background()
			clock := &fakeClock{t: time.Unix(1782190000, 0)}
			db := b.open(t)
			b.createEffects(t, db)
			s := b.store(t, db, webhook.WithSQLClock(clock.now))
			if st, err := s.Claim(ctx, "evt_lost", "A", time.Minute); err != nil || st != webhook.Claimed {
				t.Fatalf("A: %v %v", st, err)
			}
			clock.advance(2 * time.Minute)
			if st, err := s.Claim(ctx, "evt_lost", "B", time.Minute); err != nil || st != webhook.Claimed {
				t.Fatalf("B's takeover: %v %v", st, err)
			}
			called := false
			err := s.CompleteInTx(ctx, "evt_lost", "A", func(tx *sql.Tx) error {
				called = true
				return b.insertEffect(ctx, tx, "evt_lost", 1)
			})
			if !errors.Is(err, webhook.ErrClaimLost) || called {
				t.Fatalf("A's completion: %v (business function called: %v)", err, called)
			}
			if err := s.CompleteInTx(ctx, "evt_lost", "B", func(tx *sql.Tx) error {
				return b.insertEffect(ctx, tx, "evt_lost", 2)
			}); err != nil {
				t.Fatal(err)
			}
			if st, _ := s.Claim(ctx, "evt_lost", "C", time.Minute); st != webhook.AlreadyDone {
				t.Fatalf("after B: %v", st)
			}
			if n := b.effectCounts(t, db)["evt_lost"]; n != 1 {
				t.Fatalf("%d rows", n)
			}
		})
	}
}

// TestEventIDLimitAgreesWithTheStore: an id of exactly MaxEventIDLength
// bytes verifies and is recorded on both databases (PostgreSQL refused 256
// with VARCHAR(255)); one byte more is refused by Verify and by Claim.
func TestEventIDLimitAgreesWithTheStore(t *testing.T) {
	if webhook.MaxHeaderLen != webhook.MaxEventIDLength {
		t.Fatalf("Verify accepts ids of %d bytes, the store %d", webhook.MaxHeaderLen, webhook.MaxEventIDLength)
	}
	for _, b := range sqlBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			if b.skip != "" {
				t.Skip("PostgreSQL test skipped: " + b.skip)
			}
			db := b.open(t)
			store := b.store(t, db)
			var runs counter
			h := newHandler(t, store, func(_ context.Context, e *webhook.Event) error { runs.add(e.ID); return nil })
			longest := strings.Repeat("e", webhook.MaxEventIDLength)
			for i := 0; i < 2; i++ {
				if rec := deliver(t, h, longest); rec.Code != http.StatusOK {
					t.Fatalf("delivery %d of a %d-byte id: %d %s", i, len(longest), rec.Code, rec.Body)
				}
			}
			if runs.get(longest) != 1 {
				t.Fatalf("ran %d times", runs.get(longest))
			}
			if rec := deliver(t, h, longest+"e"); rec.Code != http.StatusUnauthorized {
				t.Fatalf("a %d-byte id: %d", len(longest)+1, rec.Code)
			}
			if _, err := store.Claim(context.Background(), longest+"e", "o", time.Minute); !errors.Is(err, webhook.ErrEventIDTooLong) {
				t.Fatalf("Claim of a too long id: %v", err)
			}
		})
	}
}

// CreateTable widens the event_id column of a table made by the first
// release (VARCHAR(255)) on PostgreSQL.
func TestCreateTableWidensAnOldEventIDColumn(t *testing.T) {
	for _, b := range sqlBackends(t) {
		if b.dialect != webhook.Postgres && b.skip == "" {
			continue
		}
		t.Run(b.name, func(t *testing.T) {
			if b.skip != "" {
				t.Skip("PostgreSQL test skipped: " + b.skip)
			}
			db := b.open(t)
			if _, err := db.Exec(`CREATE TABLE ` + b.table + ` (event_id VARCHAR(255) PRIMARY KEY, status VARCHAR(16) NOT NULL,
				owner VARCHAR(64) NOT NULL, lease_until BIGINT NOT NULL, updated_at BIGINT NOT NULL)`); err != nil {
				t.Fatal(err)
			}
			store := b.store(t, db)
			longest := strings.Repeat("w", webhook.MaxEventIDLength)
			if st, err := store.Claim(context.Background(), longest, "o", time.Minute); err != nil || st != webhook.Claimed {
				t.Fatalf("claim after widening: %v %v", st, err)
			}
		})
	}
}

func TestSQLCheckpointsOnlyMoveForward(t *testing.T) {
	for _, b := range sqlBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			if b.skip != "" {
				t.Skip("PostgreSQL test skipped: " + b.skip)
			}
			ctx := context.Background()
			one, two := b.store(t, b.open(t)), b.store(t, b.open(t))
			if _, ok, err := one.LoadCheckpoint(ctx, "cp"); ok || err != nil {
				t.Fatalf("empty: %v %v", ok, err)
			}
			t1 := time.Date(2026, 6, 23, 10, 0, 0, 0, time.UTC)
			for _, save := range []struct {
				s  *webhook.SQLStore
				at time.Time
			}{{one, t1}, {two, t1.Add(-time.Hour)}, {two, t1.Add(time.Second)}, {one, t1}} {
				if err := save.s.SaveCheckpoint(ctx, "cp", save.at); err != nil {
					t.Fatal(err)
				}
			}
			at, ok, err := one.LoadCheckpoint(ctx, "cp")
			if err != nil || !ok || !at.Equal(t1.Add(time.Second)) {
				t.Fatalf("checkpoint %v %v %v, want %v", at, ok, err, t1.Add(time.Second))
			}
			if _, ok, _ := two.LoadCheckpoint(ctx, "other"); ok {
				t.Fatal("names share a checkpoint")
			}
		})
	}
}

func TestSQLDoneEvents(t *testing.T) {
	for _, b := range sqlBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			if b.skip != "" {
				t.Skip("PostgreSQL test skipped: " + b.skip)
			}
			ctx := context.Background()
			s := b.store(t, b.open(t))
			for _, id := range []string{"d1", "d2"} {
				if err := s.Complete(ctx, id, "o"); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.Claim(ctx, "p1", "o", time.Minute); err != nil {
				t.Fatal(err)
			}
			done, err := s.DoneEvents(ctx, []string{"d1", "p1", "nope", "d2"})
			if err != nil {
				t.Fatal(err)
			}
			if len(done) != 2 || !done["d1"] || !done["d2"] {
				t.Fatalf("done %v, want d1 and d2", done)
			}
		})
	}
}

// The checkpoint table, the done lookup and the transactional completion
// work with WithTable("schema.table") too (SQLite: an attached database).
func TestCatchUpStatementsWithASchemaQualifiedTable(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1) // ATTACH belongs to one connection
	if _, err := db.Exec(`ATTACH DATABASE '` + filepath.Join(t.TempDir(), "other.db") + `' AS other`); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"main.events", "other.events"} {
		schemaCatchUpStatements(t, db, table)
	}
}

func schemaCatchUpStatements(t *testing.T, db *sql.DB, table string) {
	ctx := context.Background()
	s, err := webhook.NewSQLStore(db, webhook.SQLite, webhook.WithTable(table))
	if err == nil {
		err = s.CreateTable(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 6, 23, 10, 0, 0, 0, time.UTC)
	for _, save := range []time.Time{at, at.Add(-time.Hour)} {
		if err := s.SaveCheckpoint(ctx, "cp", save); err != nil {
			t.Fatal(err)
		}
	}
	if got, ok, err := s.LoadCheckpoint(ctx, "cp"); err != nil || !ok || !got.Equal(at) {
		t.Fatalf("checkpoint %v %v %v", got, ok, err)
	}
	if st, err := s.Claim(ctx, "e1", "o", time.Minute); err != nil || st != webhook.Claimed {
		t.Fatal(st, err)
	}
	if err := s.CompleteInTx(ctx, "e1", "o", func(*sql.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if done, err := s.DoneEvents(ctx, []string{"e1", "e2"}); err != nil || !done["e1"] || done["e2"] {
		t.Fatalf("done %v %v", done, err)
	}
}

// Purge keeps the done records a catch-up could list again: everything
// from a day before the oldest checkpoint on.
func TestPurgeKeepsWhatCatchUpWouldListAgain(t *testing.T) {
	for _, b := range sqlBackends(t) {
		t.Run(b.name, func(t *testing.T) {
			if b.skip != "" {
				t.Skip("PostgreSQL test skipped: " + b.skip)
			}
			ctx := context.Background()
			clock := &fakeClock{t: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
			s := b.store(t, b.open(t), webhook.WithSQLClock(clock.now))
			for day := 0; day < 10; day++ { // one event done per day
				if err := s.Complete(ctx, fmt.Sprintf("day_%d", day), "o"); err != nil {
					t.Fatal(err)
				}
				clock.advance(24 * time.Hour)
			}
			// A checkpoint held back at the start of day 6 (June 7, by a
			// failing event): the records of day 5 on stay.
			if err := s.SaveCheckpoint(ctx, "held", time.Date(2026, 6, 7, 0, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
			n, err := s.Purge(ctx, clock.t) // asks for everything
			if err != nil {
				t.Fatal(err)
			}
			if n != 5 { // days 0 to 4
				t.Fatalf("purged %d, want 5", n)
			}
			for day := 0; day < 10; day++ {
				st, err := s.Claim(ctx, fmt.Sprintf("day_%d", day), "p", time.Minute)
				if err != nil {
					t.Fatal(err)
				}
				if want := day >= 5; (st == webhook.AlreadyDone) != want {
					t.Errorf("day %d: %v after the purge", day, st)
				}
			}
		})
	}
}
