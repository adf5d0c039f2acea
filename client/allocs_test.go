package client

import (
	"context"
	"net/http"
	"testing"
)

// The request path's allocations per call, through cannedTransport (which
// allocates about 13 times itself: the answer, its headers and body). The
// bounds are the counts of this version plus a little room: a change that
// brings back per-call work that was taken out (a request copied per
// attempt, a URL parsed, a result decoded twice, a buffer per field of the
// contract check) fails here. Before issue 15's second pass the same calls
// took 114 and 85 allocations, after it 81 and 67; the third pass's
// block-read random IDs (randid.go) brought them to 79 and 66, and
// the lean decoding of a success nobody reads the Response of
// (leanSuccess) to 76 and 62; issue 15's fourth pass, the client's
// timeout queue in place of context.WithTimeout (calltimeout.go), to 74
// and 59.
func TestPipelineAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	c, err := New("http://api.example/api/v3", WithToken(testToken), WithHMACSecret(testSecret), WithInsecureHTTP(),
		WithHTTPClient(&http.Client{Transport: cannedTransport{}}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		max  float64
		call func() error
	}{
		{"CreateOrder", 75, func() error { _, err := c.CreateOrder(ctx, benchOrderParams); return err }},
		{"OrderStatus", 61, func() error { _, err := c.OrderStatus(ctx, "T-1001"); return err }},
	} {
		if err := tc.call(); err != nil {
			t.Fatal(err)
		}
		got := allocsPerRun(200, func() {
			if err := tc.call(); err != nil {
				t.Fatal(err)
			}
		})
		t.Logf("%s: %.0f allocations per call", tc.name, got)
		if got > tc.max {
			t.Errorf("%s: %.0f allocations per call, want at most %.0f", tc.name, got, tc.max)
		}
	}
}
