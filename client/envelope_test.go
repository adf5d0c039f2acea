package client

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jarcoal/httpmock"
)

const mockBase = "https://exchanger.example/api/v3"

// newMockClient is a client whose transport is an httpmock transport.
func newMockClient(t *testing.T, opts ...Option) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	all := append([]Option{WithToken(testToken), WithHMACSecret(testSecret), WithRetry(fastRetry), WithHTTPClient(&http.Client{Transport: mt})}, opts...)
	c, err := New(mockBase, all...)
	if err != nil {
		t.Fatal(err)
	}
	return c, mt
}

func mockBody(status int, body string, header ...string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(status, body)
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		return r, nil
	}
}

func TestValidationErrorDetails(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", mockBase+"/private/exchange/orders", mockBody(422,
		`{"state":1,"message":"The given data was invalid.","code":422,"result":null,"error":{"code":"validation_error","type":"validation_error","details":{"amount":["The amount field is required.","Too small."],"route_id":"Unknown route."}},"meta":{"request_id":"req-v","correlation_id":"c-1"}}`))
	_, err := c.do(context.Background(), createCall(), nil, []CallOption{WithIdempotencyKey("key-12345678")})
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrValidation) {
		t.Fatalf("err %v", err)
	}
	if len(ae.Details["amount"]) != 2 || ae.Details["route_id"][0] != "Unknown route." || ae.RequestID != "req-v" ||
		ae.CorrelationID != "c-1" || ae.IdempotencyKey != "key-12345678" || ae.Attempts != 1 || ae.StatusCode != 422 {
		t.Fatalf("%+v", ae)
	}
	if mt.GetTotalCallCount() != 1 {
		t.Fatal("422 was retried")
	}
}

func TestSentinelsPerCode(t *testing.T) {
	for code, want := range codeSentinels {
		e := &APIError{StatusCode: 400, Code: code}
		if !errors.Is(e, want) {
			t.Errorf("%s does not match its sentinel", code)
		}
		for other, s := range codeSentinels {
			if other != code && errors.Is(e, s) {
				t.Errorf("%s matches %s's sentinel", code, other)
			}
		}
	}
	if !errors.Is(&APIError{StatusCode: 404}, ErrNotFound) || !errors.Is(&APIError{StatusCode: 502, Code: "bad_gateway"}, ErrServer) ||
		!errors.Is(&APIError{StatusCode: 429}, ErrRateLimited) || errors.Is(&APIError{StatusCode: 429, Code: "quota_exceeded"}, ErrRateLimited) {
		t.Error("status sentinels")
	}
}

func TestScopeDeniedNamesTheScope(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", mockBase+"/private/exchange/orders/7/status", mockBody(403,
		`{"state":1,"message":"Forbidden","code":403,"result":null,"error":{"code":"scope_denied","type":"scope_denied","details":null},"meta":{"request_id":"r"}}`))
	_, err := c.do(context.Background(), statusCall("7"), nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, ErrScopeDenied) || ae.Scope != "public-api:orders:read" ||
		!strings.Contains(err.Error(), "needs scope public-api:orders:read") {
		t.Fatalf("err %v", err)
	}
}

func TestState1WithHTTP200IsAnError(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", mockBase+"/private/exchange/orders/7/status", mockBody(200,
		`{"state":1,"message":"Route is closed","code":200,"result":null,"error":{"code":"route_unavailable","type":"route_unavailable","details":null},"meta":{"request_id":"r200"}}`))
	var out OrderStatus
	_, err := c.do(context.Background(), statusCall("7"), &out, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 200 || ae.Code != "route_unavailable" || ae.RequestID != "r200" {
		t.Fatalf("err %v", err)
	}
}

func TestMalformedBodiesGiveTypedErrors(t *testing.T) {
	html := "<html><head><title>502 Bad Gateway</title></head><body>" + strings.Repeat("nginx ", 500) + "</body></html>"
	for name, tc := range map[string]struct {
		status int
		body   string
		server bool
	}{
		"html 502":       {502, html, true},
		"empty 200":      {200, "", false},
		"truncated 200":  {200, `{"state":0,"message":"OK","result":{"key":"cre`, false},
		"not envelope":   {200, `{"key":"created"}`, false},
		"html 200":       {200, html, false},
		"empty 500":      {500, "", true},
		"binary garbage": {200, "\x00\x01\xff\xfe{", false},
	} {
		c, mt := newMockClient(t, WithRetry(RetryPolicy{MaxAttempts: 1}))
		mt.RegisterResponder("GET", mockBase+"/private/exchange/orders/7/status", mockBody(tc.status, tc.body, "Content-Type", "text/html", "X-Request-Id", "rid-"+name))
		_, err := c.do(context.Background(), statusCall("7"), new(OrderStatus), nil)
		var re *ResponseError
		if !errors.As(err, &re) || !errors.Is(err, ErrMalformedResponse) {
			t.Errorf("%s: err %T %v", name, err, err)
			continue
		}
		if re.StatusCode != tc.status || len(re.Snippet) > snippetMax || re.RequestID != "rid-"+name || errors.Is(err, ErrServer) != tc.server {
			t.Errorf("%s: %+v", name, re)
		}
		if len(err.Error()) > 1024 {
			t.Errorf("%s: unbounded error message (%d bytes)", name, len(err.Error()))
		}
	}
}

func TestResponseSizeLimit(t *testing.T) {
	c, mt := newMockClient(t, WithMaxResponseBytes(1024))
	big := `{"state":0,"message":"OK","result":{"x":"` + strings.Repeat("a", 4096) + `"},"meta":{}}`
	mt.RegisterResponder("GET", mockBase+"/private/exchange/orders/7/status", mockBody(200, big))
	mt.RegisterResponder("GET", mockBase+"/private/exchange/orders/8/status", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(200, big)
		r.ContentLength = -1 // unknown length: the limit must hold while reading
		return r, nil
	})
	for _, id := range []string{"7", "8"} {
		_, err := c.do(context.Background(), statusCall(id), nil, nil)
		if !errors.Is(err, ErrResponseTooLarge) || errors.Is(err, ErrMalformedResponse) {
			t.Errorf("%s: err %v", id, err)
		}
	}
}

func TestResultTypeMismatchIsADecodeError(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", mockBase+"/private/exchange/orders/7/status", mockBody(200, `{"state":0,"message":"OK","result":{"n":"x"},"meta":{"request_id":"r"}}`))
	var out struct {
		N int `json:"n"`
	}
	r, err := c.do(context.Background(), statusCall("7"), &out, nil)
	if err == nil || !strings.Contains(err.Error(), "decode result") || r == nil || r.RequestID != "r" {
		t.Fatalf("err %v", err)
	}
}

// httpmock: retry rules at the transport level.
func TestMockTransportRetryRules(t *testing.T) {
	c, mt := newMockClient(t)
	url := mockBase + "/private/exchange/orders/7/status"
	reset := httpmock.NewErrorResponder(errors.New("connection reset by peer"))
	mt.RegisterResponder("GET", url, reset.Then(reset).Then(mockBody(200, `{"state":0,"message":"OK","result":{"status":"paid"},"meta":{}}`)))
	var out map[string]any
	if _, err := c.do(context.Background(), statusCall("7"), &out, nil); err != nil || out["status"] != "paid" {
		t.Fatalf("err %v, out %v", err, out)
	}
	if n := mt.GetTotalCallCount(); n != 3 {
		t.Fatalf("%d calls", n)
	}

	mt.Reset()
	mt.RegisterResponder("POST", mockBase+"/private/thing", httpmock.NewErrorResponder(errors.New("connection reset by peer")))
	_, err := c.do(context.Background(), plainWriteCall(), nil, nil)
	var re *RequestError
	if !errors.As(err, &re) || mt.GetTotalCallCount() != 1 || strings.Contains(err.Error(), "exchanger.example") {
		t.Fatalf("plain write: err %v after %d calls", err, mt.GetTotalCallCount())
	}

	mt.Reset()
	mt.RegisterResponder("GET", url, mockBody(501, `{"state":1,"message":"no","code":501,"error":{"code":"not_implemented"},"meta":{}}`))
	if _, err := c.do(context.Background(), statusCall("7"), nil, nil); !errors.Is(err, ErrServer) || mt.GetTotalCallCount() != 1 {
		t.Fatalf("501 retried: %v", err)
	}

	mt.Reset()
	mt.RegisterResponder("GET", url, mockBody(429, `{"state":1,"message":"slow down","code":429,"error":{"code":"rate_limit_exceeded"},"meta":{}}`, "Retry-After", "0").
		Then(mockBody(200, `{"state":0,"message":"OK","result":null,"meta":{}}`)))
	if _, err := c.do(context.Background(), statusCall("7"), nil, nil); err != nil || mt.GetTotalCallCount() != 2 {
		t.Fatalf("429 Retry-After 0: %v, %d calls", err, mt.GetTotalCallCount())
	}
}

// Redirects are refused: the transport adds credentials to every request it
// sends, so following one could carry the token elsewhere.
func TestRedirectsAreRefused(t *testing.T) {
	other := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) { writeOK(w, nil, "x") })
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal?x=1", http.StatusTemporaryRedirect)
	})
	c := newTestClient(t, f)
	_, err := c.do(context.Background(), statusCall("1"), nil, nil)
	if !errors.Is(err, ErrUnexpectedRedirect) || len(other.seen()) != 0 {
		t.Fatalf("err %v; other host saw %d requests", err, len(other.seen()))
	}
	if strings.Contains(err.Error(), "/steal") {
		t.Fatalf("error shows the redirect path: %v", err)
	}
}

func TestRawDocument(t *testing.T) {
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", mockBase+"/openapi.yaml", func(r *http.Request) (*http.Response, error) {
		if r.Header.Get("Accept") != "application/yaml" || r.Header.Get("Authorization") != "" {
			return httpmock.NewStringResponse(400, "bad"), nil
		}
		return httpmock.NewStringResponse(200, "openapi: 3.1.0\n"), nil
	})
	var doc []byte
	if _, err := c.do(context.Background(), &call{method: "GET", path: "/openapi.yaml", public: true, raw: "application/yaml"}, &doc, nil); err != nil || string(doc) != "openapi: 3.1.0\n" {
		t.Fatalf("err %v doc %q", err, doc)
	}
}

func TestResponseMetadata(t *testing.T) {
	c, mt := newMockClient(t)
	reset := time.Now().Add(time.Minute).Unix()
	mt.RegisterResponder("GET", mockBase+"/private/exchange/orders/7/status", mockBody(200,
		`{"state":0,"message":"OK","result":null,"meta":{"request_id":"req-m","correlation_id":"corr-m","timestamp":"2026-06-23T10:00:00Z"}}`,
		"X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "59", "X-RateLimit-Reset", strconv.FormatInt(reset, 10),
		"X-Api-Quota-Daily-Limit", "1000", "X-Api-Quota-Daily-Remaining", "998", "X-Api-Quota-Monthly-Limit", "30000", "X-Api-Quota-Monthly-Remaining", "29000"))
	var r Response
	if _, err := c.do(context.Background(), statusCall("7"), nil, []CallOption{WithResponse(&r), WithCorrelationID("corr-m")}); err != nil {
		t.Fatal(err)
	}
	if r.RequestID != "req-m" || r.CorrelationID != "corr-m" || r.RateLimit.Limit != 60 || r.RateLimit.Remaining != 59 ||
		r.RateLimit.Reset.Unix() != reset || r.Quota.DailyRemaining != 998 || r.Quota.MonthlyLimit != 30000 || r.Attempts != 1 {
		t.Fatalf("%+v", r)
	}
	rl, ok := c.RateLimit()
	q, qok := c.Quota()
	if !ok || !qok || rl.Limit != r.RateLimit.Limit || rl.Remaining != r.RateLimit.Remaining || !rl.Reset.Equal(r.RateLimit.Reset) || q != r.Quota {
		t.Fatalf("client snapshot %+v %+v", rl, q)
	}
	if _, err := c.do(context.Background(), statusCall("7"), nil, []CallOption{WithCorrelationID(strings.Repeat("x", 129))}); !errors.Is(err, ErrInvalidCorrelationID) {
		t.Fatalf("long correlation id: %v", err)
	}
}

func TestHugeErrorMessageIsBounded(t *testing.T) {
	c, mt := newMockClient(t)
	msg := strings.Repeat("é", 100000)
	mt.RegisterResponder("GET", mockBase+"/private/exchange/orders/7/status", mockBody(400,
		`{"state":1,"message":"`+msg+`","code":400,"error":{"code":"bad_request"},"meta":{"request_id":"`+strings.Repeat("r", 5000)+`"}}`))
	_, err := c.do(context.Background(), statusCall("7"), nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) || len(err.Error()) > 2048 || !utf8.ValidString(ae.Message) {
		t.Fatalf("error of %d bytes", len(err.Error()))
	}
}
