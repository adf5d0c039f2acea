package client

import "testing"

// allocsPerRun is testing.AllocsPerRun, the least of ten measurements.
// AllocsPerRun counts the whole process's allocations, and the proofs that
// TestMain (package client_test, in the same test binary) starts before
// the serial tests allocate beside them: they can only add to a count,
// never take from it, so the least count is this code's own.
func allocsPerRun(runs int, f func()) float64 {
	least := testing.AllocsPerRun(runs, f)
	for i := 1; i < 10 && least > 0; i++ {
		least = min(least, testing.AllocsPerRun(runs, f))
	}
	return least
}
