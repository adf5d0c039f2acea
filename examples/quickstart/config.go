package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/iexkit/exchanger-go/examples/internal/demo"
)

// config is what the flags say.
type config struct {
	routeID        int64
	amount         string
	incomeAccount  string
	outcomeAccount string
	create         bool
	orderKey       string
	webhookURL     string
	listen         string
	webhookWait    time.Duration
	timeout        time.Duration
	fakeStep       time.Duration
	verbose        bool
}

func parseConfig(args []string, out io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Int64Var(&c.routeID, "route", 0, "route id to use (default: the first enabled route)")
	fs.StringVar(&c.amount, "amount", "", "give amount, a decimal string (default: the route's minimum)")
	fs.StringVar(&c.incomeAccount, "income-account", "", "income account, when the route asks for one (the fake gets a demo value)")
	fs.StringVar(&c.outcomeAccount, "outcome-account", "", "outcome account, when the route asks for one (the fake gets a demo value)")
	fs.BoolVar(&c.create, "create", false, "against a real exchanger: really create the order (the fake always does)")
	fs.StringVar(&c.orderKey, "idempotency-key", "", "Idempotency-Key of the order (default: quickstart-<UTC time>-route-<id>)")
	fs.StringVar(&c.webhookURL, "webhook-url", "", "public URL that reaches -listen; registers a webhook endpoint on a real exchanger")
	fs.StringVar(&c.listen, "listen", "127.0.0.1:0", "address of the local webhook receiver")
	fs.DurationVar(&c.webhookWait, "webhook-wait", 5*time.Second, "how long to wait for a webhook before polling the status")
	fs.DurationVar(&c.timeout, "timeout", 2*time.Minute, "give up when the order is not final after this long")
	fs.DurationVar(&c.fakeStep, "fake-step", 700*time.Millisecond, "with the embedded fake: time between two status changes of an order")
	fs.BoolVar(&c.verbose, "v", false, "debug diagnostics on stderr")
	fs.Usage = func() {
		fmt.Fprintf(out, `Usage: quickstart [flags]

The whole order flow with the exchanger-go SDK, as a short transcript.

Without %[1]s it runs against a fake exchanger started in the process.
With %[1]s, %[2]s (and %[3]s) it talks to a real
exchanger, creates an order only with -create, and registers a webhook only
with -webhook-url; otherwise it polls.

Flags:
`, demo.EnvBaseURL, demo.EnvToken, demo.EnvHMACSecret)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if c.webhookWait <= 0 || c.timeout <= 0 || c.fakeStep <= 0 {
		return c, fmt.Errorf("-webhook-wait, -timeout and -fake-step must be positive")
	}
	return c, nil
}
