package benchratio

import (
	"errors"
	"testing"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{1, 100, 2, 3, 1000}, 3}, // one disturbed round moves it little
	} {
		if got := Median(tc.in); got != tc.want {
			t.Errorf("Median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestSplitCoversN(t *testing.T) {
	for _, n := range []int{1, 2, 20, 21, 22, 1000, 1_000_003} {
		rounds, per := split(n)
		if rounds < 1 || rounds > Rounds || per < 1 || rounds*per > n || n-rounds*per >= rounds {
			t.Errorf("split(%d) = %d rounds of %d", n, rounds, per)
		}
	}
}

// Both sides run the same number of times, alternating.
func TestCompareRunsBothSides(t *testing.T) {
	var sdk, base int
	res := testing.Benchmark(func(b *testing.B) {
		sdk, base = 0, 0
		Compare(b, func() { sdk++ }, func() { base++ })
	})
	if sdk == 0 || sdk != base {
		t.Fatalf("sdk ran %d times, base %d", sdk, base)
	}
	if _, ok := res.Extra["sdk/base"]; !ok {
		t.Fatalf("no sdk/base metric: %v", res.Extra)
	}
}

func TestRunParallelReportsErrors(t *testing.T) {
	boom := errors.New("boom")
	res := testing.Benchmark(func(b *testing.B) {
		CompareParallel(b, 4, func() error { return nil }, func() error { return boom })
	})
	if res.N != 0 && len(res.Extra) != 0 {
		t.Fatalf("a failing side must fail the benchmark: %+v", res)
	}
}
