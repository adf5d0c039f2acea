package client_test

import (
	"context"
	"testing"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

// Ping reads the documented result: status and site name.
func TestPingReadsStatusAndSiteName(t *testing.T) {
	srv := clienttest.NewServer(t)
	c, err := client.New(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Ping(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if p.Message != "OK" || p.Status != "ok" || p.SiteName != clienttest.SiteName || p.ServerTime.IsZero() || p.RequestID == "" {
		t.Errorf("pong %+v", p)
	}
}
