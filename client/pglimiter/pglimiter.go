// Package pglimiter shares an API key's rate-limit window between every
// process that uses the key, through a PostgreSQL table: a client.Limiter
// for client.WithLimiter.
//
// Without a shared limiter each client paces itself from the server's
// X-RateLimit-* answers and its estimated share of the key's traffic (see
// the client package's documentation), which keeps a few processes within
// a few percent of the limit. With one, the processes count the window's
// requests in one row, so a fleet of any size sends no more than the
// window allows (apart from requests that cross a window's end).
//
// The package speaks PostgreSQL through database/sql: open the *sql.DB with
// the driver of your choice (github.com/jackc/pgx/v5/stdlib, lib/pq); the
// package imports none. One row per key; every request takes one UPDATE.
// Window ends are the server's (X-RateLimit-Reset) and are compared with
// the database's clock, which must be within a fraction of a second of
// the API's (NTP).
package pglimiter

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"time"

	"github.com/iexkit/exchanger-go/client"
)

// DefaultTable is the table a Limiter uses without WithTable.
const DefaultTable = "iex_rate_limit"

// probeTTL is how long the request that opens a new window (the probe)
// keeps the others waiting for its answer; poll is how often they look.
const (
	probeTTL = time.Second
	poll     = 20 * time.Millisecond
)

var tableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// Limiter is a client.Limiter on a PostgreSQL table. It is safe for
// concurrent use; use one per key and process (or share it between the
// clients of one process that use the same key).
type Limiter struct {
	db    *sql.DB
	key   string
	table string

	reserve, wait, observe string // SQL

	mu       sync.Mutex
	observed time.Time // the last window end told to the table
}

// Option configures a Limiter.
type Option func(*Limiter) error

// WithTable sets the table's name (letters, digits, underscores).
func WithTable(name string) Option {
	return func(l *Limiter) error {
		if !tableName.MatchString(name) {
			return fmt.Errorf("pglimiter: table name %q: use letters, digits and underscores", name)
		}
		l.table = name
		return nil
	}
}

// New returns a Limiter for the key named key on db, and creates its table
// if it does not exist. key is any stable label of the API key shared by
// the processes (its name in the dashboard, say), never the token: it is
// stored in clear.
func New(ctx context.Context, db *sql.DB, key string, opts ...Option) (*Limiter, error) {
	if db == nil {
		return nil, errors.New("pglimiter: nil *sql.DB")
	}
	if key == "" || len(key) > 200 {
		return nil, errors.New("pglimiter: key label must be 1 to 200 bytes")
	}
	l := &Limiter{db: db, key: key, table: DefaultTable}
	for _, o := range opts {
		if err := o(l); err != nil {
			return nil, err
		}
	}
	t := l.table
	// One row per key: the window's end (server clock, as the answers
	// named it), its size, the requests granted in it, and until when the
	// request that opens the next window keeps the others waiting.
	create := `CREATE TABLE IF NOT EXISTS ` + t + ` (
	key_id      text PRIMARY KEY,
	window_end  timestamptz NOT NULL,
	lim         integer NOT NULL,
	used        integer NOT NULL,
	probe_until timestamptz
)`
	// A grant: within the window while requests are left, or, once the
	// window is over, one request at a time until an answer names the
	// next window (Observe).
	l.reserve = `UPDATE ` + t + ` SET
	used = CASE WHEN clock_timestamp() < window_end THEN used + 1 ELSE used END,
	probe_until = CASE WHEN clock_timestamp() < window_end THEN probe_until ELSE clock_timestamp() + $2 * interval '1 microsecond' END
WHERE key_id = $1 AND (
	(clock_timestamp() < window_end AND used < lim) OR
	(clock_timestamp() >= window_end AND (probe_until IS NULL OR probe_until <= clock_timestamp())))`
	// How long until a grant may be had: the window's end, or the probe's.
	l.wait = `SELECT EXTRACT(EPOCH FROM (CASE WHEN clock_timestamp() < window_end THEN window_end ELSE probe_until END) - clock_timestamp()),
	clock_timestamp() < window_end
FROM ` + t + ` WHERE key_id = $1`
	// An answer: a later window replaces the row's (its count is the
	// server's); the same window keeps the higher count (the table's
	// counts requests still in flight, the server's those sent around
	// the table).
	l.observe = `INSERT INTO ` + t + ` AS r (key_id, window_end, lim, used) VALUES ($1, $2, $3, $4)
ON CONFLICT (key_id) DO UPDATE SET
	used = CASE WHEN EXCLUDED.window_end > r.window_end THEN EXCLUDED.used ELSE GREATEST(r.used, EXCLUDED.used) END,
	lim = EXCLUDED.lim,
	probe_until = CASE WHEN EXCLUDED.window_end > r.window_end THEN NULL ELSE r.probe_until END,
	window_end = GREATEST(r.window_end, EXCLUDED.window_end)
WHERE EXCLUDED.window_end >= r.window_end`
	if _, err := db.ExecContext(ctx, create); err != nil {
		// Two processes that create the table at once: PostgreSQL's IF NOT
		// EXISTS is not atomic, and the loser fails on the catalog's unique
		// index although the table now exists.
		var exists bool
		if qerr := db.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, t).Scan(&exists); qerr != nil || !exists {
			return nil, fmt.Errorf("pglimiter: create table %s: %w", t, err)
		}
	}
	return l, nil
}

// Reserve implements client.Limiter: 0 when the request may go (it is
// counted), else how long to wait before asking again. Before any answer
// was observed for the key every request goes.
func (l *Limiter) Reserve(ctx context.Context) (time.Duration, error) {
	res, err := l.db.ExecContext(ctx, l.reserve, l.key, probeTTL.Microseconds())
	if err != nil {
		return 0, fmt.Errorf("pglimiter: reserve: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, fmt.Errorf("pglimiter: reserve: %w", err)
	} else if n == 1 {
		return 0, nil
	}
	var secs sql.NullFloat64
	var inWindow bool
	switch err := l.db.QueryRowContext(ctx, l.wait, l.key).Scan(&secs, &inWindow); {
	case errors.Is(err, sql.ErrNoRows):
		return 0, nil // nothing known of the key yet
	case err != nil:
		return 0, fmt.Errorf("pglimiter: reserve: %w", err)
	}
	d := time.Duration(secs.Float64 * float64(time.Second))
	if !secs.Valid || d <= 0 {
		return time.Microsecond, nil // the state changed in between: ask again
	}
	if !inWindow && d > poll {
		d = poll // a probe is out: its answer may come any moment
	}
	return d, nil
}

// Observe implements client.Limiter. It writes to the table only for an
// answer that names a new window or says the window is nearly spent: in
// between, the table's count is ahead of the server's anyway.
func (l *Limiter) Observe(ctx context.Context, rl client.RateLimit) error {
	if rl.Limit <= 0 || rl.Remaining < 0 || rl.Reset.IsZero() {
		return nil
	}
	l.mu.Lock()
	fresh := rl.Reset.After(l.observed)
	if fresh {
		l.observed = rl.Reset
	}
	l.mu.Unlock()
	if !fresh && rl.Remaining > rl.Limit/10 {
		return nil
	}
	used := max(rl.Limit-rl.Remaining, 0)
	if _, err := l.db.ExecContext(ctx, l.observe, l.key, rl.Reset.UTC(), rl.Limit, used); err != nil {
		return fmt.Errorf("pglimiter: observe: %w", err)
	}
	return nil
}

var _ client.Limiter = (*Limiter)(nil)
