package webhook

import (
	"context"
	"time"
)

// ClaimState is the outcome of Store.Claim.
type ClaimState int

const (
	// Claimed: the caller now owns the event and must run it, then call
	// Complete, or Release if it failed.
	Claimed ClaimState = iota + 1
	// AlreadyDone: the event ran to completion before; do not run it again.
	AlreadyDone
	// InProgress: another delivery of the event holds an unexpired claim;
	// the sender should retry later.
	InProgress
)

// String describes the state in words, for logs.
func (s ClaimState) String() string {
	switch s {
	case Claimed:
		return "claimed"
	case AlreadyDone:
		return "already done"
	case InProgress:
		return "in progress"
	}
	return "unknown"
}

// Store records which events ran, so that each runs at most once.
//
// A claim carries an owner token and a lease. Claim is atomic: of any number
// of concurrent claims of one event id, across goroutines or replicas, at most
// one returns Claimed while the lease lasts. A claim whose lease expired (its
// holder crashed) can be taken over by a later Claim. Implementations must be
// safe for concurrent use.
type Store interface {
	// Claim tries to take eventID for owner until now+lease.
	Claim(ctx context.Context, eventID, owner string, lease time.Duration) (ClaimState, error)
	// Complete records eventID as done. It succeeds even if the claim was
	// lost meanwhile: the business action did run, and saying so prevents
	// another run.
	//
	// If Complete fails, the event is not recorded as done although its
	// action ran: Handler answers 503, the claim stays until its lease
	// ends, and the sender's next delivery after that runs the action
	// again. Make the business action idempotent (keyed by Event.ID), or
	// keep the lease longer than the sender's retry horizon, if running it
	// twice is harmful.
	Complete(ctx context.Context, eventID, owner string) error
	// Release drops owner's claim on eventID so that a retry can run it.
	// It never drops another owner's claim nor a done record.
	Release(ctx context.Context, eventID, owner string) error
}
