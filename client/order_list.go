package client

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
)

// Orders walks the client's orders, newest first unless o.Sort says
// otherwise.
//
// GET /private/orders. Scope: public-api:orders:read.
func (c *Client) Orders(ctx context.Context, o OrderListOptions, opts ...CallOption) iter.Seq2[Order, error] {
	cl := call{op: "GET /private/orders", method: http.MethodGet, path: "/private/orders", query: o.values(), scope: "public-api:orders:read"}
	return paginate[Order](ctx, c, cl, o.PageOptions, "orders", opts)
}

// OrderDetails returns one order as the order list shows it; order is its
// numeric id, public_id or tracking_id. (*Client).Order reads the same order
// through the exchange endpoints.
//
// GET /private/orders/{order}. Scope: public-api:orders:read.
func (c *Client) OrderDetails(ctx context.Context, order string, opts ...CallOption) (*Order, error) {
	cl := &call{op: "GET /private/orders/{order}", method: http.MethodGet, path: "/private/orders/" + url.PathEscape(order), scope: "public-api:orders:read"}
	return callInto[Order](ctx, c, cl, "order", opts)
}

// OrderStatuses returns the order status dictionary.
//
// GET /private/orders/statuses. Scope: public-api:orders:read.
func (c *Client) OrderStatuses(ctx context.Context, opts ...CallOption) ([]OrderStatus, error) {
	return c.statuses(ctx, &call{op: "GET /private/orders/statuses", method: http.MethodGet, path: "/private/orders/statuses", scope: "public-api:orders:read"}, opts)
}

// PublicOrderStatuses returns the order status dictionary without a token.
//
// GET /public/orders/statuses. Public: no token needed.
func (c *Client) PublicOrderStatuses(ctx context.Context, opts ...CallOption) ([]OrderStatus, error) {
	return c.statuses(ctx, &call{op: "GET /public/orders/statuses", method: http.MethodGet, path: "/public/orders/statuses", public: true}, opts)
}

func (c *Client) statuses(ctx context.Context, cl *call, opts []CallOption) ([]OrderStatus, error) {
	var out []OrderStatus
	dec := decodeWith(func(raw json.RawMessage) (err error) { out, err = decodeStatusList(raw); return err })
	if _, err := c.do(ctx, cl, dec, opts); err != nil {
		return nil, err
	}
	return out, nil
}
