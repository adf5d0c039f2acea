package clienttest

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// handlerFunc serves one operation. It runs with the server's lock held.
type handlerFunc func(s *Server, rq *request) (reply, *apiError)

// operation is one row of the API: its stable name, route, scope and rules.
type operation struct {
	method     string
	path       string // openapi.yaml path template, below /api/v3
	scope      string // required scope; "" for public and token-only operations
	public     bool   // no token needed
	idempotent bool   // takes an Idempotency-Key (openapi.yaml lists it)
	handle     handlerFunc
	segs       []string
}

func (o *operation) name() string { return o.method + " " + o.path }

const scopePrefix = "public-api:"

func fullScope(s string) string {
	if strings.HasPrefix(s, scopePrefix) {
		return s
	}
	return scopePrefix + s
}

// operationTable is the API, copied from openapi.yaml (a test proves that
// every operation and scope matches it). Literal routes come before routes
// with a parameter in the same place, because the first match wins.
func operationTable() []*operation {
	pub := func(m, p string, h handlerFunc) *operation {
		return &operation{method: m, path: p, public: true, handle: h}
	}
	get := func(p, sc string, h handlerFunc) *operation {
		return &operation{method: http.MethodGet, path: p, scope: sc, handle: h}
	}
	write := func(m, p, sc string, h handlerFunc) *operation {
		return &operation{method: m, path: p, scope: sc, idempotent: true, handle: h}
	}
	post := func(p, sc string, h handlerFunc) *operation { // a POST without side effects
		return &operation{method: http.MethodPost, path: p, scope: sc, handle: h}
	}
	const (
		GET    = http.MethodGet
		POST   = http.MethodPost
		PATCH  = http.MethodPatch
		DELETE = http.MethodDelete
	)
	ops := []*operation{
		pub(GET, "/ping", (*Server).hPing),
		pub(GET, "/openapi.yaml", (*Server).hOpenAPI),
		pub(GET, "/public/contracts", (*Server).hContracts),
		pub(GET, "/public/contracts/{contract}", (*Server).hContract),
		pub(GET, "/public/schemas", (*Server).hSchemas),
		pub(GET, "/public/schemas/{schema}", (*Server).hSchema),
		pub(GET, "/public/orders/statuses", (*Server).hStatuses),

		get("/private/ping", "", (*Server).hPrivatePing),
		get("/private/health/client", "client:health:read", (*Server).hHealth),
		get("/private/contracts", "contracts:read", (*Server).hContracts),
		get("/private/contracts/{contract}", "contracts:read", (*Server).hContract),
		get("/private/schemas", "schemas:read", (*Server).hSchemas),
		get("/private/schemas/{schema}", "schemas:read", (*Server).hSchema),
		get("/private/scopes", "scopes:read", (*Server).hScopes),
		get("/private/usage", "usage:read", (*Server).hUsage),
		get("/private/client", "client:read", (*Server).hClient),

		get("/private/webhooks", "webhooks:read", (*Server).hWebhookList),
		write(POST, "/private/webhooks", "webhooks:write", (*Server).hWebhookCreate),
		write(POST, "/private/webhooks/test", "webhooks:write", (*Server).hWebhookTest),
		get("/private/webhooks/events", "webhooks:deliveries:read", (*Server).hEventList),
		get("/private/webhooks/events/{event}", "webhooks:deliveries:read", (*Server).hEventShow),
		get("/private/webhooks/deliveries", "webhooks:deliveries:read", (*Server).hDeliveryList),
		get("/private/webhooks/deliveries/{delivery}", "webhooks:deliveries:read", (*Server).hDeliveryShow),
		write(POST, "/private/webhooks/deliveries/{delivery}/retry", "webhooks:deliveries:retry", (*Server).hDeliveryRetry),
		get("/private/webhooks/{webhook}", "webhooks:read", (*Server).hWebhookShow),
		write(PATCH, "/private/webhooks/{webhook}", "webhooks:write", (*Server).hWebhookUpdate),
		write(DELETE, "/private/webhooks/{webhook}", "webhooks:write", (*Server).hWebhookDelete),
		write(POST, "/private/webhooks/{webhook}/rotate-secret", "webhooks:write", (*Server).hWebhookRotate),

		get("/private/exchange/payment-systems", "exchange:routes:read", (*Server).hPaymentSystems),
		get("/private/exchange/routes", "exchange:routes:read", (*Server).hRoutes),
		get("/private/exchange/routes/details", "exchange:routes:read", (*Server).hRouteDetailsByQuery),
		get("/private/exchange/routes/{route}", "exchange:routes:read", (*Server).hRoute),
		get("/private/exchange/routes/{route}/details", "exchange:routes:read", (*Server).hRouteDetails),
		get("/private/exchange/routes/{route}/capabilities", "exchange:capabilities:read", (*Server).hRouteCapabilities),
		get("/private/exchange/routes/{from}/{to}/details", "exchange:routes:read", (*Server).hPairDetails),
		get("/private/exchange/routes/{from}/{to}/capabilities", "exchange:capabilities:read", (*Server).hPairCapabilities),
		post("/private/exchange/quotes", "exchange:quotes:read", (*Server).hQuote),
		post("/private/exchange/orders/preflight", "exchange:preflight:read", (*Server).hPreflight),
		write(POST, "/private/exchange/orders", "exchange:orders:create", (*Server).hOrderCreate),
		get("/private/exchange/orders/{order}", "orders:read", (*Server).hOrderShow),
		write(DELETE, "/private/exchange/orders/{order}", "exchange:orders:cancel", (*Server).hOrderCancel),
		get("/private/exchange/orders/{order}/status", "orders:read", (*Server).hOrderStatus),
		get("/private/exchange/orders/{order}/actions", "exchange:orders:actions:read", (*Server).hOrderActions),
		write(POST, "/private/exchange/orders/{order}/confirm", "exchange:orders:confirm", (*Server).hOrderConfirm),
		write(POST, "/private/exchange/orders/{order}/cancel", "exchange:orders:cancel", (*Server).hOrderCancel),
		get("/private/exchange/orders/{order}/verifications", "verifications:read", (*Server).hOrderVerifications),
		write(POST, "/private/exchange/orders/{order}/verifications/submit", "verifications:write", (*Server).hOrderVerificationSubmit),

		write(POST, "/private/files/upload-intents", "files:write", (*Server).hIntentCreate),
		get("/private/files/upload-intents/{intent}", "files:read", (*Server).hIntentShow),
		write(POST, "/private/files/upload-intents/{intent}/commit", "files:write", (*Server).hIntentCommit),

		get("/private/verifications/requirements", "verifications:read", (*Server).hRequirements),
		write(POST, "/private/verifications/identity", "verifications:write", (*Server).hIdentityCreate),
		get("/private/verifications/identity/{verification}", "verifications:read", (*Server).hIdentityShow),
		get("/private/verifications/identity/{verification}/actions", "verifications:read", (*Server).hIdentityActions),
		write(POST, "/private/verifications/cards", "verifications:write", (*Server).hCardCreate),
		get("/private/verifications/cards/{verification}", "verifications:read", (*Server).hCardShow),
		get("/private/verifications/cards/{verification}/actions", "verifications:read", (*Server).hCardActions),

		write(POST, "/private/sandbox/exchange/orders/simulate", "sandbox:run", (*Server).hSandboxSimulate),

		get("/private/reviews", "reviews:read", (*Server).hReviewList),
		write(POST, "/private/reviews", "reviews:write", (*Server).hReviewCreate),

		get("/private/orders/statuses", "orders:read", (*Server).hStatuses),
		get("/private/orders", "orders:read", (*Server).hOrderList),
		get("/private/orders/{order}", "orders:read", (*Server).hOrderShow),

		get("/private/partner", "partner:read", (*Server).hPartner),
		get("/private/partner/statistics", "partner:statistics:read", (*Server).hPartnerStatistics),
		get("/private/partner/referrals", "partner:referrals:read", (*Server).hPartnerReferrals),
		get("/private/partner/exchanges", "partner:exchanges:read", (*Server).hPartnerExchanges),
		get("/private/partner/payouts", "partner:payouts:read", (*Server).hPartnerPayouts),
	}
	for _, o := range ops {
		if o.scope != "" {
			o.scope = fullScope(o.scope)
		}
		o.segs = strings.Split(strings.TrimPrefix(o.path, "/"), "/")
	}
	return ops
}

// Operations returns the names of the 68 operations, sorted: method, one
// space, openapi.yaml path template ("POST /private/exchange/orders").
func Operations() []string {
	var out []string
	for _, o := range operationTable() {
		out = append(out, o.name())
	}
	sort.Strings(out)
	return out
}

// allScopes lists every scope some operation requires, sorted.
func allScopes() []string {
	seen := map[string]bool{}
	var out []string
	for _, o := range operationTable() {
		if o.scope != "" && !seen[o.scope] {
			seen[o.scope] = true
			out = append(out, o.scope)
		}
	}
	sort.Strings(out)
	return out
}

// route finds the operation for a method and a path below /api/v3 (escaped
// form) and returns its unescaped path parameters. pathMatched reports that
// some operation has this path with another method (405, not 404).
func route(ops []*operation, method, escapedPath string) (op *operation, params map[string]string, pathMatched bool) {
	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	for _, o := range ops {
		p, ok := matchSegs(o.segs, segs)
		if !ok {
			continue
		}
		if o.method != method {
			pathMatched = true
			continue
		}
		return o, p, true
	}
	return nil, nil, pathMatched
}

func matchSegs(pattern, segs []string) (map[string]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var params map[string]string
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") {
			v, err := url.PathUnescape(segs[i])
			if err != nil || v == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[strings.Trim(p, "{}")] = v
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}
