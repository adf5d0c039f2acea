package clienttest

import (
	"strings"
	"time"

	"github.com/iexkit/exchanger-go/internal/apispec"
)

// SiteName is the site_name of the fake's GET /ping answer.
const SiteName = "clienttest fake exchanger"

// hPing answers like the vendor's documented example (quick-start guide;
// the TypeScript client's ping type): message "OK", result status, site
// name and the server's time with a numeric UTC offset.
func (s *Server) hPing(rq *request) (reply, *apiError) {
	return reply{message: "OK", result: map[string]any{"status": "ok", "site_name": SiteName,
		"time": rq.now.UTC().Format("2006-01-02T15:04:05-07:00")}}, nil
}

func (s *Server) hPrivatePing(rq *request) (reply, *apiError) {
	return reply{message: "pong", result: map[string]any{"pong": true, "time": ts(rq.now),
		"token": map[string]any{"id": rq.key.ID, "name": rq.key.Name}}}, nil
}

func (s *Server) hOpenAPI(rq *request) (reply, *apiError) {
	return reply{raw: apispec.Document(), contentType: "application/yaml"}, nil
}

// contractRegistry is the fake's small registry of versioned contracts.
var contractRegistry = []struct{ key, title, desc string }{
	{"success-envelope", "Success envelope", "state=0 responses with result and meta."},
	{"error-envelope", "Error envelope", "state=1 responses with code, error and meta."},
	{"operation-contract", "Operation contract", "What a client needs to create an order on a route."},
	{"route-snapshot", "Route snapshot", "A route's rate and limits at quote time."},
	{"route-capabilities", "Route capabilities", "Amounts, fields, requirements and rate modes of a route."},
	{"client-health", "Client API health", "Token, quota, security and webhook diagnostics."},
	{"webhook-payload", "Webhook payload", "Signed event deliveries: {id,type,created_at,data}."},
}

func contractJSON(i int) map[string]any {
	c := contractRegistry[i]
	return map[string]any{"key": c.key, "version": c.key + "-v1", "title": c.title, "status": "current",
		"stability": "stable", "description": c.desc,
		"headers": []string{"X-Api-Version", "X-Api-Envelope-Version", "X-Api-Error-Version"},
		"schemas": []string{c.key + ".v1"}}
}

func (s *Server) hContracts(rq *request) (reply, *apiError) {
	var out []map[string]any
	for i := range contractRegistry {
		out = append(out, contractJSON(i))
	}
	return reply{result: map[string]any{"contracts": out}}, nil
}

func (s *Server) hContract(rq *request) (reply, *apiError) {
	want := rq.params["contract"]
	for i, c := range contractRegistry {
		if c.key == want || c.key+"-v1" == want {
			return reply{result: map[string]any{"contract": contractJSON(i)}}, nil
		}
	}
	return reply{}, notFound("Contract")
}

func schemaItem(i int) map[string]any {
	c := contractRegistry[i]
	return map[string]any{"key": c.key + ".v1", "title": c.title, "version": "v1", "contract": c.key,
		"content_type": "application/schema+json", "endpoint": BasePath + "/public/schemas/" + c.key + ".v1"}
}

func (s *Server) hSchemas(rq *request) (reply, *apiError) {
	var out []map[string]any
	for i := range contractRegistry {
		out = append(out, schemaItem(i))
	}
	return reply{result: map[string]any{"schemas": out}}, nil
}

func (s *Server) hSchema(rq *request) (reply, *apiError) {
	want := rq.params["schema"]
	for i, c := range contractRegistry {
		if c.key+".v1" == want || c.key == want {
			return reply{result: map[string]any{"schema": map[string]any{
				"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schemaItem(i)["endpoint"],
				"title": c.title, "description": c.desc, "type": "object"}}}, nil
		}
	}
	return reply{}, notFound("Schema")
}

// scopeRisk grades scopes the way the scope catalogue does: writes that move
// money are high, other writes medium, reads low.
func scopeRisk(scope string) string {
	switch {
	case strings.Contains(scope, "orders:create"), strings.Contains(scope, "orders:confirm"):
		return "high"
	case strings.HasSuffix(scope, ":write"), strings.HasSuffix(scope, ":cancel"),
		strings.HasSuffix(scope, ":retry"), strings.HasSuffix(scope, ":run"):
		return "medium"
	case strings.Contains(scope, "partner"):
		return "standard"
	}
	return "low"
}

func (s *Server) scopeJSON(scope string) map[string]any {
	short := strings.TrimPrefix(scope, scopePrefix)
	group, _, _ := strings.Cut(short, ":")
	var endpoints []string
	for _, o := range s.ops {
		if o.scope == scope {
			endpoints = append(endpoints, o.method+" "+BasePath+o.path)
		}
	}
	return map[string]any{"scope": scope, "group": group, "title": short,
		"description": "Grants " + strings.Join(endpoints, ", ") + ".", "risk": scopeRisk(scope),
		"grantable": true, "endpoints": endpoints}
}

func (s *Server) hScopes(rq *request) (reply, *apiError) {
	var out []map[string]any
	for _, sc := range allScopes() {
		out = append(out, s.scopeJSON(sc))
	}
	return reply{result: map[string]any{"scopes": out}}, nil
}

func (s *Server) tokenSummary(rq *request) map[string]any {
	k := rq.key
	var details []map[string]any
	for _, sc := range k.Scopes {
		details = append(details, s.scopeJSON(sc))
	}
	var expires any
	if !k.ExpiresAt.IsZero() {
		expires = ts(k.ExpiresAt)
	}
	return map[string]any{"id": k.ID, "name": k.Name, "scopes": k.Scopes, "scope_details": details,
		"security": map[string]any{"hmac_required": k.HMAC != HMACOff, "hmac_mode": k.HMAC.String(),
			"hmac_verified": rq.hmacVerified, "signature_algorithm": "hmac-sha256-v1"},
		"last_used_at": tsPtr(k.lastUsed), "expires_at": expires}
}

func (s *Server) hClient(rq *request) (reply, *apiError) {
	n := 0
	for _, o := range s.orders {
		if o.clientID == rq.key.ClientID {
			n++
		}
	}
	return reply{result: map[string]any{
		"id": rq.key.ClientID, "name": "Test client", "email": "client@example.test",
		"balance": map[string]any{"bonus": "0", "currency": "USD"}, "orders": map[string]any{"total": n},
		"api_token": s.tokenSummary(rq),
	}}, nil
}

func (s *Server) quotaPeriods(k *keyState, now time.Time) map[string]any {
	period := func(limit, used int, reset time.Time) map[string]any {
		var l, r any
		if limit > 0 {
			l, r = limit, max(limit-used, 0)
		}
		return map[string]any{"limit": l, "used": used, "remaining": r, "resets_at": ts(reset)}
	}
	return map[string]any{
		"day":   period(s.cfg.dailyQuota, k.quota.dayUsed, nextDay(now)),
		"month": period(s.cfg.monthlyQuota, k.quota.monthUsed, nextMonth(now)),
	}
}

func (s *Server) hUsage(rq *request) (reply, *apiError) {
	k := rq.key
	// "requests" includes this one, which the counters see once answered.
	return reply{result: map[string]any{
		"api_token": map[string]any{"id": k.ID, "name": k.Name, "status": "active", "plan": "test", "billable": false},
		"quota":     s.quotaPeriods(k, rq.now),
		"billing":   map[string]any{"currency": "USD", "unit_price": "0", "billable_units": 0, "estimated_amount": "0"},
		"usage": map[string]any{rq.now.Format("2006-01-02"): map[string]any{
			"requests": k.stats.Requests + 1, "errors": k.stats.Errors, "billable_units": 0, "total_duration_ms": 0}},
	}}, nil
}

func (s *Server) hHealth(rq *request) (reply, *apiError) {
	k := rq.key
	active := 0
	for _, ep := range s.endpoints {
		if ep.clientID == k.ClientID && ep.status == "active" {
			active++
		}
	}
	status := "ok"
	if !k.ExpiresAt.IsZero() && k.ExpiresAt.Sub(rq.now) < 7*24*time.Hour {
		status = "warning"
	}
	var expires any
	if !k.ExpiresAt.IsZero() {
		expires = ts(k.ExpiresAt)
	}
	return reply{result: map[string]any{"health": map[string]any{
		"version": "client-health-v1", "status": status,
		"client": map[string]any{"id": k.ClientID, "active": true, "api_access": true},
		"token": map[string]any{"id": k.ID, "name": k.Name, "scopes": k.Scopes, "expires_at": expires,
			"last_used_at": tsPtr(k.lastUsed)},
		"quota": s.quotaPeriods(k, rq.now),
		"security": map[string]any{"hmac_required": k.HMAC != HMACOff, "hmac_mode": k.HMAC.String(),
			"hmac_verified": rq.hmacVerified, "signature_algorithm": "hmac-sha256-v1",
			"signature_window_seconds": int(s.cfg.sigWindow / time.Second), "ip_allowlist": len(k.allowed) > 0},
		"webhooks":  map[string]any{"endpoints": active, "signing_algorithm": "hmac-sha256-v1"},
		"contracts": map[string]any{"envelope": "success-envelope-v1", "webhook_payload": "webhook-payload-v1"},
		"time":      ts(rq.now),
	}}}, nil
}
