package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
)

// Call sends the body byte for byte, with one Idempotency-Key on every
// attempt of a write, and returns the whole envelope.
func TestCallSendsBodyVerbatimAndRetriesWritesWithOneKey(t *testing.T) {
	n := 0
	s, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		n++
		if n == 1 {
			errorEnvelope(w, http.StatusServiceUnavailable, "", "")
			return
		}
		envelope(w, http.StatusCreated, map[string]any{"id": 7}, nil)
	}, WithHMACSecret("hs_test"), WithRetry(RetryPolicy{MaxAttempts: 3, MinBackoff: 1, MaxBackoff: 1, MaxRetryAfter: 1}))
	body := []byte("{ \"route_id\": 1,\n  \"amount\": \"10.50\" }")
	r, err := c.Call(context.Background(), RawRequest{Method: "post", Path: "/private/exchange/orders", Query: url.Values{"a[]": {"1", "2"}}, Body: body})
	if err != nil {
		t.Fatal(err)
	}
	reqs := s.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2 (one retry of the 503)", len(reqs))
	}
	k0, k1 := reqs[0].Header.Get("Idempotency-Key"), reqs[1].Header.Get("Idempotency-Key")
	if k0 == "" || k0 != k1 || r.IdempotencyKey != k0 {
		t.Fatalf("keys %q %q, response %q: want one generated key on both attempts", k0, k1, r.IdempotencyKey)
	}
	for _, q := range reqs {
		if string(q.Body) != string(body) || q.Method != http.MethodPost || q.RawQuery != "a%5B%5D=1&a%5B%5D=2" {
			t.Fatalf("sent %s ?%s %q", q.Method, q.RawQuery, q.Body)
		}
		if q.Header.Get("X-Api-Signature") == "" || q.Header.Get("Authorization") != "Bearer test-token" {
			t.Fatalf("attempt not signed: %v", q.Header)
		}
	}
	if reqs[0].Header.Get("X-Api-Nonce") == reqs[1].Header.Get("X-Api-Nonce") {
		t.Fatal("both attempts carry one nonce")
	}
	if r.StatusCode != http.StatusCreated || r.Attempts != 2 || !isEnvelope(r.Body) || r.RequestID != "req-1" {
		t.Fatalf("response %d attempts %d request %q body %s", r.StatusCode, r.Attempts, r.RequestID, r.Body)
	}
}

// A public path goes without the token; an error answer comes with its body.
func TestCallPublicPathAndErrorBody(t *testing.T) {
	s, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		errorEnvelope(w, http.StatusNotFound, "", "")
	})
	r, err := c.Call(context.Background(), RawRequest{Method: "GET", Path: "/public/contracts/nope"})
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 404 || !errors.Is(err, ErrNotFound) {
		t.Fatalf("err %v", err)
	}
	if r == nil || r.StatusCode != 404 || !isEnvelope(r.Body) {
		t.Fatalf("response %+v", r)
	}
	if h := s.requests()[0].Header.Get("Authorization"); h != "" {
		t.Fatalf("public path sent Authorization %q", h)
	}
}

// A document that is not an envelope is a success, returned as is.
func TestCallReturnsDocuments(t *testing.T) {
	_, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write([]byte("openapi: 3.0.3\n"))
	})
	r, err := c.Call(context.Background(), RawRequest{Method: "GET", Path: "/openapi.yaml"})
	if err != nil || string(r.Body) != "openapi: 3.0.3\n" {
		t.Fatalf("%v %+v", err, r)
	}
}

// A side-effect-free POST is retried without a key; a 422 is not retried.
func TestCallSafePostAndNoRetryOf422(t *testing.T) {
	n := 0
	s, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) {
		n++
		if r.URL.Path == "/api/v3/private/exchange/quotes" && n == 1 {
			errorEnvelope(w, http.StatusBadGateway, "", "")
			return
		}
		if r.URL.Path == "/api/v3/private/reviews" {
			errorEnvelope(w, http.StatusUnprocessableEntity, "validation_error", "")
			return
		}
		envelope(w, 200, map[string]any{}, nil)
	}, WithRetry(RetryPolicy{MaxAttempts: 3, MinBackoff: 1, MaxBackoff: 1, MaxRetryAfter: 1}))
	if _, err := c.Call(context.Background(), RawRequest{Method: "POST", Path: "/private/exchange/quotes", Body: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	reqs := s.requests()
	if len(reqs) != 2 || reqs[1].Header.Get("Idempotency-Key") != "" {
		t.Fatalf("quote: %d requests, key %q", len(reqs), reqs[len(reqs)-1].Header.Get("Idempotency-Key"))
	}
	_, err := c.Call(context.Background(), RawRequest{Method: "POST", Path: "/private/reviews", Body: []byte(`{}`)}, WithIdempotencyKey("review-key-1"))
	if !errors.Is(err, ErrValidation) || len(s.requests()) != 3 || s.requests()[2].Header.Get("Idempotency-Key") != "review-key-1" {
		t.Fatalf("err %v, %d requests", err, len(s.requests()))
	}
}

// Requests that match no operation are refused before anything is sent.
func TestCallRefusesMalformedRequests(t *testing.T) {
	s, c := newAPI(t, func(w http.ResponseWriter, r *http.Request) { envelope(w, 200, nil, nil) })
	for _, r := range []RawRequest{
		{Method: "GET", Path: "private/ping"},
		{Method: "GET", Path: "/private/exchange/orders/.."},
		{Method: "GET", Path: "/private/exchange/orders/%2e%2E"},
		{Method: "GET", Path: "/private/ping?x=1"},
		{Method: "GET", Path: "/private/ping#x"},
		{Method: "GET", Path: "/private/a b"},
		{Method: "GET", Path: "/private/%zz"},
		{Method: "TRACE", Path: "/private/ping"},
		{Method: "GET\n", Path: "/private/ping"},
		{Method: "POST", Path: "/private/reviews", Body: []byte(`{"a":`)},
		{Method: "POST", Path: "/private/reviews", Body: []byte{}},
	} {
		if _, err := c.Call(context.Background(), r); !errors.Is(err, ErrInvalidRawRequest) {
			t.Errorf("%q %q: err %v", r.Method, r.Path, err)
		}
	}
	if n := len(s.requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}
