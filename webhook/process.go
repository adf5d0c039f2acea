package webhook

import (
	"context"
	"database/sql"
	"errors"
)

// outcome is what became of one event on the exactly-once path, whichever
// way it arrived (a signed delivery or the API's event log).
type outcome int

const (
	// outcomeRan: the business function ran now and the event is recorded.
	outcomeRan outcome = iota + 1
	// outcomeDuplicate: the event had already run; nothing was done.
	outcomeDuplicate
	// outcomeBusy: another delivery holds an unexpired claim on the event.
	outcomeBusy
	// outcomeFailed: the business function failed; the claim was released.
	outcomeFailed
	// outcomeStoreFailed: the store could not claim or record the event.
	outcomeStoreFailed
)

// errClaimLost reports a transactional completion that found the claim in
// another owner's hands (its lease ran out): the transaction is rolled back.
var errClaimLost = errors.New("webhook: claim lost before the event was recorded (lease expired)")

// process runs ev exactly once: claim its id in the store, run the business
// function, record it as done. Live deliveries (ServeHTTP) and catch-up
// (CatchUp) both come through here, so the event id is the one key whatever
// the path. ctx is given to the business function; store calls outlive its
// cancellation, because an event that ran must be recorded even if the
// sender hung up or the catch-up is stopping.
func (h *Handler) process(ctx context.Context, ev *Event) (outcome, error) {
	storeCtx := h.detached(ctx)
	owner := h.ownerToken()
	log := eventLogger{h.log, ev}

	sctx, cancel := h.storeContext(storeCtx)
	state, err := h.store.Claim(sctx, ev.ID, owner, h.lease)
	cancel()
	switch {
	case err != nil:
		log.Error("webhook: claim failed", "err", err)
		return outcomeStoreFailed, err
	case state == AlreadyDone:
		log.Debug("webhook: duplicate of a done event")
		return outcomeDuplicate, nil
	case state == InProgress:
		log.Debug("webhook: event is running elsewhere")
		return outcomeBusy, nil
	}

	if h.txStore != nil {
		return h.processTx(ctx, storeCtx, ev, owner)
	}

	if err := h.call(ctx, ev); err != nil {
		log.Error("webhook: business function failed", "err", err)
		h.release(storeCtx, ev.ID, owner)
		return outcomeFailed, err
	}

	sctx, cancel = h.storeContext(storeCtx)
	err = h.store.Complete(sctx, ev.ID, owner)
	cancel()
	if err != nil {
		// The action ran but is not recorded: a non-2xx makes the sender
		// retry, and the claim's lease keeps that retry from running it again
		// until the lease ends.
		log.Error("webhook: recording the event failed", "err", err)
		return outcomeStoreFailed, err
	}
	return outcomeRan, nil
}

// processTx runs the transactional business function and the completion in
// one SQL transaction (see NewTxHandler). A failure anywhere rolls both back
// and releases the claim, so the next delivery runs the event again from a
// clean slate.
func (h *Handler) processTx(ctx, storeCtx context.Context, ev *Event, owner string) (outcome, error) {
	log := eventLogger{h.log, ev}
	err := h.txStore.runInTx(storeCtx, ev.ID, owner, h.storeTimeout, func(tx *sql.Tx) error {
		return h.callTx(ctx, tx, ev)
	})
	switch {
	case err == nil:
		return outcomeRan, nil
	case errors.Is(err, errClaimLost):
		// Another delivery took the event over after our lease ran out; it
		// owns the outcome now, and our writes were rolled back.
		log.Warn("webhook: claim lost during the transaction; rolled back", "err", err)
		return outcomeBusy, err
	case errors.Is(err, errStoreTx):
		log.Error("webhook: transaction failed", "err", err)
		h.release(storeCtx, ev.ID, owner)
		return outcomeStoreFailed, err
	}
	log.Error("webhook: business function failed; transaction rolled back", "err", err)
	h.release(storeCtx, ev.ID, owner)
	return outcomeFailed, err
}

// release drops owner's claim so that a retry can run the event; on failure
// the event waits for its lease to end.
func (h *Handler) release(storeCtx context.Context, eventID, owner string) {
	ctx, cancel := h.storeContext(storeCtx)
	defer cancel()
	if err := h.store.Release(ctx, eventID, owner); err != nil {
		h.log.Error("webhook: release failed; the event waits for its lease", "event_id", eventID, "err", err)
	}
}
