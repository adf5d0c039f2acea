package client_test

import (
	"testing"
	"time"
)

// TestProofBusyKey runs the two proofs of a key under sustained load at
// once: one process of 32 goroutines against its own fake, and four
// processes against another, each for four windows of 3 s (12 s), the
// first of which is not counted. The loads mostly wait: TestMain starts
// them before the package's serial tests (see busyKeyLoad), and the test
// collects and checks their results.
//
// The windows were 5 s (20 s runs) before: the limits per window, the
// three counted windows and every assertion are the same at 3 s, which
// asks more of the pacing (the same calls in less time), and the shorter
// run keeps `go test ./...` under 25 s.
func TestProofBusyKey(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a fake and four processes for 12 s")
	}
	l := earlyBusyKey.take()
	t.Parallel()
	if l == nil { // not started by TestMain (-race, -count > 1, a -run it could not read)
		l = startBusyKeyLoad()
	}
	t.Cleanup(l.close)
	<-l.done
	if l.skip != "" {
		t.Skip(l.skip)
	}
	if l.err != nil {
		t.Fatal(l.err)
	}
	t.Run("Overload", func(t *testing.T) {
		checkOverload(t, l.one, busyKeyLimit, busyKeyWindow, busyKeyWorkers, busyKeyRun, float64(l.until.Sub(l.from))/float64(busyKeyWindow))
	})
	t.Run("Fleet", func(t *testing.T) {
		for _, msg := range l.fleetErrs.list() {
			t.Error(msg)
		}
		checkFleet(t, l.fleet)
	})
}

// busyKeyWindow and busyKeyRun are the proof's rate-limit window and the
// length of its loads: four windows, of which the last three are counted.
// busyKeyLimit is the one process's limit per window (the fleet's is
// busyKeyFleetLimit), busyKeyWorkers its goroutines.
const (
	busyKeyWindow     = 3 * time.Second
	busyKeyRun        = 4 * busyKeyWindow
	busyKeyLimit      = 50
	busyKeyFleetLimit = 100
	busyKeyWorkers    = 32
)

// Sustained overload, one process: 32 goroutines share one client and call
// Scopes (and the public Ping) as fast as they can for four windows
// against a limit of 50 requests per window. After the first window (where the
// client learns the limit) no caller sees a 429, the server answers at
// most 1% of the requests with 429, and at least 90% of the limit is used.
func checkOverload(t *testing.T, res loadResult, limit int, window time.Duration, workers int, run time.Duration, windows float64) {
	used := float64(res.PrivateOK) / (windows * float64(limit))
	share429 := float64(res.Server429) / float64(max(res.Private, 1))
	t.Logf("limit %d per %v, %d goroutines, %v: after the first window %d calls, %d caller-visible 429s, %d private requests, %d answered 429 (%.2f%%), %d answered 200 (%.0f%% of the limit); %d calls waited",
		limit, window, workers, run, res.Calls, res.Caller429, res.Private, res.Server429, 100*share429, res.PrivateOK, 100*used, res.Waits)
	if res.Caller429 != 0 {
		t.Errorf("%d calls returned a 429 to their caller after the first window, want 0 (first: %s)", res.Caller429, res.FirstErr)
	}
	if res.CallerErr != 0 {
		t.Errorf("%d calls failed, first: %s", res.CallerErr, res.FirstErr)
	}
	if share429 > 0.01 {
		t.Errorf("the server answered %d of %d requests with 429 (%.2f%%), want at most 1%%", res.Server429, res.Private, 100*share429)
	}
	if used < 0.9 {
		t.Errorf("%d requests answered in %.0f windows: %.0f%% of the limit, want at least 90%%", res.PrivateOK, windows, 100*used)
	}
}
