package client

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// With the default HTTP client, 64 callers at once keep their connections:
// a second wave of 64 calls reuses them instead of dialing again (the
// default transport used to keep 32 idle connections per host, so half of
// every wave dialed anew).
func TestDefaultClientKeepsConnectionsOf64Callers(t *testing.T) {
	var dials atomic.Int32
	// Every wave's 64 requests are held until all 64 have arrived, so each
	// wave needs 64 connections at once however the goroutines are
	// scheduled: the first wave dials 64, and the second dials none when
	// the pool kept them (with net/http's default of 2 idle per host, or
	// the 32 this client used to keep, it redials most of them).
	var arrived atomic.Int32
	var mu sync.Mutex
	release := make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ch := release
		if arrived.Add(1)%64 == 0 {
			close(release)
			release = make(chan struct{})
		}
		mu.Unlock()
		select {
		case <-ch:
		case <-time.After(5 * time.Second):
		}
		envelope(w, 200, rawJSON(benchOrderStatusResult), nil)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dials.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c, err := New(srv.URL+"/api/v3", WithToken("t"))
	if err != nil {
		t.Fatal(err)
	}
	wave := func() {
		var wg sync.WaitGroup
		for i := 0; i < 64; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.OrderStatus(context.Background(), "T-1001"); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		time.Sleep(50 * time.Millisecond) // let the connections return to the pool
	}
	wave()
	first := dials.Load()
	wave()
	if first != 64 {
		t.Fatalf("first wave of 64 held calls dialed %d connections, want 64", first)
	}
	if again := dials.Load() - first; again > 0 {
		t.Fatalf("second wave of 64 calls dialed %d new connections (first wave %d)", again, first)
	}
}

const benchOrderStatusResult = `{"order":{"tracking_id":"T-1001","status":"payment_received","status_label":"Payment received","is_final":false}}`
