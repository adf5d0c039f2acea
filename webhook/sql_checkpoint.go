package webhook

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// checkpointTable is the table of CatchUp positions, beside the events
// table: "<table>_checkpoints".
func (s *SQLStore) checkpointTable() string { return s.table + "_checkpoints" }

// prepareCheckpointSQL builds the checkpoint statements. The upsert only
// moves a checkpoint forward, in one statement, so replicas saving at once
// cannot move it back.
func (s *SQLStore) prepareCheckpointSQL() {
	t := s.checkpointTable()
	// As in the claim, the conflicting row is named by the bare table name
	// (SQLite refuses a schema-qualified column reference there).
	_, bare := s.splitTable()
	s.checkpointGetSQL = s.rebind(`SELECT position FROM ` + t + ` WHERE name = ?`)
	s.checkpointMinSQL = `SELECT MIN(position) FROM ` + t
	s.checkpointSetSQL = s.rebind(`INSERT INTO ` + t + ` (name, position, updated_at) VALUES (?, ?, ?)
ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
WHERE ` + bare + `_checkpoints.position < excluded.position`)
}

// checkpointTableSQL is the DDL of the checkpoint table: one row per
// checkpoint name, the position in Unix milliseconds (server clock).
func (s *SQLStore) checkpointTableSQL() string {
	return `CREATE TABLE IF NOT EXISTS ` + s.checkpointTable() + ` (
	name       VARCHAR(64) PRIMARY KEY,
	position   BIGINT      NOT NULL,
	updated_at BIGINT      NOT NULL
)`
}

// LoadCheckpoint implements CheckpointStore.
func (s *SQLStore) LoadCheckpoint(ctx context.Context, name string) (time.Time, bool, error) {
	var ms int64
	err := s.db.QueryRowContext(ctx, s.checkpointGetSQL, name).Scan(&ms)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return time.Time{}, false, nil
	case err != nil:
		return time.Time{}, false, fmt.Errorf("webhook: load checkpoint: %w", err)
	}
	return time.UnixMilli(ms).UTC(), true, nil
}

// SaveCheckpoint implements CheckpointStore; a later stored time wins.
func (s *SQLStore) SaveCheckpoint(ctx context.Context, name string, at time.Time) error {
	if _, err := s.db.ExecContext(ctx, s.checkpointSetSQL, name, at.UnixMilli(), s.now().UnixMilli()); err != nil {
		return fmt.Errorf("webhook: save checkpoint: %w", err)
	}
	return nil
}

// DoneEvents implements DoneFilter with one query.
func (s *SQLStore) DoneEvents(ctx context.Context, ids []string) (map[string]bool, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var b strings.Builder
	b.WriteString(`SELECT event_id FROM ` + s.table + ` WHERE status = 'done' AND event_id IN (`)
	args := make([]any, len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('?')
		args[i] = id
	}
	b.WriteByte(')')
	rows, err := s.db.QueryContext(ctx, s.rebind(b.String()), args...)
	if err != nil {
		return nil, fmt.Errorf("webhook: look up done events: %w", err)
	}
	defer rows.Close()
	done := make(map[string]bool, len(ids))
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("webhook: look up done events: %w", err)
		}
		done[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("webhook: look up done events: %w", err)
	}
	return done, nil
}

// purgeMargin is how far before the oldest checkpoint Purge keeps done
// records: more than any sensible catch-up overlap, and more than the clock
// skew between the server (created_at) and the replicas (updated_at).
const purgeMargin = 24 * time.Hour

// purgeCutoff clamps a purge cutoff to purgeMargin before the oldest
// checkpoint. Without a checkpoint table (a store migrated from an earlier
// version's DDL that never ran CatchUp) there is nothing to protect.
func (s *SQLStore) purgeCutoff(ctx context.Context, cutoff time.Time) time.Time {
	var oldest sql.NullInt64
	if err := s.db.QueryRowContext(ctx, s.checkpointMinSQL).Scan(&oldest); err != nil || !oldest.Valid {
		return cutoff
	}
	if limit := time.UnixMilli(oldest.Int64).Add(-purgeMargin); cutoff.After(limit) {
		return limit
	}
	return cutoff
}
