package clienttest

import (
	"fmt"
	"strconv"
	"time"
)

// order is the server's record of an exchange order.
type order struct {
	id                            int64
	publicID, trackingID          string
	clientID, keyID               int64
	route                         Route
	from, to                      PaymentSystem
	give, receive, typeRate       string
	email                         string
	incomeAccount, outcomeAccount string
	status                        string
	idemKey, correlationID        string
	numTx, noteTx, cancelReason   string
	createdAt, updatedAt          time.Time
	completedAt                   time.Time
	scheduleStep                  int // next index into the schedule; -1 once someone else moved the order
}

// OrderSnapshot is a copy of an order for assertions in tests.
type OrderSnapshot struct {
	ID             int64
	PublicID       string
	TrackingID     string
	ClientID       int64
	KeyID          int64 // the key that created it
	RouteID        int64
	Give, Receive  string // decimal amounts
	TypeRate       string
	Email          string
	IncomeAccount  string
	OutcomeAccount string
	Status         string
	IdempotencyKey string // as sent on creation; "" if none
	CorrelationID  string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (o *order) snapshot() OrderSnapshot {
	return OrderSnapshot{ID: o.id, PublicID: o.publicID, TrackingID: o.trackingID, ClientID: o.clientID,
		KeyID: o.keyID, RouteID: o.route.ID, Give: o.give, Receive: o.receive, TypeRate: o.typeRate,
		Email: o.email, IncomeAccount: o.incomeAccount, OutcomeAccount: o.outcomeAccount, Status: o.status,
		IdempotencyKey: o.idemKey, CorrelationID: o.correlationID, CreatedAt: o.createdAt, UpdatedAt: o.updatedAt}
}

// Orders returns a snapshot of every order, oldest first.
func (s *Server) Orders() []OrderSnapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]OrderSnapshot, 0, len(s.orders))
	for _, o := range s.orders {
		out = append(out, o.snapshot())
	}
	return out
}

// Order returns one order by id, public_id or tracking_id.
func (s *Server) Order(ref string) (OrderSnapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.findOrder(ref, 0)
	if o == nil {
		return OrderSnapshot{}, fmt.Errorf("%w: %q", ErrUnknownOrder, ref)
	}
	return o.snapshot(), nil
}

// findOrder finds an order by database id, public_id or tracking_id;
// clientID 0 matches any owner.
func (s *Server) findOrder(ref string, clientID int64) *order {
	for _, o := range s.orders {
		if clientID != 0 && o.clientID != clientID {
			continue
		}
		if strconv.FormatInt(o.id, 10) == ref || o.publicID == ref || o.trackingID == ref {
			return o
		}
	}
	return nil
}

// AdvanceOrder sets an order's status (a key from Statuses) as the exchanger's
// operator would, and sends the order.status_changed webhook. ref is the id,
// public_id or tracking_id. Any move is allowed, even out of a final status:
// the test is in charge.
func (s *Server) AdvanceOrder(ref, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.findOrder(ref, 0)
	if o == nil {
		return fmt.Errorf("%w: %q", ErrUnknownOrder, ref)
	}
	if _, ok := lookupStatus(status); !ok {
		return fmt.Errorf("%w: %q", ErrUnknownStatus, status)
	}
	o.scheduleStep = -1
	s.setStatus(nil, o, status)
	return nil
}

// setStatus moves o and emits the webhooks that go with the move.
func (s *Server) setStatus(rq *request, o *order, status string) {
	prev := o.status
	if prev == status {
		return
	}
	now := s.now()
	if rq != nil {
		now = rq.now
	}
	o.status, o.updatedAt = status, now
	if IsFinal(status) {
		o.completedAt = now
	}
	data := s.orderEventData(o)
	data["order"].(map[string]any)["previous_status"] = prev
	events := []*event{s.emit(rq, "order.status_changed", "order", strconv.FormatInt(o.id, 10), o.clientID, data)}
	if status == StatusProcessing && (prev == StatusCreated || prev == StatusPaid) {
		paid := s.orderEventData(o)
		paid["payment"] = paymentJSON(o, now)
		events = append(events, s.emit(rq, "order.payment_received", "order", strconv.FormatInt(o.id, 10), o.clientID, paid))
	}
	if rq == nil { // moved by the operator: the events carry the order's own correlation id
		for _, ev := range events {
			ev.correlationID = o.correlationID
			ev.requestID = events[0].requestID // one operator action or job run, one request id
		}
	}
}

// paymentJSON is the payment of an order.payment_received event: the give
// amount in the income currency, and the transaction number the client
// confirmed with (num_tx), or one the fake makes up from the tracking id.
func paymentJSON(o *order, at time.Time) map[string]any {
	tx := o.numTx
	if tx == "" {
		tx = "TX-" + o.trackingID
	}
	return map[string]any{"amount": o.give, "currency": o.from.Currency, "tx_id": tx, "received_at": ts(at)}
}

func (s *Server) orderEventData(o *order) map[string]any {
	st, _ := lookupStatus(o.status)
	return map[string]any{"order": map[string]any{
		"id": o.id, "public_id": o.publicID, "tracking_id": o.trackingID, "status": o.status,
		"status_label": st.name, "is_final": st.final,
		"amounts": map[string]any{"give": o.give, "receive": o.receive},
	}}
}

// scheduleNext arms the next step of WithOrderSchedule for o.
func (s *Server) scheduleNext(o *order) {
	if len(s.cfg.schedule) == 0 || o.scheduleStep < 0 || o.scheduleStep >= len(s.cfg.schedule) {
		return
	}
	select {
	case <-s.done:
		return
	default:
	}
	expect := o.status
	t := time.AfterFunc(s.cfg.scheduleEvery, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if o.scheduleStep < 0 || o.status != expect {
			return // someone else moved it: the schedule stops
		}
		select {
		case <-s.done:
			return
		default:
		}
		next := s.cfg.schedule[o.scheduleStep]
		o.scheduleStep++
		s.setStatus(nil, o, next)
		s.scheduleNext(o)
	})
	s.timers = append(s.timers, t)
}

func (s *Server) orderJSON(o *order) map[string]any {
	st, _ := lookupStatus(o.status)
	route := s.routeJSON(o.route)
	return map[string]any{
		"id": o.id, "public_id": o.publicID, "tracking_id": o.trackingID,
		"status":     st.json(),
		"amounts":    map[string]any{"give": o.give, "receive": o.receive, "rate": o.route.Rate},
		"currencies": map[string]any{"from": currencySummary(o.from), "to": currencySummary(o.to)},
		"direction":  map[string]any{"id": o.route.ID, "name": o.route.Name, "type_rate": o.typeRate, "route": route},
		"customer":   map[string]any{"email": o.email, "client_id": o.clientID},
		"payment": map[string]any{"income_account": o.incomeAccount, "outcome_account": o.outcomeAccount,
			"pay_to": "FAKE-" + o.from.LetterCode + "-" + o.trackingID, "num_tx": nullable(o.numTx), "note_tx": nullable(o.noteTx)},
		"flags": map[string]any{"is_final": st.final, "is_payment_flow": st.paymentFlow, "is_problem": st.issue,
			"can_cancel": !st.final, "can_confirm": o.status == StatusCreated},
		"timestamps": map[string]any{"created_at": ts(o.createdAt), "updated_at": ts(o.updatedAt),
			"completed_at": tsPtr(o.completedAt)},
	}
}
