package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/signer"
)

func TestRetryGETOn5xxThenSuccess(t *testing.T) {
	f := newFakeExchanger(t, func(n int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		if n < 3 {
			writeErr(w, 503, "", "req-"+strconv.Itoa(n), nil)
			return
		}
		writeOK(w, map[string]any{"status": "created"}, "req-ok")
	})
	c := newTestClient(t, f)
	var r Response
	var out map[string]any
	if _, err := c.do(context.Background(), statusCall("42"), &out, []CallOption{WithResponse(&r)}); err != nil {
		t.Fatal(err)
	}
	if got := len(f.seen()); got != 3 || r.Attempts != 3 {
		t.Fatalf("attempts: server %d, response %d; want 3", got, r.Attempts)
	}
	if out["status"] != "created" || r.RequestID != "req-ok" {
		t.Fatalf("result %v, request id %q", out, r.RequestID)
	}
}

// Every attempt carries its own nonce and a valid signature, and all
// attempts of one write share the Idempotency-Key.
func TestAttemptsNeverReuseNonceAndShareIdempotencyKey(t *testing.T) {
	f := newFakeExchanger(t, func(n int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		if n < 4 {
			writeErr(w, 502, "", "r", nil)
			return
		}
		writeOK(w, map[string]any{"id": 1}, "ok")
	})
	c := newTestClient(t, f)
	var r Response
	if _, err := c.do(context.Background(), createCall(), nil, []CallOption{WithResponse(&r)}); err != nil {
		t.Fatal(err)
	}
	seen := f.seen()
	if len(seen) != 4 {
		t.Fatalf("attempts %d, want 4", len(seen))
	}
	nonces := map[string]bool{}
	key := seen[0].Header.Get("Idempotency-Key")
	if len(key) < 8 || key != r.IdempotencyKey {
		t.Fatalf("generated key %q, response says %q", key, r.IdempotencyKey)
	}
	for i, a := range seen {
		if !a.SignatureOK {
			t.Errorf("attempt %d: bad signature", i+1)
		}
		n := a.Header.Get(signer.HeaderNonce)
		if n == "" || nonces[n] {
			t.Errorf("attempt %d: nonce %q empty or reused", i+1, n)
		}
		nonces[n] = true
		if got := a.Header.Get("Idempotency-Key"); got != key {
			t.Errorf("attempt %d: Idempotency-Key %q, want %q", i+1, got, key)
		}
		if got := a.Header.Get("Authorization"); got != "Bearer "+testToken {
			t.Errorf("attempt %d: Authorization %q", i+1, got)
		}
		if string(a.Body) != `{"amount":"100.50","route_id":7}` {
			t.Errorf("attempt %d: body %s", i+1, a.Body)
		}
	}
}

func TestCallerIdempotencyKeyIsUsedAndValidated(t *testing.T) {
	f := newFakeExchanger(t, func(n int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			writeErr(w, 500, "", "r", nil)
			return
		}
		w.Header().Set("Idempotency-Replayed", "true")
		writeOK(w, nil, "ok")
	})
	c := newTestClient(t, f)
	var r Response
	if _, err := c.do(context.Background(), createCall(), nil, []CallOption{WithIdempotencyKey("create-order-user-42-001"), WithResponse(&r)}); err != nil {
		t.Fatal(err)
	}
	for _, a := range f.seen() {
		if a.Header.Get("Idempotency-Key") != "create-order-user-42-001" {
			t.Fatalf("key %q", a.Header.Get("Idempotency-Key"))
		}
	}
	if !r.IdempotencyReplayed || r.IdempotencyKey != "create-order-user-42-001" {
		t.Fatalf("response %+v", r)
	}
	for _, bad := range []string{"short", string(make([]byte, 192)), "has space in it", "tab\tinside-key"} {
		_, err := c.do(context.Background(), createCall(), nil, []CallOption{WithIdempotencyKey(bad)})
		if !errors.Is(err, ErrInvalidIdempotencyKey) {
			t.Errorf("key %q: err %v", bad, err)
		}
	}
	if n := len(f.seen()); n != 2 {
		t.Fatalf("invalid keys reached the server: %d requests", n)
	}
}

func TestPlainWriteIsNeverRetried(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		writeErr(w, 503, "", "r", nil)
	})
	c := newTestClient(t, f)
	_, err := c.do(context.Background(), plainWriteCall(), nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 503 || ae.Attempts != 1 {
		t.Fatalf("err %v", err)
	}
	if n := len(f.seen()); n != 1 {
		t.Fatalf("a plain write was sent %d times", n)
	}
}

func TestSafePOSTIsRetriedWithoutKey(t *testing.T) {
	f := newFakeExchanger(t, func(n int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			writeErr(w, 500, "", "r", nil)
			return
		}
		writeOK(w, map[string]any{"rate": "1.5"}, "ok")
	})
	c := newTestClient(t, f)
	cl := &call{method: http.MethodPost, path: "/private/exchange/quotes", body: map[string]any{"amount": "1"}, safe: true, scope: "q"}
	if _, err := c.do(context.Background(), cl, nil, nil); err != nil {
		t.Fatal(err)
	}
	seen := f.seen()
	if len(seen) != 2 || seen[0].Header.Get("Idempotency-Key") != "" {
		t.Fatalf("attempts %d, key %q", len(seen), seen[0].Header.Get("Idempotency-Key"))
	}
}

func TestClientErrorsAreNeverRetried(t *testing.T) {
	for _, tc := range []struct {
		status int
		code   string
	}{{400, "bad_request"}, {401, "invalid_token"}, {401, "signature_required"}, {403, "scope_denied"}, {403, "ip_not_allowed"},
		{404, ""}, {409, "idempotency_conflict"}, {422, "validation_error"}} {
		f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) {
			writeErr(w, tc.status, tc.code, "req-x", nil)
		})
		c := newTestClient(t, f)
		for _, cl := range []*call{statusCall("1"), createCall()} {
			_, err := c.do(context.Background(), cl, nil, nil)
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != tc.status || ae.Code != tc.code {
				t.Errorf("%d %s: err %v", tc.status, tc.code, err)
			}
		}
		if n := len(f.seen()); n != 2 {
			t.Errorf("%d %s: %d requests for 2 calls", tc.status, tc.code, n)
		}
	}
}

// When the retries run out the caller gets the last answer's envelope.
func TestLastEnvelopeReachesCallerWhenRetriesRunOut(t *testing.T) {
	f := newFakeExchanger(t, func(n int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		writeErr(w, 503, "maintenance", "req-"+strconv.Itoa(n), nil)
	})
	c := newTestClient(t, f)
	_, err := c.do(context.Background(), statusCall("9"), nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err %T %v", err, err)
	}
	if ae.Attempts != 4 || ae.RequestID != "req-4" || ae.Code != "maintenance" || ae.CorrelationID != "corr-1" {
		t.Fatalf("got %+v", ae)
	}
	if !errors.Is(err, ErrServer) {
		t.Fatal("503 does not match ErrServer")
	}
}

func TestRetryAfterSecondsAndDate(t *testing.T) {
	t.Parallel() // it waits on its own fake; see TestMain
	for _, form := range []string{"seconds", "date"} {
		var first time.Time
		var gap time.Duration
		f := newFakeExchanger(t, func(n int, _ attempt, w http.ResponseWriter, _ *http.Request) {
			if n == 1 {
				first = time.Now()
				ra := "1"
				if form == "date" {
					ra = time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)
				}
				w.Header().Set("Retry-After", ra)
				writeErr(w, 429, "rate_limit_exceeded", "r1", nil)
				return
			}
			gap = time.Since(first)
			writeOK(w, nil, "ok")
		})
		c := newTestClient(t, f)
		if _, err := c.do(context.Background(), statusCall("1"), nil, nil); err != nil {
			t.Fatalf("%s: %v", form, err)
		}
		// The HTTP-date has one-second resolution, so at least ~1s remains.
		if gap < 900*time.Millisecond {
			t.Errorf("%s: retried after %v, before Retry-After", form, gap)
		}
	}
}

func TestRetryAfterBeyondMaxIsReturned(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "120")
		writeErr(w, 429, "rate_limit_exceeded", "r1", nil)
	})
	c := newTestClient(t, f)
	start := time.Now()
	_, err := c.do(context.Background(), statusCall("1"), nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.RetryAfter != 120*time.Second || !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err %v", err)
	}
	if len(f.seen()) != 1 || time.Since(start) > 2*time.Second {
		t.Fatalf("slept or retried: %d attempts", len(f.seen()))
	}
}

func TestRetryAfterPastDeadlineIsReturned(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "3")
		writeErr(w, 429, "rate_limit_exceeded", "r1", nil)
	})
	c := newTestClient(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := c.do(ctx, statusCall("1"), nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.RetryAfter != 3*time.Second {
		t.Fatalf("err %v", err)
	}
	if ctx.Err() != nil {
		t.Fatal("waited until the deadline instead of returning at once")
	}
}

func TestQuotaExceededWithoutRetryAfterIsNotRetried(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		writeErr(w, 429, "quota_exceeded", "r1", nil)
	})
	c := newTestClient(t, f)
	_, err := c.do(context.Background(), statusCall("1"), nil, nil)
	if !errors.Is(err, ErrQuotaExceeded) || errors.Is(err, ErrRateLimited) || len(f.seen()) != 1 {
		t.Fatalf("err %v after %d attempts", err, len(f.seen()))
	}
}

func TestRetryBudgetStopsStorms(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		writeErr(w, 503, "", "r", nil)
	})
	c := newTestClient(t, f, WithRetryBudget(3, 0))
	for i := 0; i < 3; i++ {
		_, _ = c.do(context.Background(), statusCall("1"), nil, nil)
	}
	// 3 calls, 3 retry tokens: 3 first attempts + 3 retries, not 3*4.
	if n := len(f.seen()); n != 6 {
		t.Fatalf("%d requests, want 6", n)
	}
}

func TestSignatureReplayIsRetriedOnceWithNewNonce(t *testing.T) {
	f := newFakeExchanger(t, func(n int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		if n <= 2 {
			writeErr(w, 401, "signature_replay", "r", nil)
			return
		}
		writeOK(w, nil, "ok")
	})
	c := newTestClient(t, f)
	_, err := c.do(context.Background(), plainWriteCall(), nil, nil)
	if !errors.Is(err, ErrSignatureReplay) {
		t.Fatalf("err %v", err)
	}
	seen := f.seen()
	if len(seen) != 2 || seen[0].Header.Get(signer.HeaderNonce) == seen[1].Header.Get(signer.HeaderNonce) {
		t.Fatalf("%d attempts", len(seen))
	}
}

// A machine whose clock is five minutes off: at most one failed attempt,
// then the learned offset fixes every later call.
func TestClockSkewIsLearned(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, a attempt, w http.ResponseWriter, _ *http.Request) {
		ts, _ := strconv.ParseInt(a.Header.Get(signer.HeaderTimestamp), 10, 64)
		if d := time.Since(time.Unix(ts, 0)); d > 60*time.Second || d < -60*time.Second || !a.SignatureOK {
			writeErr(w, 401, "invalid_signature", "r", nil)
			return
		}
		writeOK(w, nil, "ok")
	})
	c := newTestClient(t, f)
	c.now = func() time.Time { return time.Now().Add(5 * time.Minute) }
	c.clock.now = c.now
	if _, err := c.do(context.Background(), createCall(), nil, nil); err != nil {
		t.Fatalf("%v after %d attempts, offset %v", err, len(f.seen()), c.ClockOffset())
	}
	if _, err := c.do(context.Background(), statusCall("1"), nil, nil); err != nil {
		t.Fatal(err)
	}
	seen := f.seen()
	if len(seen) != 3 {
		t.Fatalf("%d attempts, want 3 (one failed)", len(seen))
	}
	if off := c.ClockOffset(); off > -4*time.Minute || off < -6*time.Minute {
		t.Fatalf("learned offset %v", off)
	}
}

func TestInvalidSignatureCarriesCanonical(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, a attempt, w http.ResponseWriter, _ *http.Request) {
		writeErr(w, 401, "invalid_signature", "r", nil)
	})
	c := newTestClient(t, f)
	cl := statusCall("A%2FB")
	cl.query = map[string][]string{"filter[x][]": {"a b"}}
	_, err := c.do(context.Background(), cl, nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("err %v", err)
	}
	seen := f.seen()
	if len(seen) != 1 || ae.Canonical != seen[0].Canonical || ae.Canonical == "" {
		t.Fatalf("canonical %q, server %q", ae.Canonical, seen[0].Canonical)
	}
}

func TestContextDeadlinePassesThrough(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	c := newTestClient(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.do(ctx, statusCall("1"), nil, nil)
	var re *RequestError
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &re) || re.Path != "/private/exchange/orders/1/status" {
		t.Fatalf("err %v", err)
	}
}

func TestDefaultTimeoutApplies(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	c := newTestClient(t, f, WithTimeout(80*time.Millisecond))
	_, err := c.do(context.Background(), statusCall("1"), nil, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
}

// A write whose request reached the server but got no answer is reported
// as outcome unknown, with the key to repeat it safely.
func TestWriteOutcomeUnknown(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close() // read the request, then drop the connection
		}
	})
	c := newTestClient(t, f, WithRetry(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	_, err := c.do(context.Background(), createCall(), nil, []CallOption{WithIdempotencyKey("order-user-7-0001")})
	var re *RequestError
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.As(err, &re) || re.IdempotencyKey != "order-user-7-0001" || re.Attempts != 2 {
		t.Fatalf("err %v", err)
	}
	// A GET never reports an unknown outcome: it changes nothing.
	_, err = c.do(context.Background(), statusCall("1"), nil, nil)
	if err == nil || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("GET err %v", err)
	}
}

func TestWriteNotSentIsNotOutcomeUnknown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens: connection refused
	c, err := New("http://"+addr+"/api/v3", WithToken(testToken), WithRetry(RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.do(context.Background(), createCall(), nil, nil)
	var re *RequestError
	if !errors.As(err, &re) || re.OutcomeUnknown || errors.Is(err, ErrOutcomeUnknown) || re.Attempts != 2 {
		t.Fatalf("err %v", err)
	}
}

func TestBackoffFullJitterBounds(t *testing.T) {
	c := &Client{retry: RetryPolicy{MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}}
	for attempt, ceil := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 5: time.Second, 30: time.Second} {
		var max time.Duration
		for i := 0; i < 2000; i++ {
			d := c.backoff(attempt)
			if d < 0 || d > ceil {
				t.Fatalf("attempt %d: %v outside [0,%v]", attempt, d, ceil)
			}
			if d > max {
				max = d
			}
		}
		if max < ceil/2 {
			t.Errorf("attempt %d: max %v, no jitter up to %v", attempt, max, ceil)
		}
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 6, 23, 10, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"7": 7 * time.Second, "0": 0, now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat): 0,
	} {
		h := http.Header{"Retry-After": {v}}
		got, ok := retryAfter(h, now)
		if !ok || got != want {
			t.Errorf("%q: %v %v, want %v", v, got, ok, want)
		}
	}
	for _, v := range []string{"", "-1", "soon", "1.5"} {
		if _, ok := retryAfter(http.Header{"Retry-After": {v}}, now); ok {
			t.Errorf("%q accepted", v)
		}
	}
}
