package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iexkit/exchanger-go/client"
)

// hostileClient is a client of srv with short retries and a small size limit.
func hostileClient(tb testing.TB, url string, limit int64) *client.Client {
	tb.Helper()
	c, err := client.New(url+"/api/v3", client.WithToken("tok_hostile_5a5a5a5a"), client.WithHMACSecret("hs_hostile_a5a5a5a5"),
		client.WithRetry(client.RetryPolicy{MaxAttempts: 2, MinBackoff: time.Nanosecond, MaxBackoff: time.Nanosecond, MaxRetryAfter: time.Millisecond}),
		client.WithMaxResponseBytes(limit))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// checkHostileError fails unless err is one of the client's typed errors.
func checkHostileError(t *testing.T, status int, err error) {
	var ae *client.APIError
	var re *client.ResponseError
	var rq *client.RequestError
	switch {
	case err == nil:
	case errors.As(err, &ae):
		if ae.StatusCode != status {
			t.Fatalf("status %d reported as %d", status, ae.StatusCode)
		}
	case errors.As(err, &re):
		if len(re.Snippet) > 1024 {
			t.Fatalf("snippet of %d bytes", len(re.Snippet))
		}
		if !errors.Is(err, client.ErrMalformedResponse) && !errors.Is(err, client.ErrResponseTooLarge) && !errors.Is(err, client.ErrUnexpectedRedirect) {
			t.Fatalf("response error without its sentinel: %v", err)
		}
	case errors.As(err, &rq):
	case strings.Contains(err.Error(), "decode result"):
		// A well-formed envelope whose result does not fit the type.
	default:
		t.Fatalf("untyped error %T: %v", err, err)
	}
	if err != nil && len(err.Error()) > 4096 {
		t.Fatalf("error text of %d bytes", len(err.Error()))
	}
}

// FuzzHostileAnswer sends whatever status, content type and body the fuzzer
// picks through a real HTTP round trip, retry loop included: typed errors,
// bounded text, never a panic.
func FuzzHostileAnswer(f *testing.F) {
	f.Add(200, "application/json", []byte(`{"state":0,"result":{"order":{"status":"paid"}},"meta":{}}`))
	f.Add(502, "text/html", []byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
	f.Add(200, "application/json", []byte(`{"state":0,"result":{"order":`))
	f.Add(422, "application/json", []byte(`{"state":1,"error":{"code":7,"details":"x"}}`))
	f.Add(429, "application/json", []byte(`{"state":"1","error":{"code":"rate_limit_exceeded"}}`))
	f.Add(200, "application/json", []byte(`{"state":0,"result":{"order":{"status":{"id":"x","is_final":"yes"}}}}`))
	f.Add(401, "", []byte(`{"state":1,"message":null,"error":null,"meta":[]}`))
	f.Add(200, "application/json", []byte(strings.Repeat("[", 10000)))
	// One server for every input (a server per input would spend the
	// fuzzing time on listening sockets); inputs run one after the other
	// in a worker, and the mutex covers the race detector's view.
	var mu sync.Mutex
	var cur struct {
		status      int
		contentType string
		body        []byte
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		status, ct, body := cur.status, cur.contentType, cur.body
		mu.Unlock()
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	c := hostileClient(f, srv.URL, 4096)
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		if status >= 300 && status < 400 {
			status += 100 // redirects are covered by FuzzFinish
		}
		mu.Lock()
		cur.status, cur.body = status, body
		cur.contentType = strings.Map(func(r rune) rune {
			if r < 0x20 || r > 0x7e {
				return -1
			}
			return r
		}, contentType)
		mu.Unlock()
		_, err := c.OrderStatus(context.Background(), "1")
		checkHostileError(t, status, err)
	})
}

// A server that streams an endless body: the client stops reading at its
// limit with ErrResponseTooLarge, and memory stays within a small multiple
// of the limit.
func TestProofEndlessBodyIsBounded(t *testing.T) {
	const limit = 1 << 20
	for _, status := range []int{200, 503} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				chunk := []byte(`{"state":0,"result":{"order":{"status":"` + strings.Repeat("x", 32<<10))
				for r.Context().Err() == nil {
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			}))
			defer srv.Close()
			c := hostileClient(t, srv.URL, limit)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, err := c.OrderStatus(ctx, "1")
			runtime.ReadMemStats(&after)
			if !errors.Is(err, client.ErrResponseTooLarge) {
				t.Fatalf("err = %v, want ErrResponseTooLarge", err)
			}
			var re *client.ResponseError
			if !errors.As(err, &re) || re.StatusCode != status {
				t.Fatalf("err = %#v, want a *ResponseError with status %d", err, status)
			}
			// TotalAlloc is the whole process's (the server's writes, the
			// race detector's shadow): the bound only separates "stopped at
			// the limit" from "kept reading" (gigabytes within the timeout).
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("limit %d bytes: %d bytes allocated for the call", limit, alloc)
			if alloc > 32*limit {
				t.Fatalf("%d bytes allocated for a %d-byte limit", alloc, limit)
			}
		})
	}
}
