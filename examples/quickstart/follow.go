package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/examples/internal/demo"
	"github.com/iexkit/exchanger-go/webhook"
)

// errNotFinal reports an order that did not reach a final status in time.
var errNotFinal = errors.New("the order did not reach a final status in time")

// follow waits until the order's status is final: from the verified
// order.status_changed webhooks first, and by polling when none arrives
// within -webhook-wait (or when there is no receiver).
func (q *quickstart) follow(ctx context.Context, rcv *demo.Receiver, order *client.Order) error {
	ref := demo.OrderRef(order)
	if rcv != nil {
		final, err := q.waitWebhooks(ctx, rcv, order)
		if err != nil {
			return err
		}
		if final {
			// One read of the status endpoint, to show it agrees.
			st, err := q.c.OrderStatus(ctx, ref)
			if err != nil {
				return fmt.Errorf("order status: %w", err)
			}
			q.t.step("status", "%s (final %t), read back with GET /private/exchange/orders/{order}/status", st.Key, st.IsFinal)
			return nil
		}
		q.t.step("webhook", "none for %s: polling the status instead", q.cfg.webhookWait)
	}
	last := ""
	st, err := q.c.WaitForOrder(ctx, ref, client.WaitOptions{
		Interval:    time.Second,
		MaxInterval: 5 * time.Second,
		OnStatus: func(st *client.OrderStatus) {
			if st.Key != last {
				last = st.Key
				q.t.step("poll", "status %s (final %t)", st.Key, st.IsFinal)
			}
		},
	})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("%w (%s): %v", errNotFinal, q.cfg.timeout, err)
		}
		return fmt.Errorf("waiting for the order: %w", err)
	}
	q.t.step("final", "%s reached by polling", st.Key)
	return nil
}

// waitWebhooks prints the order's verified events until one says the status
// is final (true), or none has come for -webhook-wait (false).
func (q *quickstart) waitWebhooks(ctx context.Context, rcv *demo.Receiver, order *client.Order) (bool, error) {
	quiet := time.NewTimer(q.cfg.webhookWait)
	defer quiet.Stop()
	for {
		select {
		case ev := <-rcv.Events():
			o := ev.OrderRef()
			if o == nil || !sameOrder(o, order) {
				q.log.Debug("webhook event for another order", "event", ev.ID, "type", ev.Type)
				continue
			}
			from, to := statusChange(ev, o)
			final := ""
			if o.Final() {
				final = " (final)"
			}
			q.t.step("webhook", "verified %s %s -> %s%s, event %s", ev.Type, from, to, final, short(ev.ID, 8))
			if o.Final() {
				return true, nil
			}
			quiet.Reset(q.cfg.webhookWait)
		case <-quiet.C:
			return false, nil
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return false, fmt.Errorf("%w (%s)", errNotFinal, q.cfg.timeout)
			}
			return false, ctx.Err()
		}
	}
}

// sameOrder reports whether an event's order is the one created.
func sameOrder(o *webhook.Order, order *client.Order) bool {
	return (o.TrackingID != "" && o.TrackingID == order.TrackingID) ||
		(o.PublicID != "" && o.PublicID == order.PublicID) ||
		(o.ID != "" && string(o.ID) == strconv.FormatInt(order.ID, 10))
}

// statusChange returns the previous and the new status of an event.
func statusChange(ev *webhook.Event, o *webhook.Order) (from, to string) {
	to = o.Status.Key
	if p, err := ev.Payload(); err == nil {
		if oe, ok := p.(*webhook.OrderEvent); ok && oe.PreviousStatus != nil && oe.PreviousStatus.Key != "" {
			return oe.PreviousStatus.Key, to
		}
	}
	return "?", to
}
