// Package benchratio times an SDK path against a baseline in one benchmark:
// both sides run alternately, in rounds, in the same process, and the figure
// reported is the median of the per-round ratios. Load from other processes
// on a shared machine then weighs on both sides alike, and one disturbed
// round moves the median little.
//
// It is used only by the module's benchmarks; the tests never assert
// timings.
package benchratio

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// Rounds is how many rounds a benchmark is split into (fewer when b.N is
// smaller).
const Rounds = 21

// Compare runs sdk and base b.N times each, alternating in rounds (which
// side goes first alternates too), and reports:
//
//	sdk-ns/op, base-ns/op  medians of the rounds' mean times per call
//	sdk/base               median of the rounds' time ratios (lower is better)
//
// The benchmark's own ns/op covers both sides.
func Compare(b *testing.B, sdk, base func()) {
	b.Helper()
	rounds, per := split(b.N)
	var sdkNs, baseNs, ratio []float64
	for r := 0; r < rounds; r++ {
		time1 := func(f func()) float64 {
			t0 := time.Now()
			for i := 0; i < per; i++ {
				f()
			}
			return float64(time.Since(t0).Nanoseconds()) / float64(per)
		}
		var s, bs float64
		if r%2 == 0 {
			s, bs = time1(sdk), time1(base)
		} else {
			bs, s = time1(base), time1(sdk)
		}
		sdkNs, baseNs, ratio = append(sdkNs, s), append(baseNs, bs), append(ratio, s/bs)
	}
	b.ReportMetric(Median(sdkNs), "sdk-ns/op")
	b.ReportMetric(Median(baseNs), "base-ns/op")
	b.ReportMetric(Median(ratio), "sdk/base")
}

// CompareParallel runs sdk and base from the given number of goroutines,
// b.N calls of each side in all, alternating in rounds, and reports the
// medians of the per-round ratios:
//
//	sdk/base-throughput  calls per second, sdk over base (higher is better)
//	sdk/base-p99         99th percentile latency of one call, sdk over base
//	sdk/base-cpu         the process's CPU time per call, sdk over base
//	                     (lower is better; unix only)
//
// and the medians of each side's p99 in microseconds. With the cores busy,
// throughput follows CPU time per call; the CPU ratio moves less with
// other processes' load, since time they take from the benchmark is not
// counted on either side. A call returning an error fails the benchmark.
func CompareParallel(b *testing.B, goroutines int, sdk, base func() error) {
	b.Helper()
	rounds, per := split(b.N)
	if per < goroutines {
		per = goroutines
	}
	var thr, p99, cpu, sdkP99, baseP99 []float64
	cpuOK := true
	for r := 0; r < rounds; r++ {
		var sRate, bRate, sP, bP float64
		var sCPU, bCPU time.Duration
		if r%2 == 0 {
			sRate, sP, sCPU = runParallelCPU(b, goroutines, per, sdk)
			bRate, bP, bCPU = runParallelCPU(b, goroutines, per, base)
		} else {
			bRate, bP, bCPU = runParallelCPU(b, goroutines, per, base)
			sRate, sP, sCPU = runParallelCPU(b, goroutines, per, sdk)
		}
		thr, p99 = append(thr, sRate/bRate), append(p99, sP/bP)
		sdkP99, baseP99 = append(sdkP99, sP/1e3), append(baseP99, bP/1e3)
		if sCPU > 0 && bCPU > 0 {
			cpu = append(cpu, float64(sCPU)/float64(bCPU))
		} else {
			cpuOK = false
		}
	}
	b.ReportMetric(Median(thr), "sdk/base-throughput")
	b.ReportMetric(Median(p99), "sdk/base-p99")
	if cpuOK {
		b.ReportMetric(Median(cpu), "sdk/base-cpu")
	}
	b.ReportMetric(Median(sdkP99), "sdk-p99-µs")
	b.ReportMetric(Median(baseP99), "base-p99-µs")
}

// runParallelCPU is runParallel that also returns the process's CPU time
// over the calls (0 where it cannot be read). Both sides make the same
// number of calls, so the times compare as per call.
func runParallelCPU(b *testing.B, g, n int, f func() error) (rate, p99 float64, cpu time.Duration) {
	c0, ok0 := processCPU()
	rate, p99 = runParallel(b, g, n, f)
	c1, ok1 := processCPU()
	if ok0 && ok1 {
		cpu = c1 - c0
	}
	return rate, p99, cpu
}

// runParallel makes n calls of f from g goroutines and returns calls per
// second and the 99th percentile latency in nanoseconds.
func runParallel(b *testing.B, g, n int, f func() error) (rate, p99 float64) {
	lat := make([]time.Duration, n)
	var next sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	work := make(chan int, n)
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	t0 := time.Now()
	for w := 0; w < g; w++ {
		next.Add(1)
		go func() {
			defer next.Done()
			for i := range work {
				c0 := time.Now()
				err := f()
				lat[i] = time.Since(c0)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	next.Wait()
	elapsed := time.Since(t0)
	if firstErr != nil {
		b.Fatal(firstErr)
	}
	slices.Sort(lat)
	return float64(n) / elapsed.Seconds(), float64(lat[(len(lat)*99)/100].Nanoseconds())
}

// split divides n calls into rounds of per calls.
func split(n int) (rounds, per int) {
	rounds = Rounds
	if n < rounds {
		rounds = n
	}
	per = n / rounds
	if per < 1 {
		per = 1
	}
	return rounds, per
}

// Median returns the median of xs (0 for none). It sorts xs.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	if len(xs)%2 == 1 {
		return xs[len(xs)/2]
	}
	return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
}
