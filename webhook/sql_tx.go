package webhook

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// errStoreTx marks a failure of the transaction itself (begin, the done
// mark, commit), as opposed to a failure of the business function.
var errStoreTx = errors.New("webhook: store transaction failed")

// runInTx marks eventID done in a new transaction, provided owner still
// holds its claim, runs fn in the same transaction and commits. The done
// mark comes first so that the transaction takes its locks (PostgreSQL's row
// lock, SQLite's write lock) before the business writes: a competing claim
// then waits for the outcome instead of racing it, and SQLite never has to
// upgrade a read transaction to a write one (which fails at once with
// SQLITE_BUSY under WAL).
func (s *SQLStore) runInTx(ctx context.Context, eventID, owner string, timeout time.Duration, fn func(*sql.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%w: begin: %w", errStoreTx, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback() // after a failed commit it reports ErrTxDone, which says nothing new
		}
	}()
	sctx, cancel := context.WithTimeout(ctx, timeout)
	res, err := tx.ExecContext(sctx, s.completeTxSQL, s.now().UnixMilli(), eventID, owner)
	cancel()
	if err != nil {
		return fmt.Errorf("%w: mark event done: %w", errStoreTx, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%w: mark event done: %w", errStoreTx, err)
	}
	if n != 1 {
		return errClaimLost
	}
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("%w: commit: %w", errStoreTx, err)
	}
	return nil
}
