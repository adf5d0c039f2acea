package client

import (
	"context"
	"errors"
	"time"
)

// Limiter coordinates the requests of every client, in every process, that
// sends with one API key. Without one, each client paces itself from the
// server's X-RateLimit-* answers and its estimated share of the key's
// traffic, which keeps a few processes within a few percent of the limit;
// a Limiter makes the count exact for a fleet of any size. The package
// pglimiter implements it on PostgreSQL.
//
// Implementations must be safe for concurrent use.
type Limiter interface {
	// Reserve asks to send one request now. It returns 0 when the request
	// may go (it is then counted), else how long to wait before asking
	// again. An error other than ctx's lets the request go, paced by the
	// client alone, and is logged.
	Reserve(ctx context.Context) (wait time.Duration, err error)
	// Observe reports the rate-limit headers of an answer of the server
	// (Limit, Remaining, Reset), so the limiter follows the server's
	// window and learns its size.
	Observe(ctx context.Context, rl RateLimit) error
}

// WithLimiter shares the key's rate-limit window through l with the other
// processes that use the same key. Use one Limiter per key. The client
// still honours what the server says (Remaining, a 429's Retry-After).
func WithLimiter(l Limiter) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("client: WithLimiter: nil Limiter")
		}
		c.limiter = l
		return nil
	}
}
