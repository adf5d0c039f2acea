package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
)

// ContractVersion is one entry of the contract version registry.
type ContractVersion struct {
	Key         string   `json:"key"`     // e.g. "operation-contract"
	Version     string   `json:"version"` // e.g. "operation-contract-v1"
	Title       string   `json:"title"`
	Status      string   `json:"status"`    // e.g. "current"
	Stability   string   `json:"stability"` // e.g. "stable"
	Description string   `json:"description"`
	Headers     []string `json:"headers"`
	Schemas     []string `json:"schemas"`
}

// SchemaRegistryItem is one entry of the JSON Schema registry.
type SchemaRegistryItem struct {
	Key         string `json:"key"` // e.g. "success-envelope.v1"
	Title       string `json:"title"`
	Version     string `json:"version"`
	Contract    string `json:"contract"`
	ContentType string `json:"content_type"`
	Endpoint    string `json:"endpoint"`
}

// Scope is one API scope of the scope catalog.
type Scope struct {
	Scope       string   `json:"scope"` // e.g. "public-api:client:read"
	Group       string   `json:"group"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Risk        string   `json:"risk"` // low, standard, medium, high
	Grantable   bool     `json:"grantable"`
	Endpoints   []string `json:"endpoints"`
}

// Usage is the token's usage, quota and billing summary.
type Usage struct {
	APIToken *UsageToken           `json:"api_token"`
	Quota    *UsageQuota           `json:"quota"`
	Billing  *UsageBilling         `json:"billing"`
	Usage    map[string]UsageCount `json:"usage"` // per period or endpoint, as the server groups it
}

// UsageToken names the token the usage belongs to.
type UsageToken struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Status   string `json:"status"`
	Plan     string `json:"plan"`
	Billable bool   `json:"billable"`
}

// UsageQuota is the daily and monthly quota.
type UsageQuota struct {
	Day   *UsagePeriod `json:"day"`
	Month *UsagePeriod `json:"month"`
}

// UsagePeriod is one quota window. A nil Limit or Remaining means unlimited.
type UsagePeriod struct {
	Limit     *int64 `json:"limit"`
	Used      int64  `json:"used"`
	Remaining *int64 `json:"remaining"`
	ResetsAt  string `json:"resets_at"` // RFC 3339
}

// UsageBilling is the billing estimate; money stays decimal.
type UsageBilling struct {
	Currency        string  `json:"currency"`
	UnitPrice       Decimal `json:"unit_price"`
	BillableUnits   int64   `json:"billable_units"`
	EstimatedAmount Decimal `json:"estimated_amount"`
}

// UsageCount is a request counter.
type UsageCount struct {
	Requests        int64 `json:"requests"`
	Errors          int64 `json:"errors"`
	BillableUnits   int64 `json:"billable_units"`
	TotalDurationMS int64 `json:"total_duration_ms"`
}

// ClientProfile is the API client (the account behind the token).
type ClientProfile struct {
	ID       int64           `json:"id"`
	Name     string          `json:"name"`
	Email    string          `json:"email"`
	Balance  json.RawMessage `json:"balance"` // free-form in openapi.yaml
	Orders   json.RawMessage `json:"orders"`  // free-form in openapi.yaml
	APIToken *TokenSummary   `json:"api_token"`
}

// TokenSummary describes the API token in use.
type TokenSummary struct {
	ID           int64    `json:"id"`
	Name         string   `json:"name"`
	Scopes       []string `json:"scopes"`
	ScopeDetails []Scope  `json:"scope_details"`
	Security     struct {
		HMACRequired       bool   `json:"hmac_required"`
		HMACVerified       bool   `json:"hmac_verified"`
		SignatureAlgorithm string `json:"signature_algorithm"`
	} `json:"security"`
	LastUsedAt string `json:"last_used_at"` // RFC 3339, "" when never
	ExpiresAt  string `json:"expires_at"`   // RFC 3339, "" when it never expires
}

// OpenAPIDocument returns the server's openapi.yaml, as YAML bytes.
//
// GET /openapi.yaml. Public: no token needed.
func (c *Client) OpenAPIDocument(ctx context.Context, opts ...CallOption) ([]byte, error) {
	var doc []byte
	_, err := c.do(ctx, &call{op: "GET /openapi.yaml", method: http.MethodGet, path: "/openapi.yaml", public: true, raw: "application/yaml"}, &doc, opts)
	return doc, err
}

// PingPrivate checks that the token is accepted: an authenticated ping,
// with no scope needed. Ping is its public twin.
//
// GET /private/ping. Token needed, no scope.
func (c *Client) PingPrivate(ctx context.Context, opts ...CallOption) error {
	_, err := c.do(ctx, &call{op: "GET /private/ping", method: http.MethodGet, path: "/private/ping"}, nil, opts)
	return err
}

// PublicContracts lists the contract versions.
//
// GET /public/contracts. Public: no token needed.
func (c *Client) PublicContracts(ctx context.Context, opts ...CallOption) ([]ContractVersion, error) {
	return c.contracts(ctx, &call{op: "GET /public/contracts", method: http.MethodGet, path: "/public/contracts", public: true}, opts)
}

// PublicContract returns one contract version by key, e.g.
// "operation-contract".
//
// GET /public/contracts/{contract}. Public: no token needed.
func (c *Client) PublicContract(ctx context.Context, key string, opts ...CallOption) (*ContractVersion, error) {
	return c.contract(ctx, &call{op: "GET /public/contracts/{contract}", method: http.MethodGet, path: "/public/contracts/" + url.PathEscape(key), public: true}, opts)
}

// PublicSchemas lists the JSON Schema registry.
//
// GET /public/schemas. Public: no token needed.
func (c *Client) PublicSchemas(ctx context.Context, opts ...CallOption) ([]SchemaRegistryItem, error) {
	return c.schemas(ctx, &call{op: "GET /public/schemas", method: http.MethodGet, path: "/public/schemas", public: true}, opts)
}

// PublicSchema returns one JSON Schema document by key, e.g.
// "success-envelope.v1"; it is free-form JSON.
//
// GET /public/schemas/{schema}. Public: no token needed.
func (c *Client) PublicSchema(ctx context.Context, key string, opts ...CallOption) (json.RawMessage, error) {
	return c.schema(ctx, &call{op: "GET /public/schemas/{schema}", method: http.MethodGet, path: "/public/schemas/" + url.PathEscape(key), public: true}, opts)
}

// Contracts lists the contract versions, authenticated.
//
// GET /private/contracts. Scope: public-api:contracts:read.
func (c *Client) Contracts(ctx context.Context, opts ...CallOption) ([]ContractVersion, error) {
	return c.contracts(ctx, &call{op: "GET /private/contracts", method: http.MethodGet, path: "/private/contracts", scope: "public-api:contracts:read"}, opts)
}

// Contract returns one contract version by key, authenticated.
//
// GET /private/contracts/{contract}. Scope: public-api:contracts:read.
func (c *Client) Contract(ctx context.Context, key string, opts ...CallOption) (*ContractVersion, error) {
	return c.contract(ctx, &call{op: "GET /private/contracts/{contract}", method: http.MethodGet, path: "/private/contracts/" + url.PathEscape(key), scope: "public-api:contracts:read"}, opts)
}

// Schemas lists the JSON Schema registry, authenticated.
//
// GET /private/schemas. Scope: public-api:schemas:read.
func (c *Client) Schemas(ctx context.Context, opts ...CallOption) ([]SchemaRegistryItem, error) {
	return c.schemas(ctx, &call{op: "GET /private/schemas", method: http.MethodGet, path: "/private/schemas", scope: "public-api:schemas:read"}, opts)
}

// Schema returns one JSON Schema document by key, authenticated.
//
// GET /private/schemas/{schema}. Scope: public-api:schemas:read.
func (c *Client) Schema(ctx context.Context, key string, opts ...CallOption) (json.RawMessage, error) {
	return c.schema(ctx, &call{op: "GET /private/schemas/{schema}", method: http.MethodGet, path: "/private/schemas/" + url.PathEscape(key), scope: "public-api:schemas:read"}, opts)
}

// Scopes lists the scopes an API key can be granted.
//
// GET /private/scopes. Scope: public-api:scopes:read.
func (c *Client) Scopes(ctx context.Context, opts ...CallOption) ([]Scope, error) {
	return callList[Scope](ctx, c, &call{op: "GET /private/scopes", method: http.MethodGet, path: "/private/scopes", scope: "public-api:scopes:read"}, "scopes", opts)
}

// Usage returns the token's usage, quota and billing summary.
//
// GET /private/usage. Scope: public-api:usage:read.
func (c *Client) Usage(ctx context.Context, opts ...CallOption) (*Usage, error) {
	return callInto[Usage](ctx, c, &call{op: "GET /private/usage", method: http.MethodGet, path: "/private/usage", scope: "public-api:usage:read"}, "", opts)
}

// ClientProfile returns the profile of the client that owns the token.
//
// GET /private/client. Scope: public-api:client:read.
func (c *Client) ClientProfile(ctx context.Context, opts ...CallOption) (*ClientProfile, error) {
	return callInto[ClientProfile](ctx, c, &call{op: "GET /private/client", method: http.MethodGet, path: "/private/client", scope: "public-api:client:read"}, "client", opts)
}

func (c *Client) contracts(ctx context.Context, cl *call, opts []CallOption) ([]ContractVersion, error) {
	return callList[ContractVersion](ctx, c, cl, "contracts", opts)
}

func (c *Client) contract(ctx context.Context, cl *call, opts []CallOption) (*ContractVersion, error) {
	return callInto[ContractVersion](ctx, c, cl, "contract", opts)
}

func (c *Client) schemas(ctx context.Context, cl *call, opts []CallOption) ([]SchemaRegistryItem, error) {
	return callList[SchemaRegistryItem](ctx, c, cl, "schemas", opts)
}

func (c *Client) schema(ctx context.Context, cl *call, opts []CallOption) (json.RawMessage, error) {
	var out struct {
		Schema json.RawMessage `json:"schema"`
	}
	if _, err := c.do(ctx, cl, &out, opts); err != nil {
		return nil, err
	}
	return out.Schema, nil
}
