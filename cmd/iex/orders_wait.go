package main

import (
	"context"
	"fmt"
	"time"

	"github.com/iexkit/exchanger-go/client"
)

const ordersWaitUsage = `Usage: iex orders wait [flags] ORDER

Follows an order to a final status without webhooks (client.WaitForOrder):
it polls GET /private/exchange/orders/{order}/status, backing off from
--interval to --max-interval with jitter, waits out rate limits, and prints
a line for each change of status. ORDER is the numeric id, public_id or
tracking_id. It exits 0 once the status is final (whichever final status
it is) and prints it last; after --timeout it gives up with exit code 6,
like any call that got no answer in time.
`

// runOrdersWait is "iex orders wait".
func runOrdersWait(ctx context.Context, a *app, args []string) error {
	fs := a.newFlagSet("orders wait", ordersWaitUsage)
	var (
		api     apiFlags
		opts    client.WaitOptions
		jsonOut bool
	)
	api.register(fs)
	fs.DurationVar(&opts.Interval, "interval", 2*time.Second, "first wait between two polls")
	fs.DurationVar(&opts.MaxInterval, "max-interval", time.Minute, "longest wait between two polls")
	fs.BoolVar(&jsonOut, "json", false, "write each status as a line of JSON")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := fs.wantArgs(pos, "ORDER"); err != nil {
		return err
	}
	if opts.Interval <= 0 || opts.MaxInterval <= 0 {
		return usagef("orders wait: --interval and --max-interval must be positive")
	}
	c, err := a.newClient(&api)
	if err != nil {
		return err
	}
	if api.timeout > 0 {
		// --timeout bounds the whole wait, not only each poll.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, api.timeout)
		defer cancel()
	}
	order := pos[0]
	var last *client.OrderStatus
	var werr error
	opts.OnStatus = func(st *client.OrderStatus) {
		if last != nil && last.Key == st.Key && last.IsFinal == st.IsFinal {
			return
		}
		s := *st
		last = &s
		if werr == nil {
			werr = writeStatus(a, order, st, jsonOut)
		}
	}
	if _, err := c.WaitForOrder(ctx, order, opts); err != nil {
		return err
	}
	return werr
}

// writeStatus writes one status line.
func writeStatus(a *app, order string, st *client.OrderStatus, jsonOut bool) error {
	if jsonOut {
		return writeJSON(a.stdout, struct {
			Time  string              `json:"time"`
			Order string              `json:"order"`
			State *client.OrderStatus `json:"status"`
		}{time.Now().UTC().Format(time.RFC3339), order, st}, false)
	}
	label := st.Key
	if st.Name != "" && st.Name != st.Key {
		label += " (" + st.Name + ")"
	}
	if st.IsFinal {
		label += ", final"
	}
	_, err := fmt.Fprintf(a.stdout, "%s  %s  %s\n", time.Now().UTC().Format("15:04:05"), order, label)
	return err
}
