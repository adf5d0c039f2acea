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
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(5 * time.Millisecond) // keep the callers overlapping
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
	if again := dials.Load() - first; again > 8 {
		t.Fatalf("second wave of 64 calls dialed %d new connections (first wave %d)", again, first)
	}
}

const benchOrderStatusResult = `{"order":{"tracking_id":"T-1001","status":"payment_received","status_label":"Payment received","is_final":false}}`
