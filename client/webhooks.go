package client

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
)

// WebhookEndpoint is a URL that receives webhook deliveries.
type WebhookEndpoint struct {
	ID                string   `json:"id"` // uuid
	Name              string   `json:"name"`
	URL               string   `json:"url"`
	Events            []string `json:"events"` // event types, "*" for all
	Status            string   `json:"status"` // active, paused, disabled
	SigningAlgorithm  string   `json:"signing_algorithm"`
	SecretFingerprint string   `json:"secret_fingerprint"`
	FailureCount      int      `json:"failure_count"`
	LastDeliveryAt    string   `json:"last_delivery_at"`
	LastSuccessAt     string   `json:"last_success_at"`
	LastFailureAt     string   `json:"last_failure_at"`
	CreatedAt         string   `json:"created_at"`
	UpdatedAt         string   `json:"updated_at"`

	// Secret is the signing secret, returned once by CreateWebhookEndpoint
	// and RotateWebhookSecret and empty otherwise. Store it at once (it
	// verifies deliveries); it prints as REDACTED.
	Secret WebhookSecret `json:"secret,omitempty"`
}

// WebhookSecret is a webhook signing secret. Printing it with any fmt verb
// or logging it with slog shows REDACTED; Reveal returns the value.
type WebhookSecret string

// Reveal returns the secret itself, for a secret store or webhook.NewVerifier.
func (s WebhookSecret) Reveal() string { return string(s) }

// String returns REDACTED, or "" for no secret.
func (s WebhookSecret) String() string {
	if s == "" {
		return ""
	}
	return "REDACTED"
}

// GoString returns REDACTED too, for %#v.
func (s WebhookSecret) GoString() string { return fmt.Sprintf("%q", s.String()) }

// Format prints REDACTED whatever the verb.
func (s WebhookSecret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, s.GoString())
		return
	}
	fmt.Fprint(f, s.String())
}

// LogValue keeps the secret out of slog output.
func (s WebhookSecret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// WebhookEndpoints is the endpoint list with the catalog of event types.
type WebhookEndpoints struct {
	Endpoints []WebhookEndpoint `json:"endpoints"`
	Events    []struct {
		Event string `json:"event"` // e.g. "order.status_changed"
		Title string `json:"title"`
	} `json:"events"`
	Limits map[string]any `json:"limits"` // free-form
}

// CreateWebhookEndpointParams is the body of CreateWebhookEndpoint
// (WebhookEndpointCreate): Name (up to 80 characters), URL (an absolute
// URL, up to 500) and at least one event type are required. A new endpoint
// is active; it has no status to set.
type CreateWebhookEndpointParams struct {
	Name   string   `json:"name"`
	URL    string   `json:"url"`
	Events []string `json:"events"` // event types, "*" for all
}

// WebhookEndpointParams is the former name of CreateWebhookEndpointParams.
//
// Deprecated: use CreateWebhookEndpointParams to create and
// UpdateWebhookEndpointParams to update; only an update has a status.
type WebhookEndpointParams = CreateWebhookEndpointParams

// UpdateWebhookEndpointParams is the body of UpdateWebhookEndpoint
// (WebhookEndpointUpdate): set only what changes.
type UpdateWebhookEndpointParams struct {
	Name   string   `json:"name,omitempty"`
	URL    string   `json:"url,omitempty"`
	Events []string `json:"events,omitempty"`
	Status string   `json:"status,omitempty"` // WebhookActive, WebhookPaused or WebhookDisabled
}

// The statuses of a webhook endpoint.
const (
	WebhookActive   = "active"
	WebhookPaused   = "paused"
	WebhookDisabled = "disabled"
)

// WebhookTestParams is the body of TestWebhook; all fields are optional.
type WebhookTestParams struct {
	EndpointID string         `json:"endpoint_id,omitempty"`
	EventType  string         `json:"event_type,omitempty"` // default "api.test"
	Payload    map[string]any `json:"payload,omitempty"`
}

// WebhookTestResult names the test event and its deliveries.
type WebhookTestResult struct {
	Event struct {
		ID            string `json:"id"`
		Type          string `json:"type"`
		Status        string `json:"status"`
		RequestID     string `json:"request_id"`
		CorrelationID string `json:"correlation_id"`
	} `json:"event"`
	Deliveries []struct {
		ID         string `json:"id"`
		Status     string `json:"status"`
		EndpointID string `json:"endpoint_id"`
	} `json:"deliveries"`
}

// WebhookEvent is an event the server emitted, with its deliveries.
type WebhookEvent struct {
	ID              string            `json:"id"`   // uuid
	Type            string            `json:"type"` // e.g. "order.created"
	Resource        map[string]any    `json:"resource"`
	Status          string            `json:"status"`
	RequestID       string            `json:"request_id"`
	CorrelationID   string            `json:"correlation_id"`
	IdempotencyKey  string            `json:"idempotency_key"`
	Payload         map[string]any    `json:"payload"` // free-form: the delivered body
	DeliveriesCount int               `json:"deliveries_count"`
	Deliveries      []WebhookDelivery `json:"deliveries"`
	CreatedAt       string            `json:"created_at"`
}

// WebhookDelivery is one attempt to deliver an event to an endpoint.
type WebhookDelivery struct {
	ID          string         `json:"id"`     // uuid
	Status      string         `json:"status"` // queued, sending, succeeded, failed (prose: pending, delivered, failed, retrying)
	Attempt     int            `json:"attempt"`
	Endpoint    map[string]any `json:"endpoint"` // free-form
	Event       map[string]any `json:"event"`    // free-form
	Request     map[string]any `json:"request"`  // free-form
	Response    map[string]any `json:"response"` // free-form
	Error       map[string]any `json:"error"`    // free-form
	NextRetryAt string         `json:"next_retry_at"`
	DeliveredAt string         `json:"delivered_at"`
}

// WebhookEndpoints lists the webhook endpoints and the event catalog.
//
// GET /private/webhooks. Scope: public-api:webhooks:read.
func (c *Client) WebhookEndpoints(ctx context.Context, opts ...CallOption) (*WebhookEndpoints, error) {
	return callInto[WebhookEndpoints](ctx, c, &call{op: "GET /private/webhooks", method: http.MethodGet, path: "/private/webhooks", scope: "public-api:webhooks:read"}, "", opts)
}

// CreateWebhookEndpoint creates an endpoint; the result carries its signing
// secret, shown this once.
//
// POST /private/webhooks. Scope: public-api:webhooks:write.
func (c *Client) CreateWebhookEndpoint(ctx context.Context, p CreateWebhookEndpointParams, opts ...CallOption) (*WebhookEndpoint, error) {
	cl := &call{op: "POST /private/webhooks", method: http.MethodPost, path: "/private/webhooks", body: p, scope: "public-api:webhooks:write", idempotent: true}
	return callInto[WebhookEndpoint](ctx, c, cl, "endpoint", opts)
}

// WebhookEndpoint returns one endpoint.
//
// GET /private/webhooks/{webhook}. Scope: public-api:webhooks:read.
func (c *Client) WebhookEndpoint(ctx context.Context, id string, opts ...CallOption) (*WebhookEndpoint, error) {
	cl := &call{op: "GET /private/webhooks/{webhook}", method: http.MethodGet, path: webhookPath(id), scope: "public-api:webhooks:read"}
	return callInto[WebhookEndpoint](ctx, c, cl, "endpoint", opts)
}

// UpdateWebhookEndpoint changes an endpoint's name, URL, events or status.
//
// PATCH /private/webhooks/{webhook}. Scope: public-api:webhooks:write.
func (c *Client) UpdateWebhookEndpoint(ctx context.Context, id string, p UpdateWebhookEndpointParams, opts ...CallOption) (*WebhookEndpoint, error) {
	cl := &call{op: "PATCH /private/webhooks/{webhook}", method: http.MethodPatch, path: webhookPath(id), body: p, scope: "public-api:webhooks:write", idempotent: true}
	return callInto[WebhookEndpoint](ctx, c, cl, "endpoint", opts)
}

// DeleteWebhookEndpoint deletes an endpoint.
//
// DELETE /private/webhooks/{webhook}. Scope: public-api:webhooks:write.
func (c *Client) DeleteWebhookEndpoint(ctx context.Context, id string, opts ...CallOption) error {
	cl := &call{op: "DELETE /private/webhooks/{webhook}", method: http.MethodDelete, path: webhookPath(id), scope: "public-api:webhooks:write", idempotent: true}
	_, err := c.do(ctx, cl, nil, opts)
	return err
}

// RotateWebhookSecret gives an endpoint a new signing secret, returned this
// once. Keep accepting the old one for a while (webhook.WithSecrets).
//
// POST /private/webhooks/{webhook}/rotate-secret. Scope: public-api:webhooks:write.
func (c *Client) RotateWebhookSecret(ctx context.Context, id string, opts ...CallOption) (*WebhookEndpoint, error) {
	cl := &call{op: "POST /private/webhooks/{webhook}/rotate-secret", method: http.MethodPost, path: webhookPath(id) + "/rotate-secret", scope: "public-api:webhooks:write", idempotent: true}
	return callInto[WebhookEndpoint](ctx, c, cl, "endpoint", opts)
}

// TestWebhook emits a test event (api.test unless p says otherwise) to one
// endpoint or to all.
//
// POST /private/webhooks/test. Scope: public-api:webhooks:write.
func (c *Client) TestWebhook(ctx context.Context, p WebhookTestParams, opts ...CallOption) (*WebhookTestResult, error) {
	cl := &call{op: "POST /private/webhooks/test", method: http.MethodPost, path: "/private/webhooks/test", body: p, scope: "public-api:webhooks:write", idempotent: true}
	return callInto[WebhookTestResult](ctx, c, cl, "test", opts)
}

// WebhookEvents walks the emitted webhook events.
//
// GET /private/webhooks/events. Scope: public-api:webhooks:deliveries:read.
func (c *Client) WebhookEvents(ctx context.Context, o WebhookEventListOptions, opts ...CallOption) iter.Seq2[WebhookEvent, error] {
	cl := call{op: "GET /private/webhooks/events", method: http.MethodGet, path: "/private/webhooks/events", query: o.values(), scope: "public-api:webhooks:deliveries:read"}
	return paginate[WebhookEvent](ctx, c, cl, o.PageOptions, "events", opts)
}

// WebhookEvent returns one event with its deliveries.
//
// GET /private/webhooks/events/{event}. Scope: public-api:webhooks:deliveries:read.
func (c *Client) WebhookEvent(ctx context.Context, id string, opts ...CallOption) (*WebhookEvent, error) {
	cl := &call{op: "GET /private/webhooks/events/{event}", method: http.MethodGet, path: "/private/webhooks/events/" + url.PathEscape(id), scope: "public-api:webhooks:deliveries:read"}
	return callInto[WebhookEvent](ctx, c, cl, "event", opts)
}

// WebhookDeliveries walks the delivery attempts.
//
// GET /private/webhooks/deliveries. Scope: public-api:webhooks:deliveries:read.
func (c *Client) WebhookDeliveries(ctx context.Context, o WebhookDeliveryListOptions, opts ...CallOption) iter.Seq2[WebhookDelivery, error] {
	cl := call{op: "GET /private/webhooks/deliveries", method: http.MethodGet, path: "/private/webhooks/deliveries", query: o.values(), scope: "public-api:webhooks:deliveries:read"}
	return paginate[WebhookDelivery](ctx, c, cl, o.PageOptions, "deliveries", opts)
}

// WebhookDelivery returns one delivery attempt.
//
// GET /private/webhooks/deliveries/{delivery}. Scope: public-api:webhooks:deliveries:read.
func (c *Client) WebhookDelivery(ctx context.Context, id string, opts ...CallOption) (*WebhookDelivery, error) {
	cl := &call{op: "GET /private/webhooks/deliveries/{delivery}", method: http.MethodGet, path: deliveryPath(id), scope: "public-api:webhooks:deliveries:read"}
	return callInto[WebhookDelivery](ctx, c, cl, "delivery", opts)
}

// RetryWebhookDelivery queues a delivery for another attempt.
//
// POST /private/webhooks/deliveries/{delivery}/retry. Scope: public-api:webhooks:deliveries:retry.
func (c *Client) RetryWebhookDelivery(ctx context.Context, id string, opts ...CallOption) (*WebhookDelivery, error) {
	cl := &call{op: "POST /private/webhooks/deliveries/{delivery}/retry", method: http.MethodPost, path: deliveryPath(id) + "/retry", scope: "public-api:webhooks:deliveries:retry", idempotent: true}
	return callInto[WebhookDelivery](ctx, c, cl, "delivery", opts)
}

func webhookPath(id string) string  { return "/private/webhooks/" + url.PathEscape(id) }
func deliveryPath(id string) string { return "/private/webhooks/deliveries/" + url.PathEscape(id) }
