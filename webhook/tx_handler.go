package webhook

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// TxFunc is a business function that writes through tx, the SQL transaction
// in which the event is recorded as done. Its writes and the record commit
// together or not at all. It must not commit or roll tx back itself.
type TxFunc func(ctx context.Context, tx *sql.Tx, e *Event) error

// NewTxHandler returns a Handler whose business function runs inside the
// transaction that marks the event done in store (the inbox pattern): a
// business write (a row in your own table of the same database) happens
// exactly once per event id, even if the process dies between the write and
// the record, because neither outlives the other.
//
// The flow per event: claim the id (a short transaction of its own, which
// gives the lease), then in one transaction: mark the event done provided
// the claim is still ours, run fn, commit. If fn fails or panics, or the
// commit fails, everything rolls back and the claim is released for the
// sender's retry. If our lease ran out and another delivery took the event
// over, the transaction rolls back and the other delivery decides. On
// PostgreSQL the done mark locks the event's row first, so a takeover waits
// for our commit and then sees the event done; on SQLite the transaction
// holds the database's write lock, so keep fn short there.
//
// CatchUp works with such a Handler unchanged: caught-up events take the
// same transactional path.
func NewTxHandler(v *Verifier, store *SQLStore, fn TxFunc, opts ...HandlerOption) (*Handler, error) {
	if store == nil || fn == nil {
		return nil, errors.New("webhook: NewTxHandler needs an SQLStore and a function")
	}
	h, err := NewHandler(v, store, func(context.Context, *Event) error {
		return errors.New("webhook: a transactional handler runs its TxFunc instead") // never called
	}, opts...)
	if err != nil {
		return nil, err
	}
	h.txStore, h.txFn = store, fn
	return h, nil
}

// callTx runs the transactional business function, turning a panic into an
// error so that the transaction is rolled back and the claim released.
func (h *Handler) callTx(ctx context.Context, tx *sql.Tx, ev *Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("webhook: business function panicked: %v", p)
		}
	}()
	return h.txFn(ctx, tx, ev)
}
