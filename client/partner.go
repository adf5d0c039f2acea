package client

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
)

// PartnerReferral is a client the partner attracted. openapi.yaml leaves
// the shape open; the typed fields are those its filters name, and Raw
// keeps the whole object.
type PartnerReferral struct {
	ID          int64           `json:"id"`
	ClientID    int64           `json:"client_id"`
	ClientEmail string          `json:"client_email"`
	ClientName  string          `json:"client_name"`
	CreatedAt   string          `json:"created_at"`
	Raw         json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the typed fields and keeps the object in Raw.
func (r *PartnerReferral) UnmarshalJSON(b []byte) error {
	type plain PartnerReferral
	return keepRaw(b, (*plain)(r), &r.Raw)
}

// PartnerExchange is an order that earned the partner a referral bonus.
type PartnerExchange struct {
	ID              int64           `json:"id"`
	OrderID         int64           `json:"order_id"`
	ClientID        int64           `json:"client_id"`
	Status          string          `json:"status"`
	OrderPublicID   string          `json:"order_public_id"`
	OrderTrackingID string          `json:"order_tracking_id"`
	ClientEmail     string          `json:"client_email"`
	Bonus           Decimal         `json:"bonus"`
	CreatedAt       string          `json:"created_at"`
	Raw             json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the typed fields and keeps the object in Raw.
func (e *PartnerExchange) UnmarshalJSON(b []byte) error {
	type plain PartnerExchange
	return keepRaw(b, (*plain)(e), &e.Raw)
}

// PartnerPayout is a payout request of the partner.
type PartnerPayout struct {
	ID        int64           `json:"id"`
	PublicID  string          `json:"public_id"`
	Wallet    string          `json:"wallet"`
	TxID      string          `json:"tx_id"`
	Status    string          `json:"status"` // pending, paid, rejected
	Currency  string          `json:"currency"`
	Amount    Decimal         `json:"amount"`
	CreatedAt string          `json:"created_at"`
	Raw       json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the typed fields and keeps the object in Raw.
func (p *PartnerPayout) UnmarshalJSON(b []byte) error {
	type plain PartnerPayout
	return keepRaw(b, (*plain)(p), &p.Raw)
}

// keepRaw decodes b into v and keeps a copy of b in raw.
func keepRaw(b []byte, v any, raw *json.RawMessage) error {
	if err := json.Unmarshal(b, v); err != nil {
		return err
	}
	*raw = append(json.RawMessage(nil), b...)
	return nil
}

// PartnerSummary returns the partner profile and summary; free-form in
// openapi.yaml.
//
// GET /private/partner. Scope: public-api:partner:read.
func (c *Client) PartnerSummary(ctx context.Context, opts ...CallOption) (json.RawMessage, error) {
	var out json.RawMessage
	_, err := c.do(ctx, &call{op: "GET /private/partner", method: http.MethodGet, path: "/private/partner", scope: "public-api:partner:read"}, &out, opts)
	return out, err
}

// PartnerStatistics returns the partner's aggregated statistics; free-form
// in openapi.yaml.
//
// GET /private/partner/statistics. Scope: public-api:partner:statistics:read.
func (c *Client) PartnerStatistics(ctx context.Context, opts ...CallOption) (json.RawMessage, error) {
	var out json.RawMessage
	_, err := c.do(ctx, &call{op: "GET /private/partner/statistics", method: http.MethodGet, path: "/private/partner/statistics", scope: "public-api:partner:statistics:read"}, &out, opts)
	return out, err
}

// PartnerReferrals walks the clients the partner attracted.
//
// GET /private/partner/referrals. Scope: public-api:partner:referrals:read.
func (c *Client) PartnerReferrals(ctx context.Context, o PartnerReferralListOptions, opts ...CallOption) iter.Seq2[PartnerReferral, error] {
	cl := call{op: "GET /private/partner/referrals", method: http.MethodGet, path: "/private/partner/referrals", query: o.values(), scope: "public-api:partner:referrals:read"}
	return paginate[PartnerReferral](ctx, c, cl, o.PageOptions, "referrals", opts)
}

// PartnerExchanges walks the orders that earned referral bonuses.
//
// GET /private/partner/exchanges. Scope: public-api:partner:exchanges:read.
func (c *Client) PartnerExchanges(ctx context.Context, o PartnerExchangeListOptions, opts ...CallOption) iter.Seq2[PartnerExchange, error] {
	cl := call{op: "GET /private/partner/exchanges", method: http.MethodGet, path: "/private/partner/exchanges", query: o.values(), scope: "public-api:partner:exchanges:read"}
	return paginate[PartnerExchange](ctx, c, cl, o.PageOptions, "exchanges", opts)
}

// PartnerPayouts walks the partner's payout requests.
//
// GET /private/partner/payouts. Scope: public-api:partner:payouts:read.
func (c *Client) PartnerPayouts(ctx context.Context, o PartnerPayoutListOptions, opts ...CallOption) iter.Seq2[PartnerPayout, error] {
	cl := call{op: "GET /private/partner/payouts", method: http.MethodGet, path: "/private/partner/payouts", query: o.values(), scope: "public-api:partner:payouts:read"}
	return paginate[PartnerPayout](ctx, c, cl, o.PageOptions, "payouts", opts)
}
