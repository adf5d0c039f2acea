package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrBadLogEvent: an entry of the API's event log could not be turned into
// an Event (not a JSON object, no id or type, no payload object).
var ErrBadLogEvent = errors.New("webhook: malformed event log entry")

// logEntry is the part of an event-log entry (the API's WebhookEvent, see
// GET /private/webhooks/events in docs/api.md §5) that catch-up reads.
type logEntry struct {
	ID            string          `json:"id"`
	Type          string          `json:"type"`
	Payload       json.RawMessage `json:"payload"`
	RequestID     *string         `json:"request_id"`
	CorrelationID *string         `json:"correlation_id"`
	CreatedAt     *string         `json:"created_at"`
}

// logPayload is the delivered body kept in the entry:
// {"id","type","created_at","data"}.
type logPayload struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	CreatedAt string          `json:"created_at"`
	Data      json.RawMessage `json:"data"`
}

// EventFromLog turns one entry of the API's event log into the Event a
// delivery of it would have produced: Body is the stored payload (the
// delivered body), ID and Type are the payload's id and type (the values
// deliveries carry in X-Webhook-Event-Id and X-Webhook-Event-Type, so the
// same event deduplicates whichever way it comes), falling back to the
// entry's own. CaughtUp is true and SentAt and Nonce are zero: the entry was
// authenticated by the API call that fetched it, not by a webhook signature.
func EventFromLog(raw json.RawMessage) (*Event, error) {
	var en logEntry
	if err := json.Unmarshal(raw, &en); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadLogEvent, err)
	}
	payload := bytes.TrimSpace(en.Payload)
	if len(payload) == 0 || payload[0] != '{' {
		return nil, fmt.Errorf("%w: event %q has no payload object", ErrBadLogEvent, en.ID)
	}
	var p logPayload
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, fmt.Errorf("%w: event %q: payload: %v", ErrBadLogEvent, en.ID, err)
	}
	ev := &Event{ID: p.ID, Type: p.Type, Data: p.Data, Body: append([]byte(nil), payload...), CaughtUp: true}
	if ev.ID == "" {
		ev.ID = en.ID
	}
	if ev.Type == "" {
		ev.Type = en.Type
	}
	if ev.ID == "" || ev.Type == "" {
		return nil, fmt.Errorf("%w: entry without an event id or type", ErrBadLogEvent)
	}
	if len(ev.ID) > MaxEventIDLength {
		return nil, fmt.Errorf("%w: event id longer than %d bytes", ErrBadLogEvent, MaxEventIDLength)
	}
	if hasControl(ev.ID) {
		// Verify refuses such an id in a header; a database may refuse it
		// too (PostgreSQL rejects NUL), which would fail it on every pass.
		return nil, fmt.Errorf("%w: event id holds control characters", ErrBadLogEvent)
	}
	if string(ev.Data) == "null" {
		ev.Data = nil
	}
	ev.CreatedAt = parseCreatedAt(p.CreatedAt)
	if ev.CreatedAt.IsZero() && en.CreatedAt != nil {
		ev.CreatedAt = parseCreatedAt(*en.CreatedAt)
	}
	if en.RequestID != nil {
		ev.RequestID = *en.RequestID
	}
	if en.CorrelationID != nil {
		ev.CorrelationID = *en.CorrelationID
	}
	return ev, nil
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}
