package clienttest

import (
	"fmt"
	"net/http"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

func newWebhookSecret() string { return "whsec_" + randomHex(16) }

func (s *Server) clientEndpoints(clientID int64) []*endpoint {
	var out []*endpoint
	for _, ep := range s.endpoints {
		if !ep.deleted && ep.clientID == clientID {
			out = append(out, ep)
		}
	}
	return out
}

func (s *Server) hWebhookList(rq *request) (reply, *apiError) {
	eps := []map[string]any{}
	for _, ep := range s.clientEndpoints(rq.key.ClientID) {
		eps = append(eps, ep.json())
	}
	cat := []map[string]any{}
	for _, e := range eventCatalog {
		cat = append(cat, map[string]any{"event": e.event, "title": e.title})
	}
	return reply{result: map[string]any{"endpoints": eps, "events": cat, "limits": map[string]any{
		"max_endpoints": maxEndpoints, "max_attempts": s.cfg.whAttempts, "signing_algorithm": "hmac-sha256-v1"}}}, nil
}

// readEndpointFields validates name, url, events and status; create needs
// the first three.
func readEndpointFields(o object, fe fieldErrors, create bool) (name, u string, events []string, status string) {
	var has bool
	if name, has = o.str(fe, "name"); (create && !has) || (has && (name == "" || utf8.RuneCountInString(name) > 80)) {
		fe.add("name", "The name field is required (at most 80 characters).")
	}
	if u, has = o.str(fe, "url"); (create && !has) || (has && !validWebhookURL(u)) {
		fe.add("url", "The url must be an absolute http or https URL of at most 500 characters.")
	}
	events, has = o.strings(fe, "events")
	if (create && !has) || (has && len(events) == 0) {
		fe.add("events", "The events field must list at least one event type.")
	}
	for _, e := range events {
		if e != "*" && !knownEvent(e) {
			fe.add("events", "Unknown event type "+e+".")
		}
	}
	if status, has = o.str(fe, "status"); has && status != "active" && status != "paused" && status != "disabled" {
		fe.add("status", "The status must be active, paused or disabled.")
	}
	return name, u, events, status
}

func validWebhookURL(s string) bool {
	if s == "" || len(s) > 500 {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func (s *Server) hWebhookCreate(rq *request) (reply, *apiError) {
	o, e := decodeObject(rq, true)
	if e != nil {
		return reply{}, e
	}
	fe := fieldErrors{}
	name, u, events, status := readEndpointFields(o, fe, true)
	if len(s.clientEndpoints(rq.key.ClientID)) >= maxEndpoints {
		fe.add("url", "An account may have at most 10 webhook endpoints.")
	}
	if e := fe.err(); e != nil {
		return reply{}, e
	}
	if status == "" {
		status = "active"
	}
	ep := &endpoint{id: uuid.NewString(), name: name, url: u, clientID: rq.key.ClientID, events: events,
		status: status, secret: newWebhookSecret(), createdAt: rq.now, updatedAt: rq.now}
	s.endpoints = append(s.endpoints, ep)
	out := ep.json()
	out["secret"] = ep.secret // shown once, here and by rotate-secret
	return reply{status: http.StatusCreated, result: map[string]any{"endpoint": out}}, nil
}

func (s *Server) ownEndpoint(rq *request) (*endpoint, *apiError) {
	id := rq.params["webhook"]
	for _, ep := range s.clientEndpoints(rq.key.ClientID) {
		if ep.id == id {
			return ep, nil
		}
	}
	return nil, notFound("Webhook endpoint")
}

// WebhookSecret returns the current signing secret of a webhook endpoint,
// for tests that registered it through a client which did not keep it.
func (s *Server) WebhookSecret(endpointID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ep := range s.endpoints {
		if ep.id == endpointID && !ep.deleted {
			return ep.secret, true
		}
	}
	return "", false
}

func (s *Server) hWebhookShow(rq *request) (reply, *apiError) {
	ep, e := s.ownEndpoint(rq)
	if e != nil {
		return reply{}, e
	}
	return reply{result: map[string]any{"endpoint": ep.json()}}, nil
}

func (s *Server) hWebhookUpdate(rq *request) (reply, *apiError) {
	o, e := decodeObject(rq, true)
	if e != nil {
		return reply{}, e
	}
	ep, e := s.ownEndpoint(rq)
	if e != nil {
		return reply{}, e
	}
	fe := fieldErrors{}
	name, u, events, status := readEndpointFields(o, fe, false)
	if e := fe.err(); e != nil {
		return reply{}, e
	}
	if name != "" {
		ep.name = name
	}
	if u != "" {
		ep.url = u
	}
	if events != nil {
		ep.events = events
	}
	if status != "" {
		ep.status = status
	}
	ep.updatedAt = rq.now
	return reply{result: map[string]any{"endpoint": ep.json()}}, nil
}

func (s *Server) hWebhookDelete(rq *request) (reply, *apiError) {
	ep, e := s.ownEndpoint(rq)
	if e != nil {
		return reply{}, e
	}
	ep.deleted, ep.updatedAt = true, rq.now
	return reply{result: map[string]any{"deleted": true, "endpoint": ep.json()}}, nil
}

// hWebhookRotate replaces the secret at once: later deliveries are signed
// with the new one, which is shown here once.
func (s *Server) hWebhookRotate(rq *request) (reply, *apiError) {
	ep, e := s.ownEndpoint(rq)
	if e != nil {
		return reply{}, e
	}
	ep.secret, ep.updatedAt = newWebhookSecret(), rq.now
	out := ep.json()
	out["secret"] = ep.secret
	return reply{result: map[string]any{"endpoint": out}}, nil
}

// hWebhookTest creates an event (api.test unless event_type says otherwise)
// and delivers it to one endpoint, or to every active endpoint, whatever
// their subscriptions.
func (s *Server) hWebhookTest(rq *request) (reply, *apiError) {
	o, e := decodeObject(rq, false)
	if e != nil {
		return reply{}, e
	}
	fe := fieldErrors{}
	typ, has := o.str(fe, "event_type")
	if !has {
		typ = "api.test"
	} else if !knownEvent(typ) {
		fe.add("event_type", "Unknown event type.")
	}
	var targets []*endpoint
	if id, has := o.str(fe, "endpoint_id"); has {
		for _, ep := range s.clientEndpoints(rq.key.ClientID) {
			if ep.id == id {
				targets = append(targets, ep)
			}
		}
		if len(targets) == 0 {
			fe.add("endpoint_id", "The selected endpoint is invalid.")
		}
	} else {
		for _, ep := range s.clientEndpoints(rq.key.ClientID) {
			if ep.status == "active" {
				targets = append(targets, ep)
			}
		}
	}
	data := map[string]any{"message": "This is a test event.", "test": true}
	if p, ok := o.any("payload").(map[string]any); ok {
		data = p
	} else if o.has("payload") {
		fe.add("payload", "The payload must be an object.")
	}
	if e := fe.err(); e != nil {
		return reply{}, e
	}
	// The event goes to the chosen targets only, not through subscriptions.
	ev := s.emit(rq, typ, "api", "test", -1, data)
	ev.clientID = rq.key.ClientID
	ds := []map[string]any{}
	for _, ep := range targets {
		d := s.queueDelivery(ev, ep)
		ds = append(ds, map[string]any{"id": d.id, "status": d.status, "endpoint_id": ep.id})
	}
	return reply{status: http.StatusCreated, result: map[string]any{
		"event": map[string]any{"id": ev.id, "type": ev.typ, "status": ev.status(), "request_id": rq.requestID,
			"correlation_id": rq.correlationID},
		"deliveries": ds,
	}}, nil
}

func (s *Server) hEventList(rq *request) (reply, *apiError) {
	// The time range is applied here, with its bounds parsed once: catch-up
	// lists a long log often, and list() would parse every row's created_at.
	f := filterParams(rq.query)
	from, to := timeBound(f["created_from"]), timeBound(f["created_to"])
	var items []listItem
	for i := len(s.events) - 1; i >= 0; i-- {
		ev := s.events[i]
		if ev.clientID != rq.key.ClientID {
			continue
		}
		at := ev.createdAt.Truncate(time.Second) // the resolution of created_at
		if (!from.IsZero() && at.Before(from)) || (!to.IsZero() && at.After(to)) {
			continue
		}
		items = append(items, listItem{render: func() any { return ev.json(false) }, get: ev.field})
	}
	out, page, e := list(rq, items, "status", "event_type", "resource_type", "resource_id", "correlation_id")
	if e != nil {
		return reply{}, e
	}
	return reply{result: map[string]any{"events": out}, page: page}, nil
}

func (s *Server) hEventShow(rq *request) (reply, *apiError) {
	for _, ev := range s.events {
		if ev.id == rq.params["event"] && ev.clientID == rq.key.ClientID {
			return reply{result: map[string]any{"event": ev.json(true)}}, nil
		}
	}
	return reply{}, notFound("Webhook event")
}

func (s *Server) hDeliveryList(rq *request) (reply, *apiError) {
	var items []listItem
	for i := len(s.deliveries) - 1; i >= 0; i-- {
		d := s.deliveries[i]
		if d.ev.clientID != rq.key.ClientID {
			continue
		}
		items = append(items, listItem{render: func() any { return d.json() }, fields: map[string][]string{
			"status": {d.status}, "endpoint_id": {d.ep.id}, "event_id": {d.ev.id}, "event_type": {d.ev.typ},
			"correlation_id": {d.ev.correlationID}, "created_at": {ts(d.createdAt)},
		}})
	}
	out, page, e := list(rq, items, "status", "endpoint_id", "event_id", "event_type", "correlation_id",
		"created_from", "created_to")
	if e != nil {
		return reply{}, e
	}
	return reply{result: map[string]any{"deliveries": out}, page: page}, nil
}

func (s *Server) ownDelivery(rq *request) (*delivery, *apiError) {
	for _, d := range s.deliveries {
		if d.id == rq.params["delivery"] && d.ev.clientID == rq.key.ClientID {
			return d, nil
		}
	}
	return nil, notFound("Webhook delivery")
}

func (s *Server) hDeliveryShow(rq *request) (reply, *apiError) {
	d, e := s.ownDelivery(rq)
	if e != nil {
		return reply{}, e
	}
	return reply{result: map[string]any{"delivery": d.json()}}, nil
}

// hDeliveryRetry queues one more attempt of a settled delivery; one still
// queued or being sent is a conflict.
func (s *Server) hDeliveryRetry(rq *request) (reply, *apiError) {
	d, e := s.ownDelivery(rq)
	if e != nil {
		return reply{}, e
	}
	if d.status == "queued" || d.status == "sending" {
		return reply{}, errf(http.StatusConflict, "delivery_in_progress", "The delivery is still "+d.status+".", nil)
	}
	if d.ep.deleted {
		return reply{}, notFound("Webhook endpoint")
	}
	d.status, d.limit, d.nextRetryAt, d.due = "queued", d.attempt+1, rq.now, timeNow()
	s.poke()
	return reply{result: map[string]any{"delivery": d.json()}}, nil
}

// RegisterWebhook registers an endpoint for the default key's client, as
// POST /private/webhooks would, and returns its id and signing secret.
// events defaults to every event ("*").
func (s *Server) RegisterWebhook(rawURL string, events ...string) (id, secret string, err error) {
	if !validWebhookURL(rawURL) {
		return "", "", fmt.Errorf("clienttest: webhook URL %q is not an absolute http(s) URL", rawURL)
	}
	if len(events) == 0 {
		events = []string{"*"}
	}
	for _, e := range events {
		if e != "*" && !knownEvent(e) {
			return "", "", fmt.Errorf("clienttest: unknown webhook event type %q", e)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	ep := &endpoint{id: uuid.NewString(), name: "registered", url: rawURL, clientID: defaultClientID,
		events: append([]string(nil), events...), status: "active", secret: newWebhookSecret(), createdAt: now, updatedAt: now}
	s.endpoints = append(s.endpoints, ep)
	return ep.id, ep.secret, nil
}

// timeBound parses the first value of a _from/_to filter; zero when absent or
// unparseable (which, as in list, filters nothing out).
func timeBound(vs []string) time.Time {
	if len(vs) == 0 {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, vs[0])
	if err != nil {
		return time.Time{}
	}
	return t
}
