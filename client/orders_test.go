package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestCreateOrderSendsOpenAPINames(t *testing.T) {
	srv, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		envelope(w, 201, rawJSON(`{"order":{"id":42,"public_id":"P-42","tracking_id":"TR-42",
			"status":{"id":1,"key":"created","name":"Created","is_final":false},
			"amounts":{"give":100.10,"receive":"99.123456789012345678","rate":null},"unknown_field":{"x":1}}}`), nil)
	})
	o, err := c.CreateOrder(context.Background(), CreateOrderParams{
		RouteID: 7, Amount: "100.10", IncomeAccount: "acc-in", OutcomeAccount: "acc-out", TypeRate: "fixed",
	}, WithIdempotencyKey("create-order-user-42-001"))
	if err != nil {
		t.Fatal(err)
	}
	if o.ID != 42 || o.TrackingID != "TR-42" || o.Status.Key != "created" || o.Amounts.Give != "100.10" || o.Amounts.Receive != "99.123456789012345678" {
		t.Fatalf("order = %+v", o)
	}
	r := srv.requests()[0]
	if r.Method != "POST" || r.Path != "/api/v3/private/exchange/orders" {
		t.Fatalf("%s %s", r.Method, r.Path)
	}
	var body map[string]any
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"route_id": 7.0, "income_amount": "100.10", "income_account": "acc-in", "outcome_account": "acc-out", "type_rate": "fixed"}
	if len(body) != len(want) {
		t.Fatalf("body = %s", r.Body)
	}
	for k, v := range want {
		if body[k] != v {
			t.Errorf("body[%s] = %v, want %v", k, body[k], v)
		}
	}
}

func TestOrderPathIsEscaped(t *testing.T) {
	srv, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) { envelope(w, 200, rawJSON(`{"id":1}`), nil) })
	if _, err := c.Order(context.Background(), "a/b?c"); err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	// One path segment: the slash and question mark are escaped on the wire.
	if r.RequestURI != "/api/v3/private/exchange/orders/a%2Fb%3Fc" {
		t.Fatalf("request URI %q", r.RequestURI)
	}
}

func TestOrderActionsAllowed(t *testing.T) {
	_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		envelope(w, 200, rawJSON(`{"actions":{"allowed_actions":{"cancel":true,"confirm_payment":{"allowed":true},"upload_file":false},"transitions":[{"id":2,"key":"paid"}]}}`), nil)
	})
	a, err := c.OrderActions(context.Background(), "TR-1")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Allowed("cancel") || !a.Allowed("confirm_payment") || a.Allowed("upload_file") || a.Allowed("submit_verification") {
		t.Fatalf("allowed = %v", a.AllowedActions)
	}
	if len(a.Transitions) != 1 || a.Transitions[0].Key != "paid" {
		t.Fatalf("transitions = %+v", a.Transitions)
	}
}

func TestCancelOrderSendsBodyOnlyWithReason(t *testing.T) {
	srv, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) { envelope(w, 200, nil, nil) })
	if _, err := c.CancelOrder(context.Background(), "1", CancelOrderParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CancelOrder(context.Background(), "1", CancelOrderParams{Reason: "changed my mind"}); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs[0].Body) != 0 || string(reqs[1].Body) != `{"reason":"changed my mind"}` {
		t.Fatalf("bodies %q, %q", reqs[0].Body, reqs[1].Body)
	}
}

func TestWaitForOrderPollsUntilFinal(t *testing.T) {
	var n atomic.Int32
	_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			envelope(w, 200, rawJSON(`{"order":{"tracking_id":"T","status":"created","is_final":false}}`), nil)
		case 2:
			errorEnvelope(w, 429, "rate_limit_exceeded", "0")
		case 3:
			errorEnvelope(w, 503, "server_error", "")
		default:
			envelope(w, 200, rawJSON(`{"order":{"tracking_id":"T","status":"completed","status_label":"Completed","is_final":true}}`), nil)
		}
	})
	var seen []string
	st, err := c.WaitForOrder(context.Background(), "T", WaitOptions{
		Interval: time.Millisecond, MaxInterval: 2 * time.Millisecond,
		OnStatus: func(s *OrderStatus) { seen = append(seen, s.Key) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if !st.IsFinal || st.Key != "completed" || st.Name != "Completed" {
		t.Fatalf("status = %+v", st)
	}
	if len(seen) != 2 || seen[0] != "created" {
		t.Fatalf("seen = %v", seen)
	}
}

func TestWaitForOrderStopsOnClientErrors(t *testing.T) {
	var n atomic.Int32
	_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) { n.Add(1); errorEnvelope(w, 404, "not_found", "") })
	_, err := c.WaitForOrder(context.Background(), "T", WaitOptions{Interval: time.Millisecond})
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 404 || n.Load() != 1 {
		t.Fatalf("err = %v after %d polls", err, n.Load())
	}
}

func TestWaitForOrderGivesUpAfterMaxErrors(t *testing.T) {
	var n atomic.Int32
	_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) { n.Add(1); errorEnvelope(w, 500, "server_error", "") },
		WithRetry(RetryPolicy{MaxAttempts: 1}))
	_, err := c.WaitForOrder(context.Background(), "T", WaitOptions{Interval: time.Millisecond, MaxErrors: 3})
	if err == nil || n.Load() < 3 {
		t.Fatalf("err = %v after %d polls", err, n.Load())
	}
}

func TestWaitForOrderHonoursContext(t *testing.T) {
	_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		envelope(w, 200, rawJSON(`{"order":{"status":"created","is_final":false}}`), nil)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.WaitForOrder(ctx, "T", WaitOptions{Interval: time.Hour})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatal("WaitForOrder slept past its context")
	}
}

func TestJitterStaysInRange(t *testing.T) {
	for i := 0; i < 1000; i++ {
		if d := jitter(100 * time.Millisecond); d < 50*time.Millisecond || d >= 100*time.Millisecond {
			t.Fatalf("jitter = %v", d)
		}
	}
}

func TestWaitForOrderWaitsOutRetryAfter(t *testing.T) {
	t.Parallel() // it waits on its own fake; see TestMain
	var n atomic.Int32
	var times [2]time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		if i <= 2 {
			times[i-1] = time.Now()
		}
		if i == 1 {
			errorEnvelope(w, 429, "rate_limit_exceeded", "1")
			return
		}
		envelope(w, 200, rawJSON(`{"order":{"status":"completed","is_final":true}}`), nil)
	}))
	defer srv.Close()
	// One attempt per call: the 429 reaches WaitForOrder with RetryAfter set.
	c, _ := New(srv.URL+"/api/v3", WithToken("t"), WithRetry(RetryPolicy{MaxAttempts: 1}))
	st, err := c.WaitForOrder(context.Background(), "T", WaitOptions{Interval: time.Millisecond})
	if err != nil || !st.IsFinal {
		t.Fatalf("status %+v, err %v", st, err)
	}
	if gap := times[1].Sub(times[0]); gap < 900*time.Millisecond {
		t.Fatalf("polled again after %v, Retry-After said 1s", gap)
	}
}
