package client

import (
	"context"
	"encoding/json"
	"net/http"
)

// SimulateOrder runs an order creation in the sandbox, without writing
// anything; it takes the preflight body, and its result is free-form in
// openapi.yaml.
//
// POST /private/sandbox/exchange/orders/simulate. Scope: public-api:sandbox:run.
func (c *Client) SimulateOrder(ctx context.Context, p PreflightParams, opts ...CallOption) (json.RawMessage, error) {
	var out json.RawMessage
	cl := &call{op: "POST /private/sandbox/exchange/orders/simulate", method: http.MethodPost, path: "/private/sandbox/exchange/orders/simulate", body: p, scope: "public-api:sandbox:run", idempotent: true}
	_, err := c.do(ctx, cl, &out, opts)
	return out, err
}
