package client

import (
	"context"
	"iter"
	"net/http"
)

// PaymentSystem is a currency on a payment system (a "give" or "receive"
// side of a route).
type PaymentSystem struct {
	ID      int64  `json:"id"`
	Type    string `json:"type"` // "payment_system"
	Name    string `json:"name"`
	Payment struct {
		ID      int64  `json:"id"`
		Name    string `json:"name"`
		Logo    string `json:"logo"`
		LogoURL string `json:"logo_url"`
	} `json:"payment"`
	Currency struct {
		ID   int64  `json:"id"`
		Code string `json:"code"`
		Sign string `json:"sign"`
	} `json:"currency"`
	Codes struct {
		Letter     string `json:"letter"`
		Short      string `json:"short"`
		NetworkIn  string `json:"network_in"`
		NetworkOut string `json:"network_out"`
	} `json:"codes"`
	Precision struct {
		AmountDecimal int `json:"amount_decimal"`
	} `json:"precision"`
	Capabilities struct {
		CanGive        bool `json:"can_give"`
		CanReceive     bool `json:"can_receive"`
		IncomeEnabled  int  `json:"income_enabled"`
		OutcomeEnabled int  `json:"outcome_enabled"`
	} `json:"capabilities"`
	Routes struct {
		GiveTo      []RouteLink `json:"give_to"`
		ReceiveFrom []RouteLink `json:"receive_from"`
	} `json:"routes"`
	Form    map[string]any `json:"form"`    // free-form
	Notices map[string]any `json:"notices"` // free-form
	Network map[string]any `json:"network"` // free-form, may be null
	Filters struct {
		IDs []int64 `json:"ids"` // as the server sends them; openapi.yaml gives them no further meaning
	} `json:"filters"`
	Sorting map[string]int64 `json:"sorting"`
}

// RouteLink points from a payment system to a route and the currency on its
// other side.
type RouteLink struct {
	RouteID    int64 `json:"route_id"`
	CurrencyID int64 `json:"currency_id"`
}

// PaymentSystems walks the active payment systems; filter by side with
// PaymentSystemListOptions.Side ("give" or "receive").
//
// GET /private/exchange/payment-systems. Scope: public-api:exchange:routes:read.
func (c *Client) PaymentSystems(ctx context.Context, o PaymentSystemListOptions, opts ...CallOption) iter.Seq2[PaymentSystem, error] {
	cl := call{op: "GET /private/exchange/payment-systems", method: http.MethodGet, path: "/private/exchange/payment-systems", query: o.values(), scope: "public-api:exchange:routes:read"}
	return paginate[PaymentSystem](ctx, c, cl, o.PageOptions, "payment_systems", opts)
}
