package client_test

import (
	"flag"
	"os"
	"strconv"
	"testing"
)

// proofParallel is how many parallel tests run at once when the command
// line does not say. The slow proofs of this package spend their time
// waiting for rate-limit windows, Retry-After delays and child processes,
// not on the CPU, so the default of GOMAXPROCS (2 on a small machine)
// would queue them one after another behind the 12 s busy-key proof.
const proofParallel = 16

// TestMain raises -test.parallel to proofParallel unless it was given, so
// that `go test ./client/` overlaps the waiting proofs (an explicit
// -parallel still wins), and starts the busy-key proof's load before the
// serial tests.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		if err := flag.Set("test.parallel", strconv.Itoa(proofParallel)); err != nil {
			panic(err)
		}
	}
	// The busy-key proof's load mostly waits: start it now, so that it
	// overlaps the serial tests (see busyKeyLoad); not under the race
	// detector, whose serial tests leave it too little CPU. A worker
	// process of the fleet runs only its own job.
	var early *busyKeyLoad
	if os.Getenv(fleetJobEnv) == "" && !testing.Short() && !raceEnabled && runSelects("TestProofBusyKey") {
		early = startBusyKeyLoad()
		earlyBusyKey.load = early
	}
	code := m.Run()
	if early != nil {
		early.close()
	}
	os.Exit(code)
}
