package client

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Pong is the answer of GET /ping.
type Pong struct {
	Message    string          // the envelope's message, e.g. "OK"
	ServerTime time.Time       // meta.timestamp, zero if absent
	RequestID  string          // meta.request_id
	Result     json.RawMessage // the result as sent (free-form in openapi.yaml)
	// Status and SiteName are result.status ("ok") and result.site_name,
	// as the vendor's guides show them; empty when the result lacks them.
	Status   string
	SiteName string
}

// Ping checks that the API is reachable. GET /ping; public: no token is
// sent.
func (c *Client) Ping(ctx context.Context, opts ...CallOption) (*Pong, error) {
	var res json.RawMessage
	var r Response
	_, err := c.do(ctx, &call{op: "GET /ping", method: http.MethodGet, path: "/ping", public: true}, &res, append(opts, WithResponse(&r)))
	if err != nil {
		return nil, err
	}
	p := &Pong{Message: r.Message, Result: res, RequestID: r.RequestID}
	if t, err := time.Parse(time.RFC3339Nano, r.Meta.Timestamp); err == nil {
		p.ServerTime = t
	}
	var known struct {
		Status   any `json:"status"`
		SiteName any `json:"site_name"`
	}
	if json.Unmarshal(res, &known) == nil { // free-form: anything else is left in Result
		p.Status, _ = known.Status.(string)
		p.SiteName, _ = known.SiteName.(string)
	}
	return p, nil
}

// Health is the client's API diagnostics (GET /private/health/client,
// ClientApiHealth in openapi.yaml).
type Health struct {
	Version string   `json:"version"` // e.g. "client-health-v1"
	Status  string   `json:"status"`  // ok, warning, blocked
	Key     *KeyInfo `json:"token"`   // the key that made the call; nil if the server did not say
	// The remaining sections are free-form in openapi.yaml.
	Client    map[string]any `json:"client"`
	Security  map[string]any `json:"security"`
	Quota     map[string]any `json:"quota"`
	Webhooks  map[string]any `json:"webhooks"`
	Contracts map[string]any `json:"contracts"`
	Time      time.Time      `json:"-"` // the server's time; zero if absent or unreadable
}

// UnmarshalJSON reads the health object; an unreadable time is left zero
// rather than failing the whole check.
func (h *Health) UnmarshalJSON(b []byte) error {
	type plain Health
	var raw struct {
		plain
		Time string `json:"time"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*h = Health(raw.plain)
	h.Time, _ = time.Parse(time.RFC3339Nano, raw.Time)
	// openapi.yaml's ClientApiHealth reports hmac_required in its own
	// "security" section, beside the token object rather than inside it.
	if req, ok := h.Security["hmac_required"].(bool); ok && h.Key != nil {
		h.Key.HMACRequired = req
	}
	return nil
}

// KeyInfo describes an API key as the server reports it. It holds no
// secret.
type KeyInfo struct {
	ID           int64
	Name         string
	Scopes       []string
	HMACRequired bool
	ExpiresAt    time.Time // zero: never expires
	LastUsedAt   time.Time // zero: unknown
}

// UnmarshalJSON reads the token object of the health check (ApiTokenSummary
// in openapi.yaml); hmac_required may sit in "security" or at the top.
func (k *KeyInfo) UnmarshalJSON(b []byte) error {
	var raw struct {
		ID           json.RawMessage `json:"id"`
		Name         string          `json:"name"`
		Scopes       []string        `json:"scopes"`
		HMACRequired *bool           `json:"hmac_required"`
		Security     *struct {
			HMACRequired bool `json:"hmac_required"`
		} `json:"security"`
		ExpiresAt  *string `json:"expires_at"`
		LastUsedAt *string `json:"last_used_at"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*k = KeyInfo{Name: raw.Name, Scopes: raw.Scopes}
	if id, err := strconv.ParseInt(strings.Trim(string(raw.ID), `"`), 10, 64); err == nil {
		k.ID = id
	}
	switch {
	case raw.Security != nil:
		k.HMACRequired = raw.Security.HMACRequired
	case raw.HMACRequired != nil:
		k.HMACRequired = *raw.HMACRequired
	}
	if raw.ExpiresAt != nil {
		k.ExpiresAt, _ = time.Parse(time.RFC3339Nano, *raw.ExpiresAt)
	}
	if raw.LastUsedAt != nil {
		k.LastUsedAt, _ = time.Parse(time.RFC3339Nano, *raw.LastUsedAt)
	}
	return nil
}

// HasScope reports whether the key has scope; the prose's short form
// ("exchange:orders:create") and openapi.yaml's ("public-api:...") match
// each other.
func (k *KeyInfo) HasScope(scope string) bool {
	norm := func(s string) string {
		const p = "public-api:"
		if len(s) > len(p) && s[:len(p)] == p {
			return s[len(p):]
		}
		return s
	}
	for _, s := range k.Scopes {
		if s == "*" || norm(s) == norm(scope) {
			return true
		}
	}
	return false
}

// ClientHealth runs the vendor's health check for the current key.
// GET /private/health/client; scope public-api:client:health:read. It
// records the key's info (KeyInfo) and logs a warning when the key expires
// within the WithKeyExpiryWarning window.
func (c *Client) ClientHealth(ctx context.Context, opts ...CallOption) (*Health, error) {
	h, err := c.health(ctx, opts)
	if err != nil {
		return nil, err
	}
	if h.Key != nil {
		c.keyInfo.Store(h.Key)
		c.warnExpiry(ctx, h.Key)
	}
	return h, nil
}

func (c *Client) health(ctx context.Context, opts []CallOption) (*Health, error) {
	var res struct {
		Health *Health `json:"health"`
	}
	cl := &call{op: "GET /private/health/client", method: http.MethodGet, path: "/private/health/client", scope: "public-api:client:health:read"}
	// openapi.yaml wraps it as {"health":{...}}; accept it bare too.
	dec := decodeWith(func(raw json.RawMessage) error {
		if err := json.Unmarshal(raw, &res); err != nil || res.Health == nil {
			res.Health = new(Health)
			return json.Unmarshal(raw, res.Health)
		}
		return nil
	})
	if _, err := c.do(ctx, cl, dec, opts); err != nil {
		return nil, err
	}
	if res.Health == nil {
		res.Health = new(Health)
	}
	return res.Health, nil
}

// warnExpiry logs when the key expires within the warning window.
func (c *Client) warnExpiry(ctx context.Context, k *KeyInfo) {
	if k.ExpiresAt.IsZero() || c.expiry <= 0 {
		return
	}
	left := k.ExpiresAt.Sub(c.clock.serverNow())
	if left > c.expiry {
		return
	}
	c.logger.LogAttrs(ctx, slog.LevelWarn, "client: API key expires soon; rotate it",
		slog.String("key", truncate(c.scrubText(k.Name), 128)), slog.Time("expires_at", k.ExpiresAt), slog.Duration("left", left.Round(time.Second)))
}

// KeyInfo returns the key info learned by the last ClientHealth or
// RotateCredentials; ok is false before one succeeded, or after the
// credentials were swapped.
func (c *Client) KeyInfo() (info KeyInfo, ok bool) {
	if k := c.keyInfo.Load(); k != nil {
		return *k, true
	}
	return KeyInfo{}, false
}
