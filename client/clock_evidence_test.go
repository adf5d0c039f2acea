package client

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/signer"
)

// clockServer answers each attempt with the Date (and Age) the test picks,
// refusing with invalid_signature when refuse says so.
func clockServer(t *testing.T, answer func(n int) (date time.Time, age bool, refuse bool)) (*fakeExchanger, *Client) {
	t.Helper()
	f := newFakeExchanger(t, func(n int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		date, age, refuse := answer(n)
		w.Header().Set("Date", date.UTC().Format(http.TimeFormat))
		if age {
			w.Header().Set("Age", "120")
		}
		if refuse {
			writeErr(w, 401, "invalid_signature", "r", nil)
			return
		}
		writeOK(w, nil, "r")
	})
	return f, newTestClient(t, f, WithRetry(RetryPolicy{MaxAttempts: 1}))
}

// sentTimestamp is the X-Api-Timestamp of attempt a, as a time.
func sentTimestamp(t *testing.T, a attempt) time.Time {
	t.Helper()
	ts, err := strconv.ParseInt(a.Header.Get(signer.HeaderTimestamp), 10, 64)
	if err != nil {
		t.Fatalf("timestamp %q", a.Header.Get(signer.HeaderTimestamp))
	}
	return time.Unix(ts, 0)
}

func runCalls(t *testing.T, c *Client, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		_, _ = c.do(context.Background(), statusCall("1"), nil, nil)
	}
}

// One answer dated 2100 does not move the clock: the next request is
// signed with the local time.
func TestClockIgnoresAnUnprovenDate(t *testing.T) {
	y2100 := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	f, c := clockServer(t, func(n int) (time.Time, bool, bool) { return y2100, false, false })
	runCalls(t, c, 2)
	seen := f.seen()
	if d := time.Since(sentTimestamp(t, seen[1])); d > time.Minute || d < -time.Minute {
		t.Fatalf("second request signed %v from now (offset %v)", d, c.ClockOffset())
	}
	// Even a refusal does not make a date beyond the cap believable.
	_, c2 := clockServer(t, func(n int) (time.Time, bool, bool) { return y2100, false, true })
	runCalls(t, c2, 2)
	if off := c2.ClockOffset(); off != 0 {
		t.Fatalf("offset %v after refusals dated 2100", off)
	}
}

// Cached answers (Age) teach nothing, however many agree, and even when
// they refuse the signature.
func TestClockIgnoresCachedAnswers(t *testing.T) {
	_, c := clockServer(t, func(n int) (time.Time, bool, bool) { return time.Now().Add(10 * time.Minute), true, n%2 == 0 })
	runCalls(t, c, 6)
	if off := c.ClockOffset(); off != 0 {
		t.Fatalf("offset %v learned from cached answers", off)
	}
}

// Without a refusal, the offset moves only after three answers in a row
// agree on it; an answer that agrees with the current clock in between
// starts the count again.
func TestClockNeedsAgreeingAnswers(t *testing.T) {
	ahead := 5 * time.Minute
	pattern := []time.Duration{ahead, ahead, 0, ahead, ahead}
	_, c := clockServer(t, func(n int) (time.Time, bool, bool) {
		if n <= len(pattern) {
			return time.Now().Add(pattern[n-1]), false, false
		}
		return time.Now().Add(ahead), false, false
	})
	runCalls(t, c, len(pattern))
	if off := c.ClockOffset(); off != 0 {
		t.Fatalf("offset %v after no three agreeing answers in a row", off)
	}
	runCalls(t, c, 1)
	if off := c.ClockOffset(); off < 4*time.Minute || off > 6*time.Minute {
		t.Fatalf("offset %v after three agreeing answers, want about %v", off, ahead)
	}
}

// A refused signature whose answer shows another clock is proof enough:
// the offset moves at once (TestProofClockSkew shows the whole recovery).
func TestClockLearnsFromARefusal(t *testing.T) {
	_, c := clockServer(t, func(n int) (time.Time, bool, bool) { return time.Now().Add(-7 * time.Minute), false, true })
	runCalls(t, c, 1)
	if off := c.ClockOffset(); off > -6*time.Minute || off < -8*time.Minute {
		t.Fatalf("offset %v after one refusal, want about -7m", off)
	}
}
