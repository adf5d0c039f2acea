package clienttest

import (
	"net/http"
	"strconv"
)

func i64s(ids ...int64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out
}

func (s *Server) hPaymentSystems(rq *request) (reply, *apiError) {
	var items []listItem
	for _, p := range s.paymentSystems {
		var giveTo, receiveFrom []int64
		for _, r := range s.activeRoutes() {
			if r.From == p.ID {
				giveTo = append(giveTo, r.To)
			}
			if r.To == p.ID {
				receiveFrom = append(receiveFrom, r.From)
			}
		}
		side := []string{}
		if len(giveTo) > 0 {
			side = append(side, "give")
		}
		if len(receiveFrom) > 0 {
			side = append(side, "receive")
		}
		if len(side) == 2 {
			side = append(side, "both")
		}
		items = append(items, listItem{value: s.paymentSystemJSON(p), fields: map[string][]string{
			"id": i64s(p.ID), "payment_id": i64s(p.ID), "code_currency_id": i64s(p.ID), "side": side,
			// from_currency_id=X: the systems X can be exchanged into; to_currency_id=Y: those exchanged into Y.
			"from_currency_id": i64s(receiveFrom...), "to_currency_id": i64s(giveTo...),
			"currency_code": {p.Currency}, "letter_code": {p.LetterCode}, "short_code": {p.ShortCode},
			"network": {p.Network}, "sorting": i64s(p.ID),
		}})
	}
	out, page, e := list(rq, items, "id", "payment_id", "code_currency_id", "side", "from_currency_id",
		"to_currency_id", "currency_code", "letter_code", "short_code", "network")
	if e != nil {
		return reply{}, e
	}
	return reply{result: out, page: page}, nil
}

func (s *Server) hRoutes(rq *request) (reply, *apiError) {
	var items []listItem
	for _, r := range s.activeRoutes() {
		from, _ := s.paymentSystem(r.From)
		to, _ := s.paymentSystem(r.To)
		items = append(items, listItem{value: s.routeJSON(r), fields: map[string][]string{
			"id": i64s(r.ID), "from_currency_id": i64s(r.From), "to_currency_id": i64s(r.To),
			"from": {from.Currency, from.LetterCode}, "to": {to.Currency, to.LetterCode}, "sorting": i64s(r.ID),
		}})
	}
	out, page, e := list(rq, items, "id", "from_currency_id", "to_currency_id", "from", "to")
	if e != nil {
		return reply{}, e
	}
	return reply{result: out, page: page}, nil
}

func (s *Server) pathRoute(rq *request) (Route, *apiError) {
	id, e := pathInt(rq, "route", "Route")
	if e != nil {
		return Route{}, e
	}
	r, ok := s.routeByID(id)
	if !ok {
		return Route{}, notFound("Route")
	}
	return r, nil
}

func (s *Server) pairRoute(rq *request) (Route, *apiError) {
	from, e := pathInt(rq, "from", "Route")
	if e != nil {
		return Route{}, e
	}
	to, e := pathInt(rq, "to", "Route")
	if e != nil {
		return Route{}, e
	}
	r, ok := s.routeByPair(from, to)
	if !ok {
		return Route{}, notFound("Route")
	}
	return r, nil
}

func (s *Server) hRoute(rq *request) (reply, *apiError) {
	r, e := s.pathRoute(rq)
	if e != nil {
		return reply{}, e
	}
	return reply{result: s.routeJSON(r)}, nil
}

func (s *Server) hRouteDetails(rq *request) (reply, *apiError) {
	r, e := s.pathRoute(rq)
	if e != nil {
		return reply{}, e
	}
	return reply{result: s.routeDetailJSON(r, rq.now)}, nil
}

func (s *Server) hPairDetails(rq *request) (reply, *apiError) {
	r, e := s.pairRoute(rq)
	if e != nil {
		return reply{}, e
	}
	return reply{result: s.routeDetailJSON(r, rq.now)}, nil
}

// hRouteDetailsByQuery finds the route by route_id, direction_id, a pair of
// ids or a pair of codes, like the quote body does.
func (s *Server) hRouteDetailsByQuery(rq *request) (reply, *apiError) {
	var r Route
	var ok bool
	id, hasID, e := queryInt(rq, "route_id")
	if e != nil {
		return reply{}, e
	}
	if !hasID {
		if id, hasID, e = queryInt(rq, "direction_id"); e != nil {
			return reply{}, e
		}
	}
	from, hasFrom, e := queryInt(rq, "from_currency_id")
	if e != nil {
		return reply{}, e
	}
	to, hasTo, e := queryInt(rq, "to_currency_id")
	if e != nil {
		return reply{}, e
	}
	switch {
	case hasID:
		r, ok = s.routeByID(id)
	case hasFrom && hasTo:
		r, ok = s.routeByPair(from, to)
	case rq.query.Get("from") != "" && rq.query.Get("to") != "":
		f, ok1 := s.paymentSystemByCode(rq.query.Get("from"))
		t, ok2 := s.paymentSystemByCode(rq.query.Get("to"))
		r, ok = s.routeByPair(f.ID, t.ID)
		ok = ok && ok1 && ok2
	default:
		return reply{}, validation("route_id", "Give route_id, direction_id, from_currency_id and to_currency_id, or from and to.")
	}
	if !ok {
		return reply{}, notFound("Route")
	}
	return reply{result: s.routeDetailJSON(r, rq.now)}, nil
}

func (s *Server) hRouteCapabilities(rq *request) (reply, *apiError) {
	r, e := s.pathRoute(rq)
	if e != nil {
		return reply{}, e
	}
	return reply{result: map[string]any{"capabilities": s.capabilitiesJSON(r, rq.key.ClientID, rq.now)}}, nil
}

func (s *Server) hPairCapabilities(rq *request) (reply, *apiError) {
	r, e := s.pairRoute(rq)
	if e != nil {
		return reply{}, e
	}
	return reply{result: map[string]any{"capabilities": s.capabilitiesJSON(r, rq.key.ClientID, rq.now)}}, nil
}

// hQuote previews the calculation; amounts outside the route's limits are
// refused, since a quote for them means nothing.
func (s *Server) hQuote(rq *request) (reply, *apiError) {
	o, e := decodeObject(rq, true)
	if e != nil {
		return reply{}, e
	}
	fe := fieldErrors{}
	in := s.parseExchange(o, fe, rq.now)
	if e := fe.err(); e != nil {
		return reply{}, e
	}
	for _, p := range in.limitProblems() {
		fe.add("amount", p["message"].(string))
	}
	if e := fe.err(); e != nil {
		return reply{}, e
	}
	return reply{result: map[string]any{"quote": s.quoteJSON(in), "snapshot": s.snapshotJSON(in.route, rq.now)}}, nil
}

// preflight computes what hPreflight answers; the sandbox reuses it.
func (s *Server) preflight(rq *request, o object) (map[string]any, *exchangeInput, *apiError) {
	fe := fieldErrors{}
	in := s.parseExchange(o, fe, rq.now)
	if e := fe.err(); e != nil {
		return nil, nil, e
	}
	missing := append(in.missingFields(), in.limitProblems()...)
	if in.snapshotStale {
		missing = append(missing, map[string]any{"field": "snapshot", "type": "stale",
			"message": "The route changed or the snapshot expired; request a new quote."})
	}
	ok := len(missing) == 0
	return map[string]any{
		"allowed": ok, "can_create_order": ok, "missing_fields": missing,
		"quote":              s.quoteJSON(in),
		"operation_contract": s.operationContractJSON(in.route, rq.now),
		"requirements":       s.requirementsJSON(in.route, nil, rq.key.ClientID),
		"snapshot":           s.snapshotJSON(in.route, rq.now),
	}, in, nil
}

func (s *Server) hPreflight(rq *request) (reply, *apiError) {
	o, e := decodeObject(rq, true)
	if e != nil {
		return reply{}, e
	}
	p, in, e := s.preflight(rq, o)
	if e != nil {
		return reply{}, e
	}
	s.emit(rq, "order.preflight", "route", strconv.FormatInt(in.route.ID, 10), rq.key.ClientID,
		map[string]any{"route_id": in.route.ID, "can_create_order": p["can_create_order"]})
	return reply{result: map[string]any{"preflight": p}}, nil
}

func (s *Server) hSandboxSimulate(rq *request) (reply, *apiError) {
	o, e := decodeObject(rq, true)
	if e != nil {
		return reply{}, e
	}
	p, in, e := s.preflight(rq, o)
	if e != nil {
		return reply{}, e
	}
	sim := map[string]any{
		"simulated": true, "would_create_order": p["can_create_order"], "preflight": p,
		"order": map[string]any{"route_id": in.route.ID, "status": StatusCreated,
			"amounts": map[string]any{"give": in.amount, "receive": in.receive}},
	}
	s.emit(rq, "api.sandbox.simulated", "route", strconv.FormatInt(in.route.ID, 10), rq.key.ClientID,
		map[string]any{"route_id": in.route.ID, "would_create_order": p["can_create_order"]})
	return reply{status: http.StatusOK, result: map[string]any{"simulation": sim}}, nil
}
