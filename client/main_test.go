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
// -parallel still wins), and starts the busy-key and chaos proofs' loads
// before the serial tests.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		if err := flag.Set("test.parallel", strconv.Itoa(proofParallel)); err != nil {
			panic(err)
		}
	}
	// The busy-key proof's load and the chaos proof's first pass mostly
	// wait: start them now, so that they overlap the serial tests (see
	// busyKeyLoad and chaosLoad); not under the race
	// detector, whose serial tests leave it too little CPU. A worker
	// process of the fleet runs only its own job.
	var early *busyKeyLoad
	var chaos *chaosLoad
	if os.Getenv(fleetJobEnv) == "" && !raceEnabled {
		if !testing.Short() && runSelects("TestProofBusyKey") {
			early = startBusyKeyLoad()
			earlyBusyKey.put(early)
		}
		if runSelects("TestProofChaosCreateOrder") {
			chaos = startChaosLoad()
			earlyChaos.put(chaos)
		}
	}
	code := m.Run()
	if early != nil {
		early.close()
	}
	if chaos != nil {
		chaos.close()
	}
	os.Exit(code)
}
