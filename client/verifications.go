package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
)

// VerificationRequirements says which verifications a route or an order
// needs and where each stands.
type VerificationRequirements struct {
	RouteID  *int64         `json:"route_id"`
	Order    map[string]any `json:"order"` // free-form, may be null
	Identity struct {
		Required       bool               `json:"required"`
		Mode           string             `json:"mode"`
		Description    string             `json:"description"`
		Current        VerificationStatus `json:"current"`
		CreateEndpoint string             `json:"create_endpoint"`
	} `json:"identity"`
	Card struct {
		Required       bool               `json:"required"`
		Mode           *int               `json:"mode"`
		Description    string             `json:"description"`
		Settings       map[string]any     `json:"settings"` // free-form
		Current        VerificationStatus `json:"current"`
		CreateEndpoint string             `json:"create_endpoint"`
	} `json:"card"`
	Files map[string]any `json:"files"` // free-form
}

// VerificationStatus is where one verification stands. Key is
// not_submitted, pending, approved or rejected.
type VerificationStatus struct {
	ID              *int64 `json:"id"`
	Key             string `json:"key"`
	Label           string `json:"label"`
	IsFinalApproved bool   `json:"is_final_approved"`
	VerificationID  *int64 `json:"verification_id"`
}

// UnmarshalJSON accepts the status object or a bare status key.
func (s *VerificationStatus) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		*s = VerificationStatus{}
		return json.Unmarshal(b, &s.Key)
	}
	type plain VerificationStatus // without this method
	return json.Unmarshal(b, (*plain)(s))
}

// Verification is an identity or card verification. openapi.yaml leaves
// its shape open, so the typed fields are the common ones and Raw keeps the
// whole object.
type Verification struct {
	ID     int64              `json:"id"`
	Type   string             `json:"type"`
	Status VerificationStatus `json:"status"`
	Raw    json.RawMessage    `json:"-"` // the verification as the server sent it
}

// UnmarshalJSON decodes the common fields (an id may be a number or a
// numeric string) and keeps the whole object in Raw.
func (v *Verification) UnmarshalJSON(b []byte) error {
	var aux struct {
		ID     json.RawMessage    `json:"id"`
		Type   string             `json:"type"`
		Status VerificationStatus `json:"status"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	id, _ := flexInt(aux.ID)
	*v = Verification{ID: id, Type: aux.Type, Status: aux.Status, Raw: append(json.RawMessage(nil), b...)}
	return nil
}

// VerificationRequirementsQuery selects what VerificationRequirements
// reports on: an order, a route, or a pair of payment systems.
type VerificationRequirementsQuery struct {
	Order                string // id, public_id or tracking_id
	RouteID              int64
	IncomePaymentSystem  int64
	OutcomePaymentSystem int64
}

// IdentityVerificationParams is the body of CreateIdentityVerification:
// one or two committed upload intents (document photos).
type IdentityVerificationParams struct {
	FullName    string   `json:"full_name,omitempty"`
	FileIntents []string `json:"file_intents"` // upload intent uuids
}

// CardVerificationParams is the body of CreateCardVerification.
type CardVerificationParams struct {
	Order      string `json:"order,omitempty"`    // id, public_id or tracking_id
	OrderID    string `json:"order_id,omitempty"` // the order's numeric id, for servers that read order_id
	CurrencyID int64  `json:"currency_id,omitempty"`
	CardNumber string `json:"card_number"`
	Name       string `json:"name,omitempty"`
	FileIntent string `json:"file_intent"` // upload intent uuid
}

// OrderVerificationParams is the body of SubmitOrderVerification: an
// identity verification, a card verification, or both.
type OrderVerificationParams struct {
	Identity *IdentityVerificationParams `json:"identity,omitempty"`
	Card     *CardVerificationParams     `json:"card,omitempty"`
}

// VerificationRequirements reports the verifications a route, a pair of
// payment systems or an order needs.
//
// GET /private/verifications/requirements. Scope: public-api:verifications:read.
func (c *Client) VerificationRequirements(ctx context.Context, q VerificationRequirementsQuery, opts ...CallOption) (*VerificationRequirements, error) {
	v := url.Values{}
	if q.Order != "" {
		v.Set("order", q.Order)
	}
	setInt(v, "route_id", q.RouteID)
	setInt(v, "income_payment_system", q.IncomePaymentSystem)
	setInt(v, "outcome_payment_system", q.OutcomePaymentSystem)
	cl := &call{op: "GET /private/verifications/requirements", method: http.MethodGet, path: "/private/verifications/requirements", query: v, scope: "public-api:verifications:read"}
	return callInto[VerificationRequirements](ctx, c, cl, "requirements", opts)
}

// OrderVerificationRequirements reports the verifications an order needs.
//
// GET /private/exchange/orders/{order}/verifications. Scope: public-api:verifications:read.
func (c *Client) OrderVerificationRequirements(ctx context.Context, order string, opts ...CallOption) (*VerificationRequirements, error) {
	cl := &call{op: "GET /private/exchange/orders/{order}/verifications", method: http.MethodGet, path: orderPath(order) + "/verifications", scope: "public-api:verifications:read"}
	return callInto[VerificationRequirements](ctx, c, cl, "requirements", opts)
}

// SubmitOrderVerification submits identity and/or card verification data
// for an order; the result is free-form in openapi.yaml.
//
// POST /private/exchange/orders/{order}/verifications/submit. Scope: public-api:verifications:write.
func (c *Client) SubmitOrderVerification(ctx context.Context, order string, p OrderVerificationParams, opts ...CallOption) (json.RawMessage, error) {
	var out json.RawMessage
	cl := &call{op: "POST /private/exchange/orders/{order}/verifications/submit", method: http.MethodPost, path: orderPath(order) + "/verifications/submit", body: p, scope: "public-api:verifications:write", idempotent: true}
	_, err := c.do(ctx, cl, &out, opts)
	return out, err
}

// CreateIdentityVerification submits an identity verification referencing
// committed upload intents. VerifyIdentity does the uploads too.
//
// POST /private/verifications/identity. Scope: public-api:verifications:write.
func (c *Client) CreateIdentityVerification(ctx context.Context, p IdentityVerificationParams, opts ...CallOption) (*Verification, error) {
	cl := &call{op: "POST /private/verifications/identity", method: http.MethodPost, path: "/private/verifications/identity", body: p, scope: "public-api:verifications:write", idempotent: true}
	return callInto[Verification](ctx, c, cl, "verification", opts)
}

// IdentityVerification returns one identity verification.
//
// GET /private/verifications/identity/{verification}. Scope: public-api:verifications:read.
func (c *Client) IdentityVerification(ctx context.Context, id string, opts ...CallOption) (*Verification, error) {
	cl := &call{op: "GET /private/verifications/identity/{verification}", method: http.MethodGet, path: "/private/verifications/identity/" + url.PathEscape(id), scope: "public-api:verifications:read"}
	return callInto[Verification](ctx, c, cl, "verification", opts)
}

// IdentityVerificationActions returns what can be done with an identity
// verification now; the result is free-form in openapi.yaml.
//
// GET /private/verifications/identity/{verification}/actions. Scope: public-api:verifications:read.
func (c *Client) IdentityVerificationActions(ctx context.Context, id string, opts ...CallOption) (json.RawMessage, error) {
	var out json.RawMessage
	cl := &call{op: "GET /private/verifications/identity/{verification}/actions", method: http.MethodGet, path: "/private/verifications/identity/" + url.PathEscape(id) + "/actions", scope: "public-api:verifications:read"}
	_, err := c.do(ctx, cl, &out, opts)
	return out, err
}

// CreateCardVerification submits a card (account) verification
// referencing a committed upload intent. VerifyCard does the upload too.
//
// POST /private/verifications/cards. Scope: public-api:verifications:write.
func (c *Client) CreateCardVerification(ctx context.Context, p CardVerificationParams, opts ...CallOption) (*Verification, error) {
	cl := &call{op: "POST /private/verifications/cards", method: http.MethodPost, path: "/private/verifications/cards", body: p, scope: "public-api:verifications:write", idempotent: true}
	return callInto[Verification](ctx, c, cl, "verification", opts)
}

// CardVerification returns one card verification.
//
// GET /private/verifications/cards/{verification}. Scope: public-api:verifications:read.
func (c *Client) CardVerification(ctx context.Context, id string, opts ...CallOption) (*Verification, error) {
	cl := &call{op: "GET /private/verifications/cards/{verification}", method: http.MethodGet, path: "/private/verifications/cards/" + url.PathEscape(id), scope: "public-api:verifications:read"}
	return callInto[Verification](ctx, c, cl, "verification", opts)
}

// CardVerificationActions returns what can be done with a card
// verification now; the result is free-form in openapi.yaml.
//
// GET /private/verifications/cards/{verification}/actions. Scope: public-api:verifications:read.
func (c *Client) CardVerificationActions(ctx context.Context, id string, opts ...CallOption) (json.RawMessage, error) {
	var out json.RawMessage
	cl := &call{op: "GET /private/verifications/cards/{verification}/actions", method: http.MethodGet, path: "/private/verifications/cards/" + url.PathEscape(id) + "/actions", scope: "public-api:verifications:read"}
	_, err := c.do(ctx, cl, &out, opts)
	return out, err
}
