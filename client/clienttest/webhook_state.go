package clienttest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// eventCatalog lists the webhook event types and their titles (spec 5).
var eventCatalog = []struct{ event, title string }{
	{"api.test", "Test event"},
	{"order.created", "Order created"},
	{"order.preflight", "Order preflight checked"},
	{"order.status_changed", "Order status changed"},
	{"order.payment_received", "Order payment received"},
	{"verification.identity.created", "Identity verification created"},
	{"verification.identity.status_changed", "Identity verification status changed"},
	{"verification.card.created", "Card verification created"},
	{"verification.card.status_changed", "Card verification status changed"},
	{"file.uploaded", "File uploaded"},
	{"api.sandbox.simulated", "Sandbox order simulated"},
	{"review.created", "Review created"},
	{"partner.payout.paid", "Partner payout paid"},
}

func knownEvent(t string) bool {
	for _, e := range eventCatalog {
		if e.event == t {
			return true
		}
	}
	return false
}

const maxEndpoints = 10

// endpoint is a registered webhook URL with its own signing secret.
type endpoint struct {
	id, name, url        string
	clientID             int64
	events               []string
	status               string // active, paused, disabled
	secret               string
	failureCount         int
	lastDelivery         time.Time
	lastSuccess          time.Time
	lastFailure          time.Time
	createdAt, updatedAt time.Time
	deleted              bool
}

func (ep *endpoint) subscribes(eventType string) bool {
	for _, e := range ep.events {
		if e == "*" || e == eventType {
			return true
		}
	}
	return false
}

func fingerprintSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return "sha256:" + hex.EncodeToString(sum[:6])
}

func (ep *endpoint) json() map[string]any {
	return map[string]any{
		"id": ep.id, "name": ep.name, "url": ep.url, "events": ep.events, "status": ep.status,
		"signing_algorithm": "hmac-sha256-v1", "secret_fingerprint": fingerprintSecret(ep.secret),
		"failure_count": ep.failureCount, "last_delivery_at": tsPtr(ep.lastDelivery),
		"last_success_at": tsPtr(ep.lastSuccess), "last_failure_at": tsPtr(ep.lastFailure),
		"created_at": ts(ep.createdAt), "updated_at": ts(ep.updatedAt),
	}
}

// event is one webhook event; body holds the exact bytes every delivery sends.
type event struct {
	id, typ                  string
	clientID                 int64
	resourceType, resourceID string
	requestID, correlationID string
	idemKey                  string
	payload                  map[string]any
	body                     []byte
	createdAt                time.Time
	deliveries               []*delivery
}

// field answers the list filters of GET /private/webhooks/events. It is
// computed on demand: the event log can be long, and catch-up lists it often.
func (ev *event) field(name string) []string {
	switch name {
	case "status":
		return []string{ev.status()}
	case "event_type":
		return []string{ev.typ}
	case "resource_type":
		return []string{ev.resourceType}
	case "resource_id":
		return []string{ev.resourceID}
	case "correlation_id":
		return []string{ev.correlationID}
	case "created_at":
		return []string{ts(ev.createdAt)}
	}
	return nil
}

func (ev *event) status() string {
	if len(ev.deliveries) == 0 {
		return "skipped"
	}
	failed, pending := false, false
	for _, d := range ev.deliveries {
		switch d.status {
		case "failed":
			failed = true
		case "queued", "sending":
			pending = true
		}
	}
	switch {
	case pending:
		return "pending"
	case failed:
		return "failed"
	}
	return "delivered"
}

func (ev *event) json(withDeliveries bool) map[string]any {
	out := map[string]any{
		"id": ev.id, "type": ev.typ, "resource": map[string]any{"type": ev.resourceType, "id": ev.resourceID},
		"status": ev.status(), "request_id": nullable(ev.requestID), "correlation_id": nullable(ev.correlationID),
		"idempotency_key": nullable(ev.idemKey), "payload": ev.payload, "deliveries_count": len(ev.deliveries),
		"created_at": ts(ev.createdAt),
	}
	if withDeliveries {
		ds := []map[string]any{}
		for _, d := range ev.deliveries {
			ds = append(ds, d.json())
		}
		out["deliveries"] = ds
	}
	return out
}

// delivery is the sending of one event to one endpoint, over its attempts.
type delivery struct {
	id          string
	ev          *event
	ep          *endpoint
	status      string // queued, sending, succeeded, failed
	attempt     int
	limit       int       // last allowed attempt number
	due         time.Time // real time of the next attempt
	nextRetryAt time.Time // the same moment on the server's clock, for the log
	deliveredAt time.Time
	createdAt   time.Time
	request     map[string]any
	response    map[string]any
	err         map[string]any
	// The first attempt's signed headers, resent by every retry under
	// WithWebhookRetrySameSignature.
	firstStamp, firstNonce, firstSig string
}

func (d *delivery) json() map[string]any {
	var next any
	if d.status == "queued" && d.attempt > 0 {
		next = ts(d.nextRetryAt)
	}
	orEmpty := func(m map[string]any) map[string]any {
		if m == nil {
			return map[string]any{}
		}
		return m
	}
	return map[string]any{
		"id": d.id, "status": d.status, "attempt": d.attempt,
		"endpoint":      map[string]any{"id": d.ep.id, "name": d.ep.name, "url": d.ep.url},
		"event":         map[string]any{"id": d.ev.id, "type": d.ev.typ},
		"request":       orEmpty(d.request),
		"response":      orEmpty(d.response),
		"error":         orEmpty(d.err),
		"next_retry_at": next, "delivered_at": tsPtr(d.deliveredAt), "created_at": ts(d.createdAt),
	}
}

// emit records an event and queues a delivery to every active endpoint of
// the client that subscribes to its type. rq is nil for events the test or a
// schedule caused.
func (s *Server) emit(rq *request, eventType, resourceType, resourceID string, clientID int64, data map[string]any) *event {
	now := s.now()
	ev := &event{id: uuid.NewString(), typ: eventType, clientID: clientID, resourceType: resourceType,
		resourceID: resourceID, createdAt: now}
	if rq != nil {
		now = rq.now
		ev.createdAt, ev.requestID, ev.correlationID, ev.idemKey = now, rq.requestID, rq.correlationID, rq.idemKey
	} else {
		// Moved by the test or a schedule, as a real exchanger's operator
		// or job would: that run has its own request id, which the
		// deliveries carry in X-Request-Id like any other.
		ev.requestID = uuid.NewString()
	}
	ev.payload = map[string]any{"id": ev.id, "type": eventType, "created_at": ts(ev.createdAt), "data": data}
	ev.body, _ = json.Marshal(ev.payload)
	s.events = append(s.events, ev)
	for _, ep := range s.endpoints {
		if !ep.deleted && ep.clientID == clientID && ep.status == "active" && ep.subscribes(eventType) {
			s.queueDelivery(ev, ep)
		}
	}
	return ev
}

func (s *Server) queueDelivery(ev *event, ep *endpoint) *delivery {
	d := &delivery{id: uuid.NewString(), ev: ev, ep: ep, status: "queued", limit: s.cfg.whAttempts,
		due: time.Now(), createdAt: s.now()}
	ev.deliveries = append(ev.deliveries, d)
	s.deliveries = append(s.deliveries, d)
	if s.dropping(d.due) {
		d.status = "failed"
		d.err = map[string]any{"message": droppedMessage}
		return d
	}
	s.poke()
	return d
}

// poke wakes the dispatcher without blocking.
func (s *Server) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
