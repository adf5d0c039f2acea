package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
)

// ErrRotationCheckFailed reports new credentials that failed the rotation
// check; the client keeps using the old ones.
var ErrRotationCheckFailed = errors.New("client: rotation check failed, credentials not switched")

// RotateOptions tunes the rotation check of RotateCredentials.
type RotateOptions struct {
	// RequireScopes lists scopes the new key must have (for example the
	// ones the application uses); short and "public-api:" forms both work.
	RequireScopes []string
	// SimulateOrder, when not nil, is the JSON body of a sandbox order
	// simulation (POST /private/sandbox/exchange/orders/simulate, scope
	// public-api:sandbox:run) run with the new key, the vendor's "check a
	// test order" step. It creates nothing.
	SimulateOrder any
	// AllowWarning accepts a health status of "warning"; "blocked" always
	// fails.
	AllowWarning bool
}

// RotateCredentials switches the client to next after the vendor's rotation
// check passes with next: the health check (GET /private/health/client)
// answers, the key is not blocked, holds RequireScopes and, if it requires
// HMAC, next has a secret; then the optional sandbox simulation. Calls in
// flight meanwhile keep the old key; the swap is atomic. On failure the
// error matches ErrRotationCheckFailed and the cause, and nothing changes.
// Disable the old key only after this returned nil.
//
// callOpts apply to the check's calls (the health check, the simulation):
// WithCorrelationID to trace them, WithResponse for the metadata of the
// last one, WithIdempotencyKey for the simulation. They always run with
// next, whatever the options.
func (c *Client) RotateCredentials(ctx context.Context, next Credentials, opts RotateOptions, callOpts ...CallOption) (*Health, error) {
	if next.Token == "" {
		return nil, fmt.Errorf("%w: the new credentials have no token", ErrRotationCheckFailed)
	}
	if err := checkCredentials(next); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRotationCheckFailed, err)
	}
	// The new credentials come last, so no option can send the check with
	// the old key.
	checkOpts := append(slices.Clip(callOpts), withCredentials(next))
	h, err := c.health(ctx, checkOpts)
	if err != nil {
		return nil, fmt.Errorf("%w: health check with the new key: %w", ErrRotationCheckFailed, err)
	}
	switch h.Status {
	case "blocked":
		return h, fmt.Errorf("%w: the new key's health status is blocked", ErrRotationCheckFailed)
	case "warning":
		if !opts.AllowWarning {
			return h, fmt.Errorf("%w: the new key's health status is warning (RotateOptions.AllowWarning accepts it)", ErrRotationCheckFailed)
		}
	}
	if h.Key != nil {
		for _, s := range opts.RequireScopes {
			if !h.Key.HasScope(s) {
				return h, fmt.Errorf("%w: the new key lacks scope %s", ErrRotationCheckFailed, s)
			}
		}
		if h.Key.HMACRequired && next.HMACSecret == "" {
			return h, fmt.Errorf("%w: the new key requires HMAC but no secret was given", ErrRotationCheckFailed)
		}
	} else if len(opts.RequireScopes) > 0 {
		return h, fmt.Errorf("%w: the health check did not report the key's scopes", ErrRotationCheckFailed)
	}
	if opts.SimulateOrder != nil {
		cl := &call{op: "POST /private/sandbox/exchange/orders/simulate", method: http.MethodPost, path: "/private/sandbox/exchange/orders/simulate",
			body: opts.SimulateOrder, scope: "public-api:sandbox:run", idempotent: true}
		if _, err := c.do(ctx, cl, nil, checkOpts); err != nil {
			return h, fmt.Errorf("%w: sandbox simulation with the new key: %w", ErrRotationCheckFailed, err)
		}
	}
	_ = c.SetCredentials(next) // next passed checkCredentials above
	if h.Key != nil {
		c.keyInfo.Store(h.Key)
		c.warnExpiry(ctx, h.Key)
	}
	name := ""
	if h.Key != nil {
		name = h.Key.Name
	}
	c.logger.LogAttrs(ctx, slog.LevelInfo, "client: credentials rotated", slog.String("key", truncate(c.scrubText(name), 128)))
	return h, nil
}
