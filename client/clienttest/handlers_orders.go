package clienttest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

func (s *Server) hOrderCreate(rq *request) (reply, *apiError) {
	o, e := decodeObject(rq, true)
	if e != nil {
		return reply{}, e
	}
	fe := fieldErrors{}
	in := s.parseExchange(o, fe, rq.now)
	if e := fe.err(); e != nil {
		return reply{}, e
	}
	for _, p := range append(in.missingFields(), in.limitProblems()...) {
		fe.add(p["field"].(string), p["message"].(string))
	}
	if in.email != "" && (!strings.Contains(in.email, "@") || len(in.email) > 191) {
		fe.add("email", "The email must be a valid email address.")
	}
	if in.snapshotStale {
		fe.add("snapshot", "The route changed or the snapshot expired; request a new quote.")
	}
	if e := fe.err(); e != nil {
		return reply{}, e
	}
	email := in.email
	if email == "" {
		email = fmt.Sprintf("client%d@example.test", rq.key.ClientID)
	}
	s.nextOrderID++
	id := s.nextOrderID
	ord := &order{
		id: id, publicID: fmt.Sprintf("ORD-%08d", id), trackingID: fmt.Sprintf("TRK%d%04d", id, len(s.orders)%10000),
		clientID: rq.key.ClientID, keyID: rq.key.ID, route: in.route, from: in.from, to: in.to,
		give: in.amount, receive: in.receive, typeRate: in.typeRate, email: email,
		incomeAccount: in.incomeAccount, outcomeAccount: in.outcomeAccount, status: StatusCreated,
		idemKey: rq.idemKey, correlationID: rq.correlationID, createdAt: rq.now, updatedAt: rq.now,
	}
	s.orders = append(s.orders, ord)
	s.emit(rq, "order.created", "order", strconv.FormatInt(id, 10), ord.clientID, s.orderEventData(ord))
	s.scheduleNext(ord)
	return reply{status: http.StatusCreated, result: map[string]any{"order": s.orderJSON(ord)}}, nil
}

// ownOrder finds the {order} of the path among the key's client's orders:
// another client's order is a 404, like one that does not exist.
func (s *Server) ownOrder(rq *request) (*order, *apiError) {
	o := s.findOrder(rq.params["order"], rq.key.ClientID)
	if o == nil {
		return nil, notFound("Order")
	}
	return o, nil
}

func (s *Server) hOrderShow(rq *request) (reply, *apiError) {
	o, e := s.ownOrder(rq)
	if e != nil {
		return reply{}, e
	}
	return reply{result: s.orderJSON(o)}, nil
}

// hOrderStatus is the compact form: the status as a string (spec 9).
func (s *Server) hOrderStatus(rq *request) (reply, *apiError) {
	o, e := s.ownOrder(rq)
	if e != nil {
		return reply{}, e
	}
	st, _ := lookupStatus(o.status)
	return reply{result: map[string]any{"order": map[string]any{
		"id": o.id, "public_id": o.publicID, "tracking_id": o.trackingID, "status": o.status,
		"status_label": st.name, "is_final": st.final, "updated_at": ts(o.updatedAt),
	}}}, nil
}

func (s *Server) allowedActions(o *order) map[string]any {
	st, _ := lookupStatus(o.status)
	return map[string]any{
		"confirm_payment":     o.status == StatusCreated,
		"cancel":              !st.final,
		"upload_file":         !st.final,
		"submit_verification": !st.final && (o.route.IdentityRequired || o.route.CardRequired),
	}
}

func (s *Server) hOrderActions(rq *request) (reply, *apiError) {
	o, e := s.ownOrder(rq)
	if e != nil {
		return reply{}, e
	}
	st, _ := lookupStatus(o.status)
	var transitions []map[string]any
	next := map[string][]string{
		StatusCreated:    {StatusPaid, StatusProcessing, StatusCancelled, StatusExpired},
		StatusPaid:       {StatusProcessing, StatusCancelled, StatusError},
		StatusProcessing: {StatusCompleted, StatusError},
		StatusError:      {StatusProcessing, StatusCancelled},
	}
	for _, k := range next[o.status] {
		t, _ := lookupStatus(k)
		transitions = append(transitions, map[string]any{"id": t.id, "key": t.key})
	}
	if transitions == nil {
		transitions = []map[string]any{}
	}
	return reply{result: map[string]any{"actions": map[string]any{
		"status": st.json(), "allowed_actions": s.allowedActions(o), "transitions": transitions,
		"requirements": s.requirementsJSON(o.route, o, o.clientID),
	}}}, nil
}

// hOrderConfirm: type=paid moves a created order to paid; type=unpaid says
// the customer will not pay, which cancels it. Other states refuse both.
func (s *Server) hOrderConfirm(rq *request) (reply, *apiError) {
	body, e := decodeObject(rq, true)
	if e != nil {
		return reply{}, e
	}
	o, e := s.ownOrder(rq)
	if e != nil {
		return reply{}, e
	}
	fe := fieldErrors{}
	typ, has := body.str(fe, "type")
	if !has && len(fe) == 0 {
		fe.add("type", "The type field is required.")
	} else if has && typ != "paid" && typ != "unpaid" {
		fe.add("type", "The selected type is invalid (paid or unpaid).")
	}
	numTx, _ := body.str(fe, "num_tx")
	noteTx, _ := body.str(fe, "note_tx")
	if e := fe.err(); e != nil {
		return reply{}, e
	}
	if o.status != StatusCreated {
		return reply{}, validation("order", "An order in status "+o.status+" cannot be confirmed.")
	}
	o.numTx, o.noteTx, o.scheduleStep = numTx, noteTx, -1
	if typ == "paid" {
		s.setStatus(rq, o, StatusPaid)
	} else {
		o.cancelReason = "unpaid"
		s.setStatus(rq, o, StatusCancelled)
	}
	return reply{result: map[string]any{"order": s.orderJSON(o)}}, nil
}

// hOrderCancel serves both DELETE /orders/{order} and POST .../cancel: only
// an order that is not final can be cancelled.
func (s *Server) hOrderCancel(rq *request) (reply, *apiError) {
	body, e := decodeObject(rq, false)
	if e != nil {
		return reply{}, e
	}
	o, e := s.ownOrder(rq)
	if e != nil {
		return reply{}, e
	}
	fe := fieldErrors{}
	reason, _ := body.str(fe, "reason")
	if e := fe.err(); e != nil {
		return reply{}, e
	}
	if IsFinal(o.status) {
		return reply{}, validation("order", "An order in final status "+o.status+" cannot be cancelled.")
	}
	o.cancelReason, o.scheduleStep = reason, -1
	s.setStatus(rq, o, StatusCancelled)
	return reply{result: map[string]any{"order": s.orderJSON(o)}}, nil
}

func (s *Server) hOrderList(rq *request) (reply, *apiError) {
	var items []listItem
	for _, o := range s.orders {
		if o.clientID != rq.key.ClientID {
			continue
		}
		items = append(items, listItem{render: func() any { return s.orderJSON(o) }, get: o.field})
	}
	out, page, e := list(rq, items, "status", "id", "public_id", "tracking_id", "email", "from_requisite",
		"to_requisite", "created_from", "created_to", "currency", "amount_min", "amount_max")
	if e != nil {
		return reply{}, e
	}
	return reply{result: out, page: page}, nil
}

// field is the value of one filter or sort field of the order list.
func (o *order) field(name string) []string {
	switch name {
	case "id":
		return i64s(o.id)
	case "public_id":
		return []string{o.publicID}
	case "tracking_id":
		return []string{o.trackingID}
	case "status":
		return []string{o.status}
	case "email":
		return []string{o.email}
	case "from_requisite":
		return []string{o.incomeAccount}
	case "to_requisite":
		return []string{o.outcomeAccount}
	case "created_at":
		return []string{ts(o.createdAt)}
	case "updated_at":
		return []string{ts(o.updatedAt)}
	case "completed_at":
		return []string{ts(o.completedAt)}
	case "currency":
		return []string{o.from.Currency, o.to.Currency, o.from.LetterCode, o.to.LetterCode}
	case "amount", "amount_in":
		return []string{o.give}
	case "amount_out":
		return []string{o.receive}
	}
	return nil
}
