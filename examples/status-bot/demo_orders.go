package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
	"github.com/iexkit/exchanger-go/examples/internal/demo"
)

// fakeOptions configure the embedded fake: orders walk through paid,
// processing and completed, webhook deliveries are tried once (a lost one
// stays lost), and the key has a modest rate limit for the bot to respect.
func fakeOptions(cfg config, log *slog.Logger) []clienttest.Option {
	opts := []clienttest.Option{
		clienttest.WithOrderSchedule([]string{clienttest.StatusPaid, clienttest.StatusProcessing, clienttest.StatusCompleted}, cfg.fakeStep),
		clienttest.WithRateLimit(cfg.fakeRate, time.Minute),
		clienttest.WithWebhookRetry(1, 0, 0),
	}
	if cfg.verbose {
		// Its warnings about the deliveries the receiver loses on purpose
		// are only noise unless debugging.
		opts = append(opts, clienttest.WithLogger(log.With("component", "fake-exchanger")))
	}
	return opts
}

// createDemoOrders creates n orders on the fake's route, each with its own
// business Idempotency-Key, and returns them as orders to follow.
func createDemoOrders(ctx context.Context, c *client.Client, routeID int64, n int) ([]*tracked, error) {
	route, err := c.Route(ctx, routeID)
	if err != nil {
		return nil, fmt.Errorf("route %d: %w", routeID, err)
	}
	run := time.Now().UTC().Format("20060102T150405Z")
	out := make([]*tracked, 0, n)
	for i := range n {
		p := client.CreateOrderParams{
			RouteID:        routeID,
			Amount:         demoAmount(string(route.Limits.MinGive), i),
			IncomeAccount:  "TDemoIncomeWallet0000000000000001",
			OutcomeAccount: "4276000011112222",
		}
		key := fmt.Sprintf("status-bot-demo-%s-%03d", run, i+1)
		o, err := c.CreateOrder(ctx, p, client.WithIdempotencyKey(key))
		if err != nil {
			return out, fmt.Errorf("creating demo order %d (Idempotency-Key %s): %w", i+1, key, err)
		}
		t := newTracked(demo.OrderRef(o), time.Now())
		t.aliases = []string{fmt.Sprint(o.ID), o.PublicID, o.TrackingID}
		t.status = o.Status.Key
		out = append(out, t)
	}
	return out, nil
}

// demoAmount returns the route's minimum plus 10% per order, so the demo
// orders differ; 100 when the route has no minimum. Money stays decimal.
func demoAmount(minGive string, i int) string {
	m, ok := new(big.Rat).SetString(minGive)
	if !ok || m.Sign() <= 0 {
		m = big.NewRat(100, 1)
	}
	m.Mul(m, big.NewRat(int64(10+i), 10))
	s := strings.TrimRight(m.FloatString(8), "0")
	return strings.TrimSuffix(s, ".")
}
