package client

import (
	"context"
	"iter"
	"net/http"
)

// Review is a customer review of an exchange.
type Review struct {
	ID     int64 `json:"id"`
	Status struct {
		ID          int64  `json:"id"`
		Name        string `json:"name"` // published, moderation
		IsPublished bool   `json:"is_published"`
	} `json:"status"`
	Name       string         `json:"name"`
	Text       string         `json:"text"`
	Rating     int            `json:"rating"`
	Order      map[string]any `json:"order"`      // free-form, may be null
	Timestamps map[string]any `json:"timestamps"` // free-form
}

// ReviewParams is the body of CreateReview; name the order by OrderID or by
// TrackingID, not both.
type ReviewParams struct {
	Name       string `json:"name"` // up to 40 characters
	Text       string `json:"text"` // up to 200 characters
	Rating     int    `json:"rating,omitempty"`
	RateSpeed  int    `json:"rate_speed,omitempty"`
	OrderID    string `json:"order_id,omitempty"`
	TrackingID string `json:"tracking_id,omitempty"`
}

// Reviews walks the published reviews.
//
// GET /private/reviews. Scope: public-api:reviews:read.
func (c *Client) Reviews(ctx context.Context, o ReviewListOptions, opts ...CallOption) iter.Seq2[Review, error] {
	cl := call{op: "GET /private/reviews", method: http.MethodGet, path: "/private/reviews", query: o.values(), scope: "public-api:reviews:read"}
	return paginate[Review](ctx, c, cl, o.PageOptions, "reviews", opts)
}

// CreateReview reviews one of the client's own orders; the review goes to
// moderation.
//
// POST /private/reviews. Scope: public-api:reviews:write.
func (c *Client) CreateReview(ctx context.Context, p ReviewParams, opts ...CallOption) (*Review, error) {
	cl := &call{op: "POST /private/reviews", method: http.MethodPost, path: "/private/reviews", body: p, scope: "public-api:reviews:write", idempotent: true}
	return callInto[Review](ctx, c, cl, "review", opts)
}
