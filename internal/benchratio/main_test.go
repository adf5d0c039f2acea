package benchratio

import (
	"flag"
	"os"
	"testing"
)

// TestMain gives testing.Benchmark, which the tests use to drive Compare
// and CompareParallel, a fixed count of 100 iterations unless -benchtime
// was given: the tests check what the harness runs and reports, not how
// fast, and the default of one second per call would only add waiting.
func TestMain(m *testing.M) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.benchtime" })
	if !given {
		if err := flag.Set("test.benchtime", "100x"); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
