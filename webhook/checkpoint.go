package webhook

import (
	"context"
	"time"
)

// CheckpointStore is the optional side of a Store that keeps CatchUp's
// position, so that replicas sharing the store share the position and a
// restarted process resumes where the last pass left off. MemoryStore and
// SQLStore implement it. With a Store that does not, CatchUp keeps its
// position in memory and starts again from WithCatchUpFrom (default: now)
// after a restart.
//
// A checkpoint is a time on the server's clock: every event of the log
// created before it has been seen done. Because done records are permanent,
// a checkpoint any pass computed stays true, so SaveCheckpoint keeps the
// later of the stored and the given time: replicas saving in any order
// never move the position back.
type CheckpointStore interface {
	// LoadCheckpoint returns the checkpoint saved under name; ok is false
	// if there is none.
	LoadCheckpoint(ctx context.Context, name string) (at time.Time, ok bool, err error)
	// SaveCheckpoint stores at under name unless a later time is stored.
	SaveCheckpoint(ctx context.Context, name string, at time.Time) error
}

// MaxCheckpointNameLength bounds the name of a checkpoint (see
// WithCatchUpName).
const MaxCheckpointNameLength = 64
