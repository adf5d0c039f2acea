package client

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
)

func TestWithHTTPClientIsCopiedNotModified(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("GET", mockBase+"/ping", mockBody(200, `{"state":0,"message":"pong","result":null,"meta":{}}`))
	hc := &http.Client{Transport: mt}
	c, err := New(mockBase, WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	if hc.Transport != mt || hc.CheckRedirect != nil || c.hc == hc {
		t.Fatal("the caller's http.Client was modified or shared")
	}
	if _, err := New(mockBase, WithHTTPClient(nil)); err == nil {
		t.Fatal("nil client accepted")
	}
}

// A request that did not come from a call of the client (someone reused
// the wrapped http.Client) gets no credentials.
func TestForeignRequestsGetNoCredentials(t *testing.T) {
	c, mt := newMockClient(t)
	var auth string
	mt.RegisterResponder("GET", "https://other.example/x", func(r *http.Request) (*http.Response, error) {
		auth = r.Header.Get("Authorization") + r.Header.Get("X-Api-Signature")
		return httpmock.NewStringResponse(200, "ok"), nil
	})
	resp, err := c.hc.Get("https://other.example/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if auth != "" {
		t.Fatalf("credentials sent: %q", auth)
	}
}

func TestRetryAfterKeptWhenRetriesRunOut(t *testing.T) {
	c, mt := newMockClient(t, WithRetry(RetryPolicy{MaxAttempts: 2, MinBackoff: 1, MaxBackoff: 1, MaxRetryAfter: 5e9}))
	mt.RegisterResponder("GET", mockBase+"/private/exchange/orders/7/status",
		mockBody(429, `{"state":1,"message":"slow","code":429,"error":{"code":"rate_limit_exceeded"},"meta":{"request_id":"last"}}`, "Retry-After", "0"))
	_, err := c.do(context.Background(), statusCall("7"), nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Attempts != 2 || ae.RequestID != "last" || mt.GetTotalCallCount() != 2 || !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err %v after %d calls", err, mt.GetTotalCallCount())
	}
}
