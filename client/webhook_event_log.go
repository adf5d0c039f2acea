package client

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"time"
)

// WebhookEventLog walks the webhook events created at or after since (all
// of them for a zero since) as raw JSON entries, in cursor mode with the
// largest page the API allows, so that rows added during the walk shift
// nothing. It is the event source of webhook.CatchUp (it satisfies
// webhook.EventLog): raw entries keep the stored payload byte for byte, so
// no number in it goes through a float64.
//
// Each page is one signed API call paced like every other call of c (rate
// limit, Retry-After, retry budget); the walk stops at the first error,
// which it yields, and when ctx is done.
//
// GET /private/webhooks/events. Scope: public-api:webhooks:deliveries:read.
func (c *Client) WebhookEventLog(ctx context.Context, since time.Time) iter.Seq2[json.RawMessage, error] {
	o := WebhookEventListOptions{PageOptions: PageOptions{PerPage: 100, Cursor: true}, CreatedFrom: since}
	cl := call{op: "GET /private/webhooks/events", method: http.MethodGet, path: "/private/webhooks/events", query: o.values(), scope: "public-api:webhooks:deliveries:read"}
	return paginate[json.RawMessage](ctx, c, cl, o.PageOptions, "events", nil)
}
