package client

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"testing"
	"time"
)

// WithMaxResponseBytes(math.MaxInt64) reads answers (max+1 once
// overflowed and read every body as empty).
func TestMaxResponseBytesAtTheExtreme(t *testing.T) {
	f := newFakeExchanger(t, func(_ int, _ attempt, w http.ResponseWriter, _ *http.Request) {
		writeOK(w, map[string]any{"id": 7}, "r")
	})
	c := newTestClient(t, f, WithMaxResponseBytes(math.MaxInt64))
	var out struct{ ID int }
	if _, err := c.do(context.Background(), statusCall("1"), &out, nil); err != nil || out.ID != 7 {
		t.Fatalf("%v, id %d", err, out.ID)
	}
}

// A declared Content-Length far beyond what arrives is not allocated up
// front: the call fails as a typed error instead of panicking or
// exhausting memory.
func TestHugeDeclaredContentLength(t *testing.T) {
	addr := rawAnswerServer(t, func(conn net.Conn) {
		fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{\"state\":0", int64(1)<<50)
	})
	c, err := New("http://"+addr+"/api/v3", WithToken(testToken), WithMaxResponseBytes(math.MaxInt64), WithRetry(RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.do(context.Background(), statusCall("1"), nil, nil)
	var re *ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("%T %v, want a *ResponseError", err, err)
	}
}

// Backoff settings at their extremes neither panic nor wrap around to
// zero.
func TestBackoffExtremes(t *testing.T) {
	c := &Client{retry: RetryPolicy{MinBackoff: math.MaxInt64, MaxBackoff: math.MaxInt64}}
	if d := c.backoff(3); d < 0 {
		t.Fatalf("backoff %v", d)
	}
	c.retry = RetryPolicy{MinBackoff: time.Second, MaxBackoff: math.MaxInt64}
	positive := false
	for i := 0; i < 3; i++ {
		if c.backoff(80) > time.Second {
			positive = true
		}
	}
	if !positive {
		t.Fatal("the backoff ceiling wrapped around")
	}
	if _, err := New("https://x.example/api/v3", WithRetryBudget(1, math.NaN())); err == nil {
		t.Fatal("a NaN refill rate was accepted")
	}
	if _, err := New("https://x.example/api/v3", WithRetryBudget(1, math.Inf(1))); err == nil {
		t.Fatal("an infinite refill rate was accepted")
	}
}

// rawAnswerServer serves, on a loopback port, every connection by reading one
// request and then letting answer write whatever bytes it likes (answers
// net/http's server would never produce). It returns the host:port.
func rawAnswerServer(t *testing.T, answer func(conn net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				_, _ = http.ReadRequest(bufio.NewReader(conn))
				answer(conn)
			}()
		}
	}()
	return ln.Addr().String()
}
