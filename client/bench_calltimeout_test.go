package client

import (
	"context"
	"testing"

	"github.com/iexkit/exchanger-go/internal/benchratio"
)

// BenchmarkCallTimeoutVsWithTimeout is the call timeout's context alone,
// from 64 goroutines: a timeoutCtx from the client's queue against
// context.WithTimeout, each with a context derived from it and ended as
// net/http derives and ends its per-request one:
//
//	go test -run '^$' -bench CallTimeoutVsWithTimeout -benchmem ./client/
func BenchmarkCallTimeoutVsWithTimeout(b *testing.B) {
	q := newTimeoutQueue(DefaultTimeout)
	derive := func(ctx context.Context) {
		child, cancel := context.WithCancelCause(ctx)
		_ = child.Done()
		cancel(nil)
	}
	b.ReportAllocs()
	benchratio.CompareParallel(b, 64,
		func() error {
			t := q.start(context.Background())
			derive(t)
			t.end()
			return nil
		},
		func() error {
			ctx, cancel := context.WithTimeout(context.Background(), DefaultTimeout)
			derive(ctx)
			cancel()
			return nil
		})
}
