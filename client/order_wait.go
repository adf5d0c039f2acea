package client

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"
)

// WaitOptions tunes WaitForOrder. Zero fields take the defaults.
type WaitOptions struct {
	// Interval is the first wait between two polls; default 2s. Each wait
	// grows by half, with jitter, up to MaxInterval.
	Interval time.Duration
	// MaxInterval caps a wait; default 60s.
	MaxInterval time.Duration
	// MaxErrors is how many polls in a row may fail with a server or
	// network error (after the client's own retries) before WaitForOrder
	// gives up; default 5. Other errors (404, 403, ...) end it at once.
	MaxErrors int
	// OnStatus, if set, is called with every status read, for progress
	// reporting.
	OnStatus func(*OrderStatus)
	// CallOptions are passed to every OrderStatus call, before the ones
	// given to WaitForOrder itself.
	CallOptions []CallOption
}

// WaitForOrder polls an order's status until it is final and returns that
// status. It is the fallback for orders without a recent webhook: polls
// back off exponentially with jitter, and a rate-limit answer (429) waits
// for its Retry-After before the next poll. It returns early with ctx's
// error when ctx is done. opts apply to every poll, like those of any
// other call: WithCorrelationID to trace them, WithResponse for the
// metadata of the last one.
//
// GET /private/exchange/orders/{order}/status. Scope: public-api:orders:read.
func (c *Client) WaitForOrder(ctx context.Context, order string, o WaitOptions, opts ...CallOption) (*OrderStatus, error) {
	if o.Interval <= 0 {
		o.Interval = 2 * time.Second
	}
	if o.MaxInterval <= 0 {
		o.MaxInterval = 60 * time.Second
	}
	if o.MaxInterval < o.Interval {
		o.MaxInterval = o.Interval
	}
	if o.MaxErrors <= 0 {
		o.MaxErrors = 5
	}
	interval := o.Interval
	failures := 0
	pollOpts := append(slices.Clip(o.CallOptions), opts...)
	for {
		st, err := c.OrderStatus(ctx, order, pollOpts...)
		wait := jitter(interval)
		switch {
		case err == nil:
			failures = 0
			if o.OnStatus != nil {
				o.OnStatus(st)
			}
			if st.IsFinal {
				return st, nil
			}
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case isLocalError(err):
			return nil, err // refused before sending: the next poll would fail the same way
		default:
			var ae *APIError
			if errors.As(err, &ae) {
				if ae.RetryAfter > wait {
					wait = ae.RetryAfter // the server said when (429, 503); never earlier
				}
				switch {
				case ae.StatusCode == http.StatusTooManyRequests:
					// Rate limited: not a failure, just a longer wait.
				case ae.StatusCode < 500:
					return nil, err // 401, 403, 404 ...: polling again cannot help
				default:
					failures++
				}
			} else {
				failures++ // network trouble that outlived the client's retries
			}
			if failures >= o.MaxErrors {
				return nil, err
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		interval += interval / 2
		if interval > o.MaxInterval {
			interval = o.MaxInterval
		}
	}
}

// jitter spreads a wait over [d/2, d) so that many pollers do not hit the
// server in step.
func jitter(d time.Duration) time.Duration {
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half)
}
