package clienttest

import (
	"math/big"
	"time"
)

// exchangeInput is a quote, preflight or order request after aliases are
// resolved (spec 9: route_id/direction_id, amount/income_amount, ...).
type exchangeInput struct {
	route          Route
	from, to       PaymentSystem
	amount         string
	give           *big.Rat
	receive        string
	typeRate       string // "fixed" or "floating"
	incomeAccount  string
	outcomeAccount string
	email          string
	snapshotStale  bool
}

// parseExchange resolves the route and reads the common fields. Structural
// problems (no route, an amount that is not a decimal) are field errors.
func (s *Server) parseExchange(o object, fe fieldErrors, now time.Time) *exchangeInput {
	in := &exchangeInput{}
	var ok bool
	if n := routeForms(o); n > 1 {
		// openapi.yaml's oneOf: one route form per request, never a mix.
		fe.add("route_id", "Send the route one way only: route_id, direction_id, income_payment_system and "+
			"outcome_payment_system, from_currency_id and to_currency_id, or from and to.")
		return in
	}
	if id, has := o.int(fe, "route_id", "direction_id"); has {
		if in.route, ok = s.routeByID(id); !ok {
			fe.add("route_id", "The selected route is invalid.")
		}
	} else if from, has := o.int(fe, "income_payment_system", "from_currency_id"); has {
		to, _ := o.int(fe, "outcome_payment_system", "to_currency_id")
		if in.route, ok = s.routeByPair(from, to); !ok {
			fe.add("outcome_payment_system", "No active route between these payment systems.")
		}
	} else if fromCode, has := o.str(fe, "from", "from_code"); has {
		toCode, _ := o.str(fe, "to", "to_code")
		f, ok1 := s.paymentSystemByCode(fromCode)
		t, ok2 := s.paymentSystemByCode(toCode)
		if in.route, ok = s.routeByPair(f.ID, t.ID); !ok1 || !ok2 || !ok {
			fe.add("from", "No active route between these currency codes.")
		}
	} else if len(fe) == 0 {
		fe.add("route_id", "The route_id field is required (or direction_id, income_payment_system and outcome_payment_system, or from and to).")
	}
	in.from, _ = s.paymentSystem(in.route.From)
	in.to, _ = s.paymentSystem(in.route.To)

	if a, has := o.str(fe, "amount", "income_amount"); has {
		in.amount = a
		if in.give, ok = parseDecimal(a); !ok {
			fe.add("amount", "The amount must be a positive decimal string.")
		}
	} else {
		fe.add("amount", "The amount field is required.")
	}
	in.typeRate = "fixed"
	if o.has("type_rate") {
		v, _ := o.str(fe, "type_rate")
		switch v {
		case "0", "fixed":
			in.typeRate = "fixed"
		case "1", "floating":
			in.typeRate = "floating"
		default:
			fe.add("type_rate", "The type_rate must be 0, 1, fixed or floating.")
		}
		if in.route.ID != 0 {
			allowed := false
			for _, m := range rateModes(in.route) {
				allowed = allowed || m == in.typeRate
			}
			if !allowed {
				fe.add("type_rate", "This route does not offer a "+in.typeRate+" rate.")
			}
		}
	}
	in.incomeAccount, _ = o.str(fe, "income_account", "from_requisite")
	in.outcomeAccount, _ = o.str(fe, "outcome_account", "to_requisite")
	in.email, _ = o.str(fe, "email")
	if snap, has := o.sub(fe, "snapshot"); has && in.route.ID != 0 {
		hash, _ := snap.str(fe, "hash")
		exp, _ := snap.str(fe, "expires_at")
		t, err := time.Parse(time.RFC3339, exp)
		in.snapshotStale = hash != snapshotHash(in.route) || err != nil || now.After(t)
	}
	if in.give != nil && in.route.ID != 0 {
		rate, _ := parseDecimal(in.route.Rate)
		in.receive = formatDecimal(new(big.Rat).Mul(in.give, rate), in.to.Decimals)
	}
	return in
}

// routeForms counts the complete route forms of openapi.yaml's oneOf that
// o carries.
func routeForms(o object) int {
	n := 0
	for _, form := range [][]string{{"route_id"}, {"direction_id"}, {"income_payment_system", "outcome_payment_system"},
		{"from_currency_id", "to_currency_id"}, {"from", "to"}} {
		all := true
		for _, name := range form {
			all = all && o.has(name)
		}
		if all {
			n++
		}
	}
	return n
}

// limitProblems checks the amount against the route's limits.
func (in *exchangeInput) limitProblems() []map[string]any {
	var out []map[string]any
	if in.give == nil {
		return nil
	}
	if in.give.Sign() <= 0 {
		out = append(out, map[string]any{"field": "amount", "type": "min", "message": "The amount must be greater than zero."})
	}
	if lo, ok := parseDecimal(in.route.MinGive); ok && in.give.Cmp(lo) < 0 {
		out = append(out, map[string]any{"field": "amount", "type": "min",
			"message": "The amount must be at least " + in.route.MinGive + " " + in.from.Currency + "."})
	}
	if hi, ok := parseDecimal(in.route.MaxGive); ok && in.give.Cmp(hi) > 0 {
		out = append(out, map[string]any{"field": "amount", "type": "max",
			"message": "The amount may not be greater than " + in.route.MaxGive + " " + in.from.Currency + "."})
	}
	return out
}

// missingFields lists the route's required fields the request lacks.
func (in *exchangeInput) missingFields() []map[string]any {
	out := []map[string]any{}
	have := map[string]string{"income_account": in.incomeAccount, "outcome_account": in.outcomeAccount, "email": in.email}
	for _, f := range in.route.Fields {
		if have[f] == "" {
			out = append(out, map[string]any{"field": f, "type": "required", "message": "The " + f + " field is required."})
		}
	}
	return out
}

func (s *Server) quoteJSON(in *exchangeInput) map[string]any {
	display := "1 " + in.from.Currency + " = " + in.route.Rate + " " + in.to.Currency
	modes := map[string]any{}
	for _, m := range rateModes(in.route) {
		modes[m] = in.route.Rate
	}
	return map[string]any{
		"route":      s.routeJSON(in.route),
		"amounts":    map[string]any{"give": in.amount, "receive": in.receive},
		"components": []map[string]any{{"type": "rate", "value": in.route.Rate}},
		"rate": map[string]any{"display": display, "value": in.route.Rate, "source": "calculation",
			"selected": in.typeRate, "modes": modes},
		"base_rate": map[string]any{"display": display, "value": in.route.Rate, "source": "direction",
			"selected": in.typeRate, "modes": modes, "note": "No quote-level adjustments."},
		"adjustments": map[string]any{"city_id": nil, "selected_fee_type": nil, "selected_fees": []any{},
			"selector_fees": []any{}, "checkbox_fees": []any{}, "card_verification_required": in.route.CardRequired},
		"promo":        map[string]any{"applied": false, "base_receive_amount": in.receive},
		"task_payload": map[string]any{},
	}
}
