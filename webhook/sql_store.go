package webhook

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Dialect selects the SQL flavour of an SQLStore.
type Dialect int

const (
	// Postgres is PostgreSQL 9.5 or later ($1 placeholders), for example
	// through github.com/jackc/pgx/v5/stdlib.
	Postgres Dialect = iota + 1
	// SQLite is SQLite 3.24 or later (? placeholders), for example through
	// modernc.org/sqlite. For several connections use WAL and a busy timeout:
	// "file:x.db?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)".
	SQLite
)

// String returns "postgres" or "sqlite".
func (d Dialect) String() string {
	switch d {
	case Postgres:
		return "postgres"
	case SQLite:
		return "sqlite"
	}
	return "dialect(" + strconv.Itoa(int(d)) + ")"
}

// DefaultTable is the table an SQLStore uses unless told otherwise.
const DefaultTable = "webhook_events"

var tableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$`)

// SQLStore is a Store in a database shared by several replicas, through
// database/sql; it imports no driver.
//
// Each event is one row: event_id (primary key), status ('processing' or
// 'done'), owner, lease_until and updated_at (Unix milliseconds). A claim is a
// single INSERT ... ON CONFLICT DO UPDATE ... WHERE statement: it inserts a
// 'processing' row, or takes over a 'processing' row whose lease has expired,
// and reports one affected row only to the replica that won. The database's
// uniqueness of event_id is what makes two replicas unable to run one event.
// Times come from the replicas' clocks, which only matter for lease takeover,
// so the lease must exceed both the longest business action and clock skew.
type SQLStore struct {
	db      *sql.DB
	dialect Dialect
	table   string
	now     func() time.Time

	claimSQL, statusSQL, completeSQL, completeTxSQL, releaseSQL, purgeSQL string
	checkpointGetSQL, checkpointSetSQL, checkpointMinSQL                  string
}

// SQLOption configures an SQLStore.
type SQLOption func(*SQLStore) error

// WithTable sets the table name (default "webhook_events"); "schema.table" is
// accepted (on SQLite the schema is an attached database's name, such as
// "main"). Only letters, digits and underscores are allowed.
func WithTable(name string) SQLOption {
	return func(s *SQLStore) error {
		if !tableName.MatchString(name) {
			return fmt.Errorf("webhook: invalid table name %q", name)
		}
		s.table = name
		return nil
	}
}

// WithSQLClock sets the store's clock (default time.Now), for tests.
func WithSQLClock(now func() time.Time) SQLOption {
	return func(s *SQLStore) error {
		if now == nil {
			return errors.New("webhook: nil clock")
		}
		s.now = now
		return nil
	}
}

// NewSQLStore returns a store over db. Call CreateTable once (it is
// idempotent) or create the table with your migrations (see CreateTableSQL).
func NewSQLStore(db *sql.DB, dialect Dialect, opts ...SQLOption) (*SQLStore, error) {
	if db == nil {
		return nil, errors.New("webhook: nil *sql.DB")
	}
	if dialect != Postgres && dialect != SQLite {
		return nil, fmt.Errorf("webhook: unknown SQL dialect %v", dialect)
	}
	s := &SQLStore{db: db, dialect: dialect, table: DefaultTable, now: time.Now}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, err
		}
	}
	t := s.table
	// The conflicting row is named by the bare table name: SQLite does not
	// accept a schema-qualified column reference there.
	_, bare := s.splitTable()
	s.claimSQL = s.rebind(`INSERT INTO ` + t + ` (event_id, status, owner, lease_until, updated_at)
VALUES (?, 'processing', ?, ?, ?)
ON CONFLICT (event_id) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until, updated_at = excluded.updated_at
WHERE ` + bare + `.status = 'processing' AND ` + bare + `.lease_until <= excluded.updated_at`)
	s.statusSQL = s.rebind(`SELECT status FROM ` + t + ` WHERE event_id = ?`)
	s.completeSQL = s.rebind(`INSERT INTO ` + t + ` (event_id, status, owner, lease_until, updated_at)
VALUES (?, 'done', ?, 0, ?)
ON CONFLICT (event_id) DO UPDATE SET status = 'done', owner = excluded.owner, lease_until = 0, updated_at = excluded.updated_at`)
	s.completeTxSQL = s.rebind(`UPDATE ` + t + ` SET status = 'done', lease_until = 0, updated_at = ? WHERE event_id = ? AND owner = ? AND status = 'processing'`)
	s.releaseSQL = s.rebind(`DELETE FROM ` + t + ` WHERE event_id = ? AND owner = ? AND status = 'processing'`)
	s.purgeSQL = s.rebind(`DELETE FROM ` + t + ` WHERE status = 'done' AND updated_at < ?`)
	s.prepareCheckpointSQL()
	return s, nil
}

// splitTable splits "schema.table" into its parts; schema is "" for a bare
// name.
func (s *SQLStore) splitTable() (schema, bare string) {
	if i := strings.IndexByte(s.table, '.'); i >= 0 {
		return s.table[:i], s.table[i+1:]
	}
	return "", s.table
}

// indexDDL creates the index of done events. A schema-qualified table
// needs each dialect's form: SQLite qualifies the index name and not the
// table (the index lives in the table's schema), PostgreSQL qualifies the
// table and not the index name (it lands in the table's schema too).
func (s *SQLStore) indexDDL() string {
	schema, bare := s.splitTable()
	if schema != "" && s.dialect == SQLite {
		return `CREATE INDEX IF NOT EXISTS ` + schema + `.` + bare + `_done_idx ON ` + bare + ` (status, updated_at)`
	}
	return `CREATE INDEX IF NOT EXISTS ` + strings.ReplaceAll(s.table, ".", "_") + `_done_idx ON ` + s.table + ` (status, updated_at)`
}

// CreateTableSQL returns the DDL of the store's table and index, and of the
// table of CatchUp checkpoints ("<table>_checkpoints").
func (s *SQLStore) CreateTableSQL() []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS ` + s.table + ` (
	event_id    VARCHAR(` + strconv.Itoa(MaxEventIDLength) + `) PRIMARY KEY,
	status      VARCHAR(16)  NOT NULL,
	owner       VARCHAR(64)  NOT NULL,
	lease_until BIGINT       NOT NULL,
	updated_at  BIGINT       NOT NULL
)`,
		s.indexDDL(),
		s.checkpointTableSQL(),
	}
}

// CreateTable creates the tables and the index if they do not exist. On
// PostgreSQL it also widens the event_id column of a table created by an
// earlier version (VARCHAR(255)) to MaxEventIDLength.
func (s *SQLStore) CreateTable(ctx context.Context) error {
	for _, stmt := range s.CreateTableSQL() {
		if _, err := s.db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("webhook: create table %s: %w", s.table, err)
		}
	}
	if s.dialect == Postgres {
		return s.widenEventID(ctx)
	}
	return nil
}

// widenEventID alters event_id to VARCHAR(MaxEventIDLength) when it is
// narrower. It looks first: ALTER TABLE takes an exclusive lock, which every
// replica's start-up should not queue for. (SQLite does not enforce VARCHAR
// lengths.)
func (s *SQLStore) widenEventID(ctx context.Context) error {
	schema, table := s.splitTable()
	var width sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT character_maximum_length FROM information_schema.columns
WHERE table_schema = COALESCE(NULLIF($1, ''), current_schema()) AND table_name = $2 AND column_name = 'event_id'`,
		strings.ToLower(schema), strings.ToLower(table)).Scan(&width)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("webhook: inspect table %s: %w", s.table, err)
	case !width.Valid || width.Int64 >= MaxEventIDLength:
		return nil
	}
	if _, err := s.db.ExecContext(ctx, `ALTER TABLE `+s.table+` ALTER COLUMN event_id TYPE VARCHAR(`+strconv.Itoa(MaxEventIDLength)+`)`); err != nil {
		return fmt.Errorf("webhook: widen %s.event_id: %w", s.table, err)
	}
	return nil
}

// Claim implements Store with one atomic statement.
func (s *SQLStore) Claim(ctx context.Context, eventID, owner string, lease time.Duration) (ClaimState, error) {
	if len(eventID) > MaxEventIDLength {
		return 0, fmt.Errorf("webhook: claim event: %w", ErrEventIDTooLong)
	}
	now := s.now()
	res, err := s.db.ExecContext(ctx, s.claimSQL, eventID, owner, now.Add(lease).UnixMilli(), now.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("webhook: claim event: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("webhook: claim event: %w", err)
	}
	if n == 1 {
		return Claimed, nil
	}
	// Lost the race or already done: read which, only to choose the answer.
	var status string
	err = s.db.QueryRowContext(ctx, s.statusSQL, eventID).Scan(&status)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return InProgress, nil // released meanwhile: the sender's retry will claim it
	case err != nil:
		return 0, fmt.Errorf("webhook: read event status: %w", err)
	case status == "done":
		return AlreadyDone, nil
	}
	return InProgress, nil
}

// Complete implements Store.
func (s *SQLStore) Complete(ctx context.Context, eventID, owner string) error {
	if _, err := s.db.ExecContext(ctx, s.completeSQL, eventID, owner, s.now().UnixMilli()); err != nil {
		return fmt.Errorf("webhook: mark event done: %w", err)
	}
	return nil
}

// Release implements Store.
func (s *SQLStore) Release(ctx context.Context, eventID, owner string) error {
	if _, err := s.db.ExecContext(ctx, s.releaseSQL, eventID, owner); err != nil {
		return fmt.Errorf("webhook: release event: %w", err)
	}
	return nil
}

// Purge deletes done events recorded before cutoff and returns how many went.
// Run it from time to time with a cutoff older than the sender's retry
// horizon. It never deletes the done records a CatchUp of this store could
// list again: the cutoff is moved back, if need be, to a day before the
// oldest checkpoint (a checkpoint held back by a failing event keeps the
// records after it; without them those events would run a second time).
func (s *SQLStore) Purge(ctx context.Context, cutoff time.Time) (int64, error) {
	cutoff = s.purgeCutoff(ctx, cutoff)
	res, err := s.db.ExecContext(ctx, s.purgeSQL, cutoff.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("webhook: purge events: %w", err)
	}
	return res.RowsAffected()
}

// rebind turns ? placeholders into $1, $2, ... for PostgreSQL. The queries
// above hold no other question marks.
func (s *SQLStore) rebind(q string) string {
	if s.dialect != Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}
