package webhook

import (
	"encoding/json"
	"time"
)

// Event is a verified delivery.
type Event struct {
	// ID is X-Webhook-Event-Id, the signed id that deduplication uses.
	ID string
	// Type is X-Webhook-Event-Type, for example "order.status_changed".
	Type string
	// CreatedAt is the body's created_at; zero when absent or unparsable.
	CreatedAt time.Time
	// Data is the body's raw "data" value; nil when absent.
	Data json.RawMessage
	// SentAt is X-Webhook-Timestamp, when the sender signed the delivery.
	SentAt time.Time
	// Nonce is X-Webhook-Nonce.
	Nonce string
	// RequestID and CorrelationID are the delivery's X-Request-Id and
	// X-Correlation-Id (the correlation id of the API call that caused the
	// event, if the caller sent one). They are not signed.
	RequestID, CorrelationID string
	// Body is the raw delivery body, exactly as verified (for a caught-up
	// event: the payload stored in the API's event log).
	Body []byte
	// CaughtUp is true for an event that CatchUp fetched from the API's
	// event log instead of receiving it as a signed delivery. The API call
	// (Bearer token and HMAC request signature) authenticated it; SentAt
	// and Nonce are zero.
	CaughtUp bool
}

// DecodeData decodes Data into v with encoding/json. A missing Data decodes
// as null.
func (e *Event) DecodeData(v any) error {
	if len(e.Data) == 0 {
		return json.Unmarshal([]byte("null"), v)
	}
	return json.Unmarshal(e.Data, v)
}

// createdAtLayouts are the created_at forms seen in the vendor's payloads and
// documentation, most likely first.
var createdAtLayouts = [...]string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
}

func parseCreatedAt(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	for _, layout := range createdAtLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
