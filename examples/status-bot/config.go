package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/iexkit/exchanger-go/examples/internal/demo"
)

// fakeStale is -stale's default with the embedded fake, whose orders change
// status every -fake-step: 30 seconds would only make the demo slow.
const fakeStale = 2 * time.Second

// config is what the flags say.
type config struct {
	refs       []string // orders to follow on a real exchanger
	stale      time.Duration
	staleSet   bool
	maxPoll    time.Duration
	parallel   int
	webhookURL string
	listen     string
	timeout    time.Duration
	verbose    bool

	// The embedded fake only.
	orders    int
	fakeStep  time.Duration
	fakeLose  int
	fakeRate  int
	fakeRoute int64
}

func parseConfig(args []string, out io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("status-bot", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.DurationVar(&c.stale, "stale", 30*time.Second, "poll an order only after this long without an event (with the embedded fake: 2s unless given)")
	fs.DurationVar(&c.maxPoll, "max-poll-interval", 0, "longest wait between two polls of one order, as the wait doubles (default 8 x -stale)")
	fs.IntVar(&c.parallel, "parallel", 4, "status polls in flight at once")
	fs.StringVar(&c.webhookURL, "webhook-url", "", "public URL that reaches -listen; registered as a webhook endpoint (real exchanger)")
	fs.StringVar(&c.listen, "listen", "127.0.0.1:0", "address of the local webhook receiver")
	fs.DurationVar(&c.timeout, "timeout", 0, "give up after this long (0: run until every order is final or Ctrl-C)")
	fs.BoolVar(&c.verbose, "v", false, "debug diagnostics on stderr")
	fs.IntVar(&c.orders, "orders", 20, "with the embedded fake: how many orders to create and follow")
	fs.DurationVar(&c.fakeStep, "fake-step", time.Second, "with the embedded fake: time between two status changes of an order")
	fs.IntVar(&c.fakeLose, "fake-lose", 4, "with the embedded fake: lose every n-th webhook delivery (0: none, 1: all)")
	fs.IntVar(&c.fakeRate, "fake-rate-limit", 120, "with the embedded fake: requests per minute allowed to the key")
	fs.Int64Var(&c.fakeRoute, "fake-route", 1, "with the embedded fake: route of the orders it creates")
	fs.Usage = func() {
		fmt.Fprintf(out, `Usage: status-bot [flags] [ORDER...]

Follows orders until each has a final status: webhooks first, polling
(GET /private/exchange/orders/{order}/status) only for orders without an
event for -stale, paced by the key's rate limit. Prints a summary line per
order.

Without %[1]s it runs a demo against a fake exchanger started in the
process, creating -orders orders. With %[1]s, %[2]s (and
%[3]s) it follows the ORDERs named (numeric id, public_id or
tracking_id) on that exchanger; with -webhook-url it also registers a
webhook endpoint, otherwise it only polls.

Flags:
`, demo.EnvBaseURL, demo.EnvToken, demo.EnvHMACSecret)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	fs.Visit(func(f *flag.Flag) { c.staleSet = c.staleSet || f.Name == "stale" })
	c.refs = fs.Args()
	switch {
	case c.stale <= 0:
		return c, fmt.Errorf("-stale must be positive")
	case c.parallel < 1:
		return c, fmt.Errorf("-parallel must be at least 1")
	case c.timeout < 0 || c.maxPoll < 0:
		return c, fmt.Errorf("-timeout and -max-poll-interval may not be negative")
	case c.orders < 1 || c.fakeStep <= 0 || c.fakeLose < 0:
		return c, fmt.Errorf("-orders must be at least 1, -fake-step positive and -fake-lose not negative")
	}
	return c, nil
}

// useFakeDefaults applies the embedded fake's defaults to flags left unset.
func (c *config) useFakeDefaults() {
	if !c.staleSet {
		c.stale = fakeStale
	}
}

// maxPollInterval is the cap of an order's polling backoff.
func (c config) maxPollInterval() time.Duration {
	if c.maxPoll > 0 {
		return max(c.maxPoll, c.stale)
	}
	return 8 * c.stale
}
