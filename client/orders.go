package client

import (
	"context"
	"net/http"
	"net/url"
)

// CreateOrderParams is the body of an order (ExchangeOrderCreateRequest).
//
// Select the route in exactly one of openapi.yaml's forms:
//
//	RouteID                                    route_id
//	DirectionID                                direction_id (the same id, older name)
//	IncomePaymentSystem + OutcomePaymentSystem income_payment_system, outcome_payment_system
//	FromCurrencyID + ToCurrencyID              from_currency_id, to_currency_id
//	From + To                                  from, to (letter codes)
//
// Amount, the give side, is required by openapi.yaml; OutcomeAmount (or
// its alias ReceiveAmount) may be sent beside it. IncomeAccount and
// OutcomeAccount have the aliases FromRequisite and ToRequisite. A request
// that mixes route forms, lacks a form or an amount, or sets a field and
// its alias is refused with an *InvalidRequestError before it is sent.
type CreateOrderParams struct {
	RouteID        int64  `json:"route_id,omitempty"`
	Amount         string `json:"income_amount,omitempty"` // give amount, a decimal string; money is never a float
	IncomeAccount  string `json:"income_account,omitempty"`
	OutcomeAccount string `json:"outcome_account,omitempty"`
	// TypeRate is TypeRateFixed or TypeRateFloating ("0" and "1" also work).
	TypeRate string `json:"type_rate,omitempty"`

	DirectionID          int64          `json:"direction_id,omitempty"`
	OutcomeAmount        string         `json:"outcome_amount,omitempty"` // receive amount, beside Amount
	ReceiveAmount        string         `json:"receive_amount,omitempty"` // alias of OutcomeAmount: set one
	IncomePaymentSystem  int64          `json:"income_payment_system,omitempty"`
	OutcomePaymentSystem int64          `json:"outcome_payment_system,omitempty"`
	FromCurrencyID       int64          `json:"from_currency_id,omitempty"`
	ToCurrencyID         int64          `json:"to_currency_id,omitempty"`
	From                 string         `json:"from,omitempty"` // letter code
	To                   string         `json:"to,omitempty"`
	FromCode             string         `json:"from_code,omitempty"`
	ToCode               string         `json:"to_code,omitempty"`
	FromRequisite        string         `json:"from_requisite,omitempty"` // alias of IncomeAccount: set one
	ToRequisite          string         `json:"to_requisite,omitempty"`   // alias of OutcomeAccount: set one
	Email                string         `json:"email,omitempty"`          // defaults to the key owner's email
	FieldsIn             map[string]any `json:"fields_in,omitempty"`
	FieldsOut            map[string]any `json:"fields_out,omitempty"`
	DirectionFields      map[string]any `json:"direction_fields,omitempty"`
	UserFields           map[string]any `json:"user_fields,omitempty"`
	ExtraOut             map[string]any `json:"extra_out,omitempty"`
	SelectedFees         map[string]any `json:"selected_fees,omitempty"`
	SelectorFees         map[string]any `json:"selector_fees,omitempty"`
	CheckboxAgreements   map[string]any `json:"checkbox_agreements,omitempty"`
	CityID               int64          `json:"city_id,omitempty"`
	PromoCode            string         `json:"promo_code,omitempty"`
	Snapshot             *RouteSnapshot `json:"snapshot,omitempty"` // from Quote or PreflightOrder
}

// The values of TypeRate.
const (
	TypeRateFixed    = "fixed"
	TypeRateFloating = "floating"
)

// Order is an exchange order.
type Order struct {
	ID         int64       `json:"id"`
	PublicID   string      `json:"public_id"`
	TrackingID string      `json:"tracking_id"`
	Status     OrderStatus `json:"status"` // a string or an object on the wire; see OrderStatus
	Amounts    struct {
		Give    Decimal `json:"give"`
		Receive Decimal `json:"receive"`
		Rate    Decimal `json:"rate"`
	} `json:"amounts"`
	Currencies struct {
		From CurrencySummary `json:"from"`
		To   CurrencySummary `json:"to"`
	} `json:"currencies"`
	Direction  map[string]any `json:"direction"`  // free-form
	Customer   map[string]any `json:"customer"`   // free-form
	Payment    map[string]any `json:"payment"`    // free-form: where and how to pay
	Flags      map[string]any `json:"flags"`      // free-form
	Timestamps map[string]any `json:"timestamps"` // free-form
}

// OrderActions is an order's state machine: its status, the actions allowed
// now (confirm_payment, cancel, upload_file, submit_verification) and the
// possible transitions.
type OrderActions struct {
	Status         map[string]any `json:"status"`          // free-form
	AllowedActions map[string]any `json:"allowed_actions"` // free-form: action -> true or {"allowed": true, ...}
	Transitions    []struct {
		ID  int64  `json:"id"`
		Key string `json:"key"`
	} `json:"transitions"`
	Requirements *VerificationRequirements `json:"requirements"`
}

// Allowed reports whether AllowedActions allows action now. An action is
// allowed when its entry is true or an object whose "allowed" is true.
func (a *OrderActions) Allowed(action string) bool {
	switch v := a.AllowedActions[action].(type) {
	case bool:
		return v
	case map[string]any:
		ok, _ := v["allowed"].(bool)
		return ok
	}
	return false
}

// ConfirmOrderParams is the body of ConfirmOrder.
type ConfirmOrderParams struct {
	Type       string `json:"type"` // ConfirmPaid or ConfirmUnpaid; required
	IncomeCode string `json:"income_code,omitempty"`
	NumTx      string `json:"num_tx,omitempty"`  // transaction number
	NoteTx     string `json:"note_tx,omitempty"` // note for the operator
}

// The values of ConfirmOrderParams.Type.
const (
	ConfirmPaid   = "paid"
	ConfirmUnpaid = "unpaid"
)

// CancelOrderParams is the body of CancelOrder.
type CancelOrderParams struct {
	Reason string `json:"reason,omitempty"`
}

// CreateOrder creates an exchange order. It always carries an
// Idempotency-Key (the caller's, from WithIdempotencyKey, or a generated
// one), so a retried timeout cannot create a second order.
//
// POST /private/exchange/orders. Scope: public-api:exchange:orders:create.
func (c *Client) CreateOrder(ctx context.Context, p CreateOrderParams, opts ...CallOption) (*Order, error) {
	cl := &call{op: "POST /private/exchange/orders", method: http.MethodPost, path: "/private/exchange/orders", body: p, scope: "public-api:exchange:orders:create", idempotent: true}
	return callInto[Order](ctx, c, cl, "order", opts)
}

// Order returns one of the client's orders; order is its numeric id,
// public_id or tracking_id.
//
// GET /private/exchange/orders/{order}. Scope: public-api:orders:read.
func (c *Client) Order(ctx context.Context, order string, opts ...CallOption) (*Order, error) {
	cl := &call{op: "GET /private/exchange/orders/{order}", method: http.MethodGet, path: orderPath(order), scope: "public-api:orders:read"}
	return callInto[Order](ctx, c, cl, "order", opts)
}

// OrderStatus returns an order's compact status, with IsFinal set. Prefer
// the order.status_changed webhook; poll this only as a fallback (see
// WaitForOrder).
//
// GET /private/exchange/orders/{order}/status. Scope: public-api:orders:read.
func (c *Client) OrderStatus(ctx context.Context, order string, opts ...CallOption) (*OrderStatus, error) {
	cl := &call{op: "GET /private/exchange/orders/{order}/status", method: http.MethodGet, path: orderPath(order) + "/status", scope: "public-api:orders:read"}
	// No unwrapping key: OrderStatus reads the {"order":{...}} wrapper itself.
	return callInto[OrderStatus](ctx, c, cl, "", opts)
}

// OrderActions returns an order's state machine and allowed actions.
//
// GET /private/exchange/orders/{order}/actions. Scope: public-api:exchange:orders:actions:read.
func (c *Client) OrderActions(ctx context.Context, order string, opts ...CallOption) (*OrderActions, error) {
	cl := &call{op: "GET /private/exchange/orders/{order}/actions", method: http.MethodGet, path: orderPath(order) + "/actions", scope: "public-api:exchange:orders:actions:read"}
	return callInto[OrderActions](ctx, c, cl, "actions", opts)
}

// ConfirmOrder tells the exchanger the order was paid (Type "paid") or not
// ("unpaid"). It returns the order as the server reports it after the
// change; fields the server leaves out stay zero.
//
// POST /private/exchange/orders/{order}/confirm. Scope: public-api:exchange:orders:confirm.
func (c *Client) ConfirmOrder(ctx context.Context, order string, p ConfirmOrderParams, opts ...CallOption) (*Order, error) {
	cl := &call{op: "POST /private/exchange/orders/{order}/confirm", method: http.MethodPost, path: orderPath(order) + "/confirm", body: p, scope: "public-api:exchange:orders:confirm", idempotent: true}
	return callInto[Order](ctx, c, cl, "order", opts)
}

// CancelOrder cancels an order that is not final yet. It returns the order
// as the server reports it after the change.
//
// POST /private/exchange/orders/{order}/cancel. Scope: public-api:exchange:orders:cancel.
func (c *Client) CancelOrder(ctx context.Context, order string, p CancelOrderParams, opts ...CallOption) (*Order, error) {
	cl := &call{op: "POST /private/exchange/orders/{order}/cancel", method: http.MethodPost, path: orderPath(order) + "/cancel", scope: "public-api:exchange:orders:cancel", idempotent: true}
	if p != (CancelOrderParams{}) {
		cl.body = p // openapi.yaml declares no body; send one only when there is a reason
	}
	return callInto[Order](ctx, c, cl, "order", opts)
}

// DeleteOrder cancels an order through DELETE, the REST twin of
// CancelOrder.
//
// DELETE /private/exchange/orders/{order}. Scope: public-api:exchange:orders:cancel.
func (c *Client) DeleteOrder(ctx context.Context, order string, opts ...CallOption) error {
	cl := &call{op: "DELETE /private/exchange/orders/{order}", method: http.MethodDelete, path: orderPath(order), scope: "public-api:exchange:orders:cancel", idempotent: true}
	_, err := c.do(ctx, cl, nil, opts)
	return err
}

// orderPath is the path of one order; order may be an id, a public_id or a
// tracking_id, escaped as one path segment.
func orderPath(order string) string {
	return "/private/exchange/orders/" + url.PathEscape(order)
}
