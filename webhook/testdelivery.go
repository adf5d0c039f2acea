package webhook

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Delivery describes a signed webhook delivery to build, for the caller's own
// tests of a receiver. Zero fields get defaults: a random "evt_" id and
// "wh_" nonce, the current time, and a body made from EventID, EventType,
// Timestamp and Data.
type Delivery struct {
	Secret        string
	EventID       string
	EventType     string
	Timestamp     time.Time
	Nonce         string
	Data          any    // marshalled as the body's "data"; ignored when Body is set
	Body          []byte // the exact raw body, when a test needs one
	RequestID     string
	CorrelationID string
	URL           string // default "http://localhost/webhook"
}

// Request returns the delivery as a signed POST request.
func (d Delivery) Request() (*http.Request, error) {
	if d.Secret == "" {
		return nil, ErrNoSecret
	}
	if d.EventType == "" {
		return nil, errors.New("webhook: delivery needs an event type")
	}
	if d.EventID == "" {
		d.EventID = "evt_" + randomHex(16)
	}
	if d.Nonce == "" {
		d.Nonce = "wh_" + randomHex(12)
	}
	if d.Timestamp.IsZero() {
		d.Timestamp = time.Now()
	}
	if d.URL == "" {
		d.URL = "http://localhost/webhook"
	}
	body := d.Body
	if body == nil {
		data := d.Data
		if data == nil {
			data = struct{}{}
		}
		var err error
		body, err = json.Marshal(struct {
			ID        string `json:"id"`
			Type      string `json:"type"`
			CreatedAt string `json:"created_at"`
			Data      any    `json:"data"`
		}{d.EventID, d.EventType, d.Timestamp.UTC().Format(time.RFC3339), data})
		if err != nil {
			return nil, fmt.Errorf("webhook: marshal delivery data: %w", err)
		}
	}
	ts := strconv.FormatInt(d.Timestamp.Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("webhook: build delivery: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderEventID, d.EventID)
	req.Header.Set(HeaderEventType, d.EventType)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderNonce, d.Nonce)
	req.Header.Set(HeaderSignature, Sign(d.Secret, d.EventID, d.EventType, ts, d.Nonce, body))
	if d.RequestID != "" {
		req.Header.Set(HeaderRequestID, d.RequestID)
	}
	if d.CorrelationID != "" {
		req.Header.Set(HeaderCorrelationID, d.CorrelationID)
	}
	return req, nil
}

// NewTestDelivery returns a signed delivery of eventType carrying data, with a
// fresh event id, nonce and timestamp, ready for a handler under test (for
// example with httptest.NewRecorder).
func NewTestDelivery(secret, eventType string, data any) (*http.Request, error) {
	return Delivery{Secret: secret, EventType: eventType, Data: data}.Request()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
