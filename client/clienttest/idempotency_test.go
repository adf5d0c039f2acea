package clienttest

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

var orderBody = map[string]any{"route_id": 1, "amount": "150", "outcome_account": "4276000011112222"}

func TestIdempotencyKeyReplaysAndConflicts(t *testing.T) {
	s := NewServer(t)
	c := newTClient(t, s, s.Key())
	hdr := map[string]string{"Idempotency-Key": "create-order-user-42-001"}
	first := c.do(http.MethodPost, "/private/exchange/orders", orderBody, hdr)
	mustStatus(t, first, 201)
	again := c.do(http.MethodPost, "/private/exchange/orders", orderBody, hdr)
	mustStatus(t, again, 201)
	if again.header.Get("Idempotency-Replayed") != "true" || string(again.body) != string(first.body) {
		t.Fatalf("replay: header %q, same body %v", again.header.Get("Idempotency-Replayed"), string(again.body) == string(first.body))
	}
	if first.header.Get("Idempotency-Replayed") != "" {
		t.Error("first answer marked as replayed")
	}
	other := map[string]any{"route_id": 1, "amount": "151", "outcome_account": "4276000011112222"}
	mustError(t, c.do(http.MethodPost, "/private/exchange/orders", other, hdr), 409, "idempotency_conflict")
	mustError(t, c.do(http.MethodPost, "/private/exchange/orders", orderBody, map[string]string{"Idempotency-Key": "short"}), 422, "validation_error")
	if n := len(s.Orders()); n != 1 {
		t.Fatalf("%d orders, want 1", n)
	}
	// Keys are per API key: another key may use the same string.
	k2, _ := s.CreateKey(KeyOptions{})
	mustStatus(t, newTClient(t, s, k2).do(http.MethodPost, "/private/exchange/orders", orderBody, hdr), 201)
	// A failure is not stored: a corrected request may reuse its key.
	hdr3 := map[string]string{"Idempotency-Key": "create-order-user-42-003"}
	mustError(t, c.do(http.MethodPost, "/private/exchange/orders", map[string]any{"route_id": 1, "amount": "1"}, hdr3), 422, "validation_error")
	mustStatus(t, c.do(http.MethodPost, "/private/exchange/orders", orderBody, hdr3), 201)
	if st := s.Stats(); st.Total.IdempotentReplays != 1 || st.Total.IdempotencyConflicts != 1 {
		t.Errorf("stats %+v", st.Total)
	}
}

func TestIdempotencyExpiresAfter24Hours(t *testing.T) {
	now := time.Date(2026, 6, 23, 10, 0, 0, 0, time.UTC)
	s := NewServer(t, WithKeyOptions(KeyOptions{HMAC: HMACOff}), WithClock(func() time.Time { return now }))
	c := newTClient(t, s, s.Key())
	c.sign = false
	hdr := map[string]string{"Idempotency-Key": "create-order-expiry-1"}
	mustStatus(t, c.do(http.MethodPost, "/private/exchange/orders", orderBody, hdr), 201)
	s.SetClockSkew(24*time.Hour + time.Second)
	r := c.do(http.MethodPost, "/private/exchange/orders", orderBody, hdr)
	mustStatus(t, r, 201)
	if r.header.Get("Idempotency-Replayed") != "" || len(s.Orders()) != 2 {
		t.Fatalf("key still remembered after 24h: replayed=%q orders=%d", r.header.Get("Idempotency-Replayed"), len(s.Orders()))
	}
}

func TestDropAfterProcessingThenRetryCreatesOneOrder(t *testing.T) {
	s := NewServer(t)
	c := newTClient(t, s, s.Key())
	if err := s.DropAfterProcessing("POST /private/exchange/orders", 1); err != nil {
		t.Fatal(err)
	}
	// Fresh connections: on a reused one, net/http itself would resend the
	// request (it carries an Idempotency-Key) and hide the drop.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	hdr := map[string]string{"Idempotency-Key": "create-order-user-7-001"}
	req := c.build(http.MethodPost, "/private/exchange/orders", orderBody, hdr)
	if resp, err := fresh.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("got a response (%d) from a dropped connection", resp.StatusCode)
	}
	if n := len(s.Orders()); n != 1 {
		t.Fatalf("the dropped request was not processed: %d orders", n)
	}
	r := c.do(http.MethodPost, "/private/exchange/orders", orderBody, hdr)
	mustStatus(t, r, 201)
	if r.header.Get("Idempotency-Replayed") != "true" {
		t.Error("retry was not a replay")
	}
	// A refused request is answered, not dropped: the drop waits for one
	// that reaches the operation.
	_ = s.DropAfterProcessing("GET /private/exchange/orders/{order}", 1)
	_ = s.FailNext("GET /private/exchange/orders/{order}", 1, 500)
	mustError(t, c.do(http.MethodGet, "/private/exchange/orders/"+s.Orders()[0].PublicID, nil, nil), 500, "server_error")
	if resp, err := fresh.Do(c.build(http.MethodGet, "/private/exchange/orders/"+s.Orders()[0].PublicID, nil, nil)); err == nil {
		resp.Body.Close()
		t.Fatal("the processed read was answered")
	}
	if st := s.Stats().Total; st.Dropped != 2 {
		t.Errorf("Dropped = %d", st.Dropped)
	}
	count := map[string]int{}
	for _, o := range s.Orders() {
		count[o.IdempotencyKey]++
	}
	if count["create-order-user-7-001"] != 1 || len(s.Orders()) != 1 {
		t.Fatalf("orders per key %v", count)
	}
}

func TestFailNext(t *testing.T) {
	s := NewServer(t)
	c := newTClient(t, s, s.Key())
	if err := s.FailNext("GET /private/nope", 1, 500); !errors.Is(err, ErrUnknownOperation) {
		t.Fatalf("unknown operation: %v", err)
	}
	if err := s.FailNext("GET /private/ping", 1, 200); err == nil {
		t.Fatal("status 200 accepted")
	}
	if err := s.FailNext("POST /private/exchange/orders", 2, 503); err != nil {
		t.Fatal(err)
	}
	hdr := map[string]string{"Idempotency-Key": "create-order-failnext-1"}
	for i := 0; i < 2; i++ {
		r := c.do(http.MethodPost, "/private/exchange/orders", orderBody, hdr)
		mustError(t, r, 503, "service_unavailable")
		if r.header.Get("Retry-After") != "1" {
			t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
		}
	}
	mustStatus(t, c.do(http.MethodPost, "/private/exchange/orders", orderBody, hdr), 201)
	if len(s.Orders()) != 1 {
		t.Fatalf("%d orders", len(s.Orders()))
	}
	_ = s.FailNext(AnyOperation, 1, 429)
	mustError(t, c.do(http.MethodGet, "/ping", nil, nil), 429, "rate_limit_exceeded")
	mustStatus(t, c.do(http.MethodGet, "/ping", nil, nil), 200)
	if st := s.Stats(); st.Total.ServerErrors != 2 || st.Total.Errors != 3 || st.Total.Requests != 5 ||
		st.Operations["POST /private/exchange/orders"] != 3 {
		t.Errorf("stats %+v %v", st.Total, st.Operations)
	}
}

func TestLatencyEndsWhenTheClientGivesUp(t *testing.T) {
	s := NewServer(t)
	s.SetLatency(2 * time.Second)
	c := newTClient(t, s, s.Key())
	c.hc.Timeout = 50 * time.Millisecond
	start := time.Now()
	if resp, err := c.hc.Do(c.build(http.MethodGet, "/ping", nil, nil)); err == nil {
		resp.Body.Close()
		t.Fatal("no timeout")
	}
	if time.Since(start) > time.Second {
		t.Fatal("the client waited for the latency")
	}
	s.SetLatency(0)
	mustStatus(t, c.do(http.MethodGet, "/ping", nil, nil), 200)
}

func TestRateLimit(t *testing.T) {
	now := time.Date(2026, 6, 23, 10, 0, 0, 0, time.UTC)
	s := NewServer(t, WithClock(func() time.Time { return now }), WithRateLimit(3, time.Minute),
		WithKeyOptions(KeyOptions{HMAC: HMACOff}))
	c := newTClient(t, s, s.Key())
	c.sign = false
	for i := 0; i < 3; i++ {
		r := c.do(http.MethodGet, "/private/ping", nil, nil)
		mustStatus(t, r, 200)
		if got, want := r.header.Get("X-RateLimit-Remaining"), string(rune('2'-i)); got != want {
			t.Errorf("remaining %q, want %q", got, want)
		}
	}
	r := c.do(http.MethodGet, "/private/ping", nil, nil)
	mustError(t, r, 429, "rate_limit_exceeded")
	reset := now.Add(time.Minute).Unix()
	if r.header.Get("Retry-After") != "60" || r.header.Get("X-RateLimit-Limit") != "3" ||
		r.header.Get("X-RateLimit-Reset") != itoa(reset) || r.header.Get("X-RateLimit-Remaining") != "0" {
		t.Errorf("headers %v", r.header)
	}
	s.SetClockSkew(time.Minute) // the next window
	mustStatus(t, c.do(http.MethodGet, "/private/ping", nil, nil), 200)
	if st := s.Stats().Keys[s.Key().ID]; st.RateLimited != 1 || st.Requests != 5 {
		t.Errorf("stats %+v", st)
	}
}

func TestQuotas(t *testing.T) {
	now := time.Date(2026, 6, 30, 23, 59, 0, 0, time.UTC)
	s := NewServer(t, WithClock(func() time.Time { return now }), WithQuota(2, 3),
		WithKeyOptions(KeyOptions{HMAC: HMACOff}))
	c := newTClient(t, s, s.Key())
	c.sign = false
	mustStatus(t, c.do(http.MethodGet, "/private/ping", nil, nil), 200)
	r := c.do(http.MethodGet, "/private/ping", nil, nil)
	mustStatus(t, r, 200)
	if r.header.Get("X-Api-Quota-Daily-Remaining") != "0" || r.header.Get("X-Api-Quota-Monthly-Remaining") != "1" ||
		r.header.Get("X-Api-Quota-Daily-Limit") != "2" || r.header.Get("X-Api-Quota-Monthly-Limit") != "3" {
		t.Errorf("quota headers %v", r.header)
	}
	r = c.do(http.MethodGet, "/private/ping", nil, nil)
	mustError(t, r, 429, "quota_exceeded")
	if r.header.Get("Retry-After") != "60" || !strings.Contains(string(r.body), `"period":"day"`) {
		t.Errorf("day quota: Retry-After %q, %s", r.header.Get("Retry-After"), r.body)
	}
	s.SetClockSkew(time.Minute) // July 1st: a new day and a new month
	for i := 0; i < 2; i++ {
		mustStatus(t, c.do(http.MethodGet, "/private/ping", nil, nil), 200)
	}
	mustError(t, c.do(http.MethodGet, "/private/ping", nil, nil), 429, "quota_exceeded")
	// usage:read is itself a request over the quota: it is refused too.
	mustError(t, c.do(http.MethodGet, "/private/usage", nil, nil), 429, "quota_exceeded")
	if st := s.Stats().Keys[s.Key().ID]; st.QuotaExceeded != 3 {
		t.Errorf("stats %+v", st)
	}
}

func TestFailNextRawSendsWhatAProxyWould(t *testing.T) {
	s := NewServer(t)
	c := newTClient(t, s, s.Key())
	html := []byte("<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>")
	if err := s.FailNextRaw("GET /private/ping", 1, 502, "text/html", html); err != nil {
		t.Fatal(err)
	}
	_ = s.FailNextRaw("POST /private/exchange/quotes", 1, 200, "application/json", []byte(`{"state":0,"result":{`))
	_ = s.FailNextRaw(AnyOperation, 1, 504, "", nil)
	r := c.send(c.build(http.MethodGet, "/private/ping", nil, nil))
	if r.status != 502 || r.header.Get("Content-Type") != "text/html" || string(r.body) != string(html) {
		t.Fatalf("HTML page: %d %q %s", r.status, r.header.Get("Content-Type"), r.body)
	}
	req := c.build(http.MethodPost, "/private/exchange/quotes", map[string]any{"route_id": 1, "amount": "100"}, nil)
	resp, err := c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != `{"state":0,"result":{` {
		t.Fatalf("truncated JSON: %d %s", resp.StatusCode, b)
	}
	r = c.send(c.build(http.MethodGet, "/ping", nil, nil))
	if r.status != 504 || len(r.body) != 0 || r.header.Get("Content-Type") != "" {
		t.Fatalf("empty body: %d %q %q", r.status, r.header.Get("Content-Type"), r.body)
	}
	mustStatus(t, c.do(http.MethodGet, "/ping", nil, nil), 200)
	if len(s.Orders()) != 0 {
		t.Fatal("a raw failure ran the operation")
	}
}

func TestRetryAfterAsHTTPDate(t *testing.T) {
	now := time.Date(2026, 6, 23, 10, 0, 0, 0, time.UTC)
	s := NewServer(t, WithClock(func() time.Time { return now }), WithRateLimit(1, time.Minute), WithRetryAfterDate(),
		WithKeyOptions(KeyOptions{HMAC: HMACOff}))
	c := newTClient(t, s, s.Key())
	c.sign = false
	mustStatus(t, c.do(http.MethodGet, "/private/ping", nil, nil), 200)
	r := c.do(http.MethodGet, "/private/ping", nil, nil)
	mustError(t, r, 429, "rate_limit_exceeded")
	if got, want := r.header.Get("Retry-After"), "Tue, 23 Jun 2026 10:01:00 GMT"; got != want {
		t.Fatalf("Retry-After %q, want %q", got, want)
	}
}
