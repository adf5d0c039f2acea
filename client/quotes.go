package client

import (
	"context"
	"net/http"
)

// QuoteParams is the body of a quote (ExchangeQuoteRequest). Select the
// route in exactly one of openapi.yaml's forms: RouteID; DirectionID;
// IncomePaymentSystem and OutcomePaymentSystem; FromCurrencyID and
// ToCurrencyID; or From and To (letter codes). Amount, the give side, is
// required. A mix of forms, or none, is refused with an
// *InvalidRequestError before anything is sent.
type QuoteParams struct {
	RouteID              int64  `json:"route_id,omitempty"`
	DirectionID          int64  `json:"direction_id,omitempty"`
	IncomePaymentSystem  int64  `json:"income_payment_system,omitempty"`
	OutcomePaymentSystem int64  `json:"outcome_payment_system,omitempty"`
	FromCurrencyID       int64  `json:"from_currency_id,omitempty"`
	ToCurrencyID         int64  `json:"to_currency_id,omitempty"`
	From                 string `json:"from,omitempty"` // letter code, e.g. "USDTTRC20"
	To                   string `json:"to,omitempty"`
	FromCode             string `json:"from_code,omitempty"`
	ToCode               string `json:"to_code,omitempty"`
	Amount               string `json:"amount,omitempty"` // decimal string; money is never a float
	CityID               int64  `json:"city_id,omitempty"`
	// TypeRate is TypeRateFixed or TypeRateFloating ("0" and "1" also work).
	TypeRate                 string         `json:"type_rate,omitempty"`
	SelectedFeeType          string         `json:"selected_fee_type,omitempty"`
	SelectedFees             map[string]any `json:"selected_fees,omitempty"`
	SelectorFees             map[string]any `json:"selector_fees,omitempty"`
	CheckboxFees             map[string]any `json:"checkbox_fees,omitempty"`
	CardVerificationRequired *bool          `json:"card_verification_required,omitempty"`
}

// Quote is a price calculation without an order (ExchangeQuote).
type Quote struct {
	Route   *Route `json:"route"`
	Amounts struct {
		Give    Decimal `json:"give"`
		Receive Decimal `json:"receive"`
	} `json:"amounts"`
	Components  []map[string]any `json:"components"` // free-form fee lines
	Rate        QuoteRate        `json:"rate"`
	BaseRate    QuoteRate        `json:"base_rate"` // the route's rate before quote-level adjustments
	Adjustments struct {
		CityID                   *int64 `json:"city_id"`
		SelectedFeeType          string `json:"selected_fee_type"`
		SelectedFees             []any  `json:"selected_fees"`
		SelectorFees             []any  `json:"selector_fees"`
		CheckboxFees             []any  `json:"checkbox_fees"`
		CardVerificationRequired bool   `json:"card_verification_required"`
	} `json:"adjustments"`
	Promo struct {
		Applied           bool    `json:"applied"`
		BaseReceiveAmount Decimal `json:"base_receive_amount"`
	} `json:"promo"`
	TaskPayload map[string]any `json:"task_payload"` // free-form

	// Snapshot is the route snapshot returned beside the quote; pass it to
	// PreflightOrder or CreateOrder to detect a route change in between.
	Snapshot *RouteSnapshot `json:"-"`
}

// QuoteRate is a quote's exchange rate.
type QuoteRate struct {
	Display  string         `json:"display"`
	Value    Decimal        `json:"value"`
	Source   string         `json:"source"`   // "calculation" or "direction"
	Selected string         `json:"selected"` // "fixed", "floating" or ""
	Modes    map[string]any `json:"modes"`    // free-form
	Note     string         `json:"note"`
}

// Quote prices an exchange without creating an order. It has no side
// effects, so it is retried like a GET.
//
// POST /private/exchange/quotes. Scope: public-api:exchange:quotes:read.
func (c *Client) Quote(ctx context.Context, p QuoteParams, opts ...CallOption) (*Quote, error) {
	type result struct {
		Quote    *Quote         `json:"quote"`
		Snapshot *RouteSnapshot `json:"snapshot"`
	}
	cl := &call{op: "POST /private/exchange/quotes", method: http.MethodPost, path: "/private/exchange/quotes", body: p, scope: "public-api:exchange:quotes:read", safe: true}
	out, err := callInto[result](ctx, c, cl, "", opts)
	if err != nil {
		return nil, err
	}
	if out.Quote == nil {
		out.Quote = new(Quote)
	}
	out.Quote.Snapshot = out.Snapshot
	return out.Quote, nil
}

// PreflightParams is the body of a preflight (and of a sandbox
// simulation): a quote, with its route forms, plus the order's accounts
// and fields.
type PreflightParams struct {
	QuoteParams
	IncomeAccount      string         `json:"income_account,omitempty"`
	OutcomeAccount     string         `json:"outcome_account,omitempty"`
	DirectionFields    map[string]any `json:"direction_fields,omitempty"`
	UserFields         map[string]any `json:"user_fields,omitempty"`
	CheckboxAgreements map[string]any `json:"checkbox_agreements,omitempty"`
	Snapshot           *RouteSnapshot `json:"snapshot,omitempty"`
}

// Preflight says whether an order could be created as described, and what
// is missing.
type Preflight struct {
	Allowed        bool                      `json:"allowed"`
	CanCreateOrder bool                      `json:"can_create_order"`
	MissingFields  []MissingField            `json:"missing_fields"`
	Quote          *Quote                    `json:"quote"`
	Contract       *OperationContract        `json:"operation_contract"`
	Requirements   *VerificationRequirements `json:"requirements"`
	Snapshot       *RouteSnapshot            `json:"snapshot"`
}

// MissingField is a field an order still needs.
type MissingField struct {
	Field   string `json:"field"`
	Type    string `json:"type"`
	Message string `json:"message"`
}

// PreflightOrder validates an order before creating it. It has no side
// effects, so it is retried like a GET.
//
// POST /private/exchange/orders/preflight. Scope: public-api:exchange:preflight:read.
func (c *Client) PreflightOrder(ctx context.Context, p PreflightParams, opts ...CallOption) (*Preflight, error) {
	cl := &call{op: "POST /private/exchange/orders/preflight", method: http.MethodPost, path: "/private/exchange/orders/preflight", body: p, scope: "public-api:exchange:preflight:read", safe: true}
	return callInto[Preflight](ctx, c, cl, "preflight", opts)
}
