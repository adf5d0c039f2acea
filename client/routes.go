package client

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// CurrencySummary is one side of a route or order.
type CurrencySummary struct {
	ID          int64  `json:"id"`
	Payment     string `json:"payment"`
	Code        string `json:"code"`
	Designation string `json:"designation"`
	SmallCode   string `json:"small_code"`
	Network     string `json:"network"`
	NetworkOut  string `json:"network_out"`
	Decimal     int    `json:"decimal"` // digits after the point
}

// Route is an exchange route (a "direction"): from one currency to another.
type Route struct {
	ID        int64           `json:"id"`
	Status    int             `json:"status"`
	IsEnabled bool            `json:"is_enabled"`
	Name      string          `json:"name"`
	From      CurrencySummary `json:"from"`
	To        CurrencySummary `json:"to"`
	Limits    struct {
		MinGive    Decimal `json:"min_give"`
		MaxGive    Decimal `json:"max_give"`
		MinReceive Decimal `json:"min_receive"`
		MaxReceive Decimal `json:"max_receive"`
	} `json:"limits"`
	Rate struct {
		Type            string         `json:"type"` // "fixed" or "selectable"
		Course          Decimal        `json:"course"`
		IsTypeRate      bool           `json:"is_type_rate"`
		DefaultTypeRate int            `json:"default_type_rate"` // 0 fixed, 1 floating
		Modes           map[string]any `json:"modes"`             // free-form
	} `json:"rate"`
	Features   map[string]any   `json:"features"` // free-form
	Sorting    map[string]int64 `json:"sorting"`
	Timestamps map[string]any   `json:"timestamps"` // free-form
}

// RouteSnapshot pins the route state a quote was computed on; send it back
// with preflight or order creation to detect changes.
type RouteSnapshot struct {
	Version     string         `json:"version"` // "route-snapshot-v1"
	RouteID     int64          `json:"route_id"`
	Hash        string         `json:"hash"`
	GeneratedAt string         `json:"generated_at"` // RFC 3339
	ExpiresAt   string         `json:"expires_at"`   // RFC 3339
	Fingerprint map[string]any `json:"fingerprint,omitempty"`
}

// OperationContract describes how to build an order for a route.
type OperationContract struct {
	Version   string         `json:"version"` // "operation-contract-v1"
	Route     *Route         `json:"route"`
	Operation map[string]any `json:"operation"` // free-form
	Snapshot  *RouteSnapshot `json:"snapshot"`
	Contract  map[string]any `json:"contract"` // free-form
}

// RouteDetails is a route with its operation payload and contract.
type RouteDetails struct {
	Route             *Route             `json:"route"`
	Operation         map[string]any     `json:"operation"` // free-form
	Snapshot          *RouteSnapshot     `json:"snapshot"`
	OperationContract *OperationContract `json:"operation_contract"`
	Contract          struct {
		QuoteEndpoint     string   `json:"quote_endpoint"`
		PreflightEndpoint string   `json:"preflight_endpoint"`
		OrderEndpoint     string   `json:"order_endpoint"`
		AmountSide        string   `json:"amount_side"` // "give"
		CurrencyFields    []string `json:"currency_fields"`
	} `json:"contract"`
}

// RouteCapabilities is a route's capability matrix: whether it is
// available, amount limits, the fields an order needs, rate modes and
// verification requirements.
type RouteCapabilities struct {
	Version           string                    `json:"version"` // "route-capabilities-v1"
	RouteID           int64                     `json:"route_id"`
	Status            map[string]any            `json:"status"`  // free-form
	Actions           map[string]any            `json:"actions"` // free-form
	Amounts           map[string]any            `json:"amounts"` // free-form: min, max ...
	Rate              map[string]any            `json:"rate"`    // free-form: rate modes
	Fields            []map[string]any          `json:"fields"`
	DynamicFields     map[string]any            `json:"dynamic_fields"`
	Requirements      *VerificationRequirements `json:"requirements"`
	Files             map[string]any            `json:"files"`
	Endpoints         map[string]string         `json:"endpoints"`
	Snapshot          *RouteSnapshot            `json:"snapshot"`
	OperationContract *OperationContract        `json:"operation_contract"`
}

// RouteQuery selects a route for RouteDetailsByQuery: by id (RouteID, or
// its older name DirectionID), or by a currency pair (ids or letter codes).
// Set one way only.
type RouteQuery struct {
	RouteID        int64
	DirectionID    int64
	FromCurrencyID int64
	ToCurrencyID   int64
	From, To       string // letter codes, e.g. "USDT", "USD"
}

// Routes walks the active exchange routes.
//
// GET /private/exchange/routes. Scope: public-api:exchange:routes:read.
func (c *Client) Routes(ctx context.Context, o RouteListOptions, opts ...CallOption) iter.Seq2[Route, error] {
	cl := call{op: "GET /private/exchange/routes", method: http.MethodGet, path: "/private/exchange/routes", query: o.values(), scope: "public-api:exchange:routes:read"}
	return paginate[Route](ctx, c, cl, o.PageOptions, "routes", opts)
}

// Route returns one active route by id.
//
// GET /private/exchange/routes/{route}. Scope: public-api:exchange:routes:read.
func (c *Client) Route(ctx context.Context, route int64, opts ...CallOption) (*Route, error) {
	cl := &call{op: "GET /private/exchange/routes/{route}", method: http.MethodGet, path: "/private/exchange/routes/" + idSeg(route), scope: "public-api:exchange:routes:read"}
	return callInto[Route](ctx, c, cl, "route", opts)
}

// RouteDetails returns a route's details by route id.
//
// GET /private/exchange/routes/{route}/details. Scope: public-api:exchange:routes:read.
func (c *Client) RouteDetails(ctx context.Context, route int64, opts ...CallOption) (*RouteDetails, error) {
	cl := &call{op: "GET /private/exchange/routes/{route}/details", method: http.MethodGet, path: "/private/exchange/routes/" + idSeg(route) + "/details", scope: "public-api:exchange:routes:read"}
	return callInto[RouteDetails](ctx, c, cl, "details", opts)
}

// RouteDetailsByPair returns the details of the route from one currency
// (payment system id, give side) to another (receive side).
//
// GET /private/exchange/routes/{from}/{to}/details. Scope: public-api:exchange:routes:read.
func (c *Client) RouteDetailsByPair(ctx context.Context, from, to int64, opts ...CallOption) (*RouteDetails, error) {
	cl := &call{op: "GET /private/exchange/routes/{from}/{to}/details", method: http.MethodGet, path: "/private/exchange/routes/" + idSeg(from) + "/" + idSeg(to) + "/details", scope: "public-api:exchange:routes:read"}
	return callInto[RouteDetails](ctx, c, cl, "details", opts)
}

// RouteDetailsByQuery returns a route's details selected by id or by a
// currency pair given as ids or letter codes.
//
// GET /private/exchange/routes/details. Scope: public-api:exchange:routes:read.
func (c *Client) RouteDetailsByQuery(ctx context.Context, q RouteQuery, opts ...CallOption) (*RouteDetails, error) {
	v := url.Values{}
	setInt(v, "route_id", q.RouteID)
	setInt(v, "direction_id", q.DirectionID)
	setInt(v, "from_currency_id", q.FromCurrencyID)
	setInt(v, "to_currency_id", q.ToCurrencyID)
	if q.From != "" {
		v.Set("from", q.From)
	}
	if q.To != "" {
		v.Set("to", q.To)
	}
	cl := &call{op: "GET /private/exchange/routes/details", method: http.MethodGet, path: "/private/exchange/routes/details", query: v, scope: "public-api:exchange:routes:read"}
	return callInto[RouteDetails](ctx, c, cl, "details", opts)
}

// RouteCapabilities returns a route's capability matrix by route id.
//
// GET /private/exchange/routes/{route}/capabilities. Scope: public-api:exchange:capabilities:read.
func (c *Client) RouteCapabilities(ctx context.Context, route int64, opts ...CallOption) (*RouteCapabilities, error) {
	cl := &call{op: "GET /private/exchange/routes/{route}/capabilities", method: http.MethodGet, path: "/private/exchange/routes/" + idSeg(route) + "/capabilities", scope: "public-api:exchange:capabilities:read"}
	return callInto[RouteCapabilities](ctx, c, cl, "capabilities", opts)
}

// RouteCapabilitiesByPair returns the capability matrix of the route from
// one currency (payment system id) to another.
//
// GET /private/exchange/routes/{from}/{to}/capabilities. Scope: public-api:exchange:capabilities:read.
func (c *Client) RouteCapabilitiesByPair(ctx context.Context, from, to int64, opts ...CallOption) (*RouteCapabilities, error) {
	cl := &call{op: "GET /private/exchange/routes/{from}/{to}/capabilities", method: http.MethodGet, path: "/private/exchange/routes/" + idSeg(from) + "/" + idSeg(to) + "/capabilities", scope: "public-api:exchange:capabilities:read"}
	return callInto[RouteCapabilities](ctx, c, cl, "capabilities", opts)
}

// idSeg writes a numeric id as a path segment.
func idSeg(id int64) string { return strconv.FormatInt(id, 10) }

// setInt sets name=n unless n is 0.
func setInt(v url.Values, name string, n int64) {
	if n != 0 {
		v.Set(name, strconv.FormatInt(n, 10))
	}
}
