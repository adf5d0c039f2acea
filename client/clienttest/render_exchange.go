package clienttest

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// JSON shapes of openapi.yaml's exchange schemas, built from the seed.

func currencySummary(p PaymentSystem) map[string]any {
	var network any
	if p.Network != "" {
		network = p.Network
	}
	return map[string]any{"id": p.ID, "payment": p.Name, "code": p.Currency, "designation": p.LetterCode,
		"small_code": p.ShortCode, "network": network, "network_out": network, "decimal": p.Decimals}
}

func rateModes(r Route) []string {
	if len(r.RateModes) == 0 {
		return []string{"fixed", "floating"}
	}
	return r.RateModes
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Server) routeJSON(r Route) map[string]any {
	from, _ := s.paymentSystem(r.From)
	to, _ := s.paymentSystem(r.To)
	modes := map[string]any{}
	for _, m := range rateModes(r) {
		modes[m] = true
	}
	rateType := "selectable"
	if len(rateModes(r)) == 1 {
		rateType = "fixed"
	}
	limits := map[string]any{"min_give": nullable(r.MinGive), "max_give": nullable(r.MaxGive),
		"min_receive": nil, "max_receive": nil}
	rate, _ := parseDecimal(r.Rate)
	if lo, ok := parseDecimal(r.MinGive); ok {
		limits["min_receive"] = formatDecimal(lo.Mul(lo, rate), to.Decimals)
	}
	if hi, ok := parseDecimal(r.MaxGive); ok {
		limits["max_receive"] = formatDecimal(hi.Mul(hi, rate), to.Decimals)
	}
	return map[string]any{
		"id": r.ID, "status": 1, "is_enabled": !r.Disabled, "name": r.Name,
		"from": currencySummary(from), "to": currencySummary(to),
		"limits": limits,
		"rate": map[string]any{"type": rateType, "course": r.Rate, "is_type_rate": len(rateModes(r)) > 1,
			"default_type_rate": 0, "modes": modes},
		"features":   map[string]any{"identity_required": r.IdentityRequired, "card_required": r.CardRequired},
		"sorting":    map[string]int64{"position": r.ID},
		"timestamps": map[string]any{},
	}
}

func (s *Server) paymentSystemJSON(p PaymentSystem) map[string]any {
	giveTo, receiveFrom := []map[string]int64{}, []map[string]int64{}
	for _, r := range s.activeRoutes() {
		if r.From == p.ID {
			giveTo = append(giveTo, map[string]int64{"route_id": r.ID, "currency_id": r.To})
		}
		if r.To == p.ID {
			receiveFrom = append(receiveFrom, map[string]int64{"route_id": r.ID, "currency_id": r.From})
		}
	}
	var network any
	if p.Network != "" {
		network = map[string]any{"code": p.Network}
	}
	b2i := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	return map[string]any{
		"id": p.ID, "type": "payment_system", "name": p.Name + " " + p.Currency,
		"payment":  map[string]any{"id": p.ID, "name": p.Name, "logo": nil, "logo_url": nil},
		"currency": map[string]any{"id": p.ID, "code": p.Currency, "sign": nil},
		"codes": map[string]any{"letter": p.LetterCode, "short": p.ShortCode, "network_in": nullable(p.Network),
			"network_out": nullable(p.Network)},
		"precision": map[string]any{"amount_decimal": p.Decimals},
		"capabilities": map[string]any{"can_give": len(giveTo) > 0, "can_receive": len(receiveFrom) > 0,
			"income_enabled": b2i(len(giveTo) > 0), "outcome_enabled": b2i(len(receiveFrom) > 0)},
		"routes":  map[string]any{"give_to": giveTo, "receive_from": receiveFrom},
		"form":    map[string]any{},
		"notices": map[string]any{},
		"network": network,
		"filters": map[string]any{"ids": []int64{p.ID}},
		"sorting": map[string]int64{"position": p.ID},
	}
}

// snapshotHash fingerprints what a quote depends on: a changed rate or limit
// makes an old snapshot stale.
func snapshotHash(r Route) string {
	sum := sha256.Sum256([]byte(r.Rate + "|" + r.MinGive + "|" + r.MaxGive + "|" + strconv.FormatInt(r.ID, 10)))
	return hex.EncodeToString(sum[:16])
}

const snapshotTTL = 5 * time.Minute

func (s *Server) snapshotJSON(r Route, now time.Time) map[string]any {
	return map[string]any{
		"version": "route-snapshot-v1", "route_id": r.ID, "hash": snapshotHash(r),
		"generated_at": ts(now), "expires_at": ts(now.Add(snapshotTTL)),
		"fingerprint": map[string]any{"rate": r.Rate, "min_give": r.MinGive, "max_give": r.MaxGive},
	}
}

func routeEndpoints() map[string]string {
	return map[string]string{
		"quote":     BasePath + "/private/exchange/quotes",
		"preflight": BasePath + "/private/exchange/orders/preflight",
		"order":     BasePath + "/private/exchange/orders",
	}
}

func (s *Server) operationJSON(r Route) map[string]any {
	return map[string]any{"route_id": r.ID, "income_payment_system": r.From, "outcome_payment_system": r.To,
		"fields": s.fieldsJSON(r), "rate_modes": rateModes(r)}
}

func (s *Server) operationContractJSON(r Route, now time.Time) map[string]any {
	return map[string]any{
		"version": "operation-contract-v1", "route": s.routeJSON(r), "operation": s.operationJSON(r),
		"snapshot": s.snapshotJSON(r, now),
		"contract": map[string]any{"amount_side": "give", "endpoints": routeEndpoints()},
	}
}

func (s *Server) routeDetailJSON(r Route, now time.Time) map[string]any {
	e := routeEndpoints()
	return map[string]any{
		"route": s.routeJSON(r), "operation": s.operationJSON(r), "snapshot": s.snapshotJSON(r, now),
		"operation_contract": s.operationContractJSON(r, now),
		"contract": map[string]any{"quote_endpoint": e["quote"], "preflight_endpoint": e["preflight"],
			"order_endpoint": e["order"], "amount_side": "give",
			"currency_fields": []string{"income_payment_system", "outcome_payment_system"}},
	}
}

var fieldLabels = map[string]string{
	"income_account":  "Account or wallet you pay from",
	"outcome_account": "Account or wallet you receive to",
	"email":           "E-mail",
}

func (s *Server) fieldsJSON(r Route) []map[string]any {
	out := []map[string]any{}
	for _, f := range []string{"income_account", "outcome_account", "email"} {
		req := false
		for _, g := range r.Fields {
			req = req || g == f
		}
		out = append(out, map[string]any{"key": f, "type": "string", "required": req, "label": fieldLabels[f]})
	}
	return out
}

func (s *Server) capabilitiesJSON(r Route, clientID int64, now time.Time) map[string]any {
	from, _ := s.paymentSystem(r.From)
	to, _ := s.paymentSystem(r.To)
	return map[string]any{
		"version": "route-capabilities-v1", "route_id": r.ID, "available": !r.Disabled,
		"status":     map[string]any{"available": !r.Disabled, "reason": nil},
		"actions":    map[string]any{"quote": true, "preflight": true, "create_order": true},
		"amounts":    map[string]any{"min": nullable(r.MinGive), "max": nullable(r.MaxGive), "currency": from.Currency, "decimals": from.Decimals, "receive_decimals": to.Decimals},
		"rate":       map[string]any{"course": r.Rate, "modes": rateModes(r), "default": rateModes(r)[0]},
		"rate_modes": rateModes(r),
		"fields":     s.fieldsJSON(r), "dynamic_fields": map[string]any{},
		"requirements": s.requirementsJSON(r, nil, clientID),
		"files":        map[string]any{"upload_intents_endpoint": BasePath + "/private/files/upload-intents"},
		"endpoints":    routeEndpoints(),
		"snapshot":     s.snapshotJSON(r, now), "operation_contract": s.operationContractJSON(r, now),
	}
}
