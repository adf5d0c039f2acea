package clienttest

import (
	"errors"
	"fmt"
	"time"
)

// Webhook fault modes: the ways a real sender loses or spoils deliveries,
// for proving that a receiver (with webhook.CatchUp) still runs every event.
// With them and WithWebhookRetry (whose attempts is the number after which
// the sender gives up on a delivery) a test can reproduce:
//
//   - retries refused as stale: WithWebhookRetrySameSignature, with a
//     backoff longer than the receiver's freshness window;
//   - deliveries never attempted: WithWebhookDropWindow or
//     DropWebhookDeliveries;
//   - deliveries abandoned: WithWebhookRetry with few attempts while the
//     receiver is down.
//
// Every such event stays in GET /private/webhooks/events with status
// "failed", as on the real server.

// droppedMessage is the error of a delivery dropped by a fault mode.
const droppedMessage = "Dropped by the sender (clienttest fault injection): never attempted."

// WithWebhookRetrySameSignature makes every retry of a delivery resend the
// X-Webhook-Timestamp, X-Webhook-Nonce and X-Webhook-Signature of its first
// attempt, as a sender that does not re-sign retries would (the vendor's
// guide does not promise a fresh timestamp). Once the first attempt is older
// than the receiver's freshness window, the retries are refused as stale.
func WithWebhookRetrySameSignature() Option {
	return func(c *config) { c.whSameHeaders = true }
}

// WithWebhookDropWindow drops webhook deliveries of events emitted from
// after to after+period (measured from the server's start): they are
// recorded as failed without a single attempt, as if the sender had lost
// them. The events themselves stay in the event log.
func WithWebhookDropWindow(after, period time.Duration) Option {
	return func(c *config) {
		if after >= 0 && period > 0 {
			c.whDropAfter, c.whDropFor = after, period
		}
	}
}

// DropWebhookDeliveries drops the deliveries of events emitted during the
// next period (see WithWebhookDropWindow); 0 stops dropping at once.
func (s *Server) DropWebhookDeliveries(period time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.whDropUntil = time.Now().Add(max(period, 0))
}

// dropping reports whether a delivery queued at real time t is dropped.
// Called with s.mu held.
func (s *Server) dropping(t time.Time) bool {
	if t.Before(s.whDropUntil) {
		return true
	}
	if s.cfg.whDropFor > 0 {
		from := s.started.Add(s.cfg.whDropAfter)
		return !t.Before(from) && t.Before(from.Add(s.cfg.whDropFor))
	}
	return false
}

// EmitEvent records a webhook event of eventType with data as its payload's
// "data", for the default key's client, and queues its deliveries to every
// subscribed endpoint, as the server does when something happens. It
// returns the event id (the X-Webhook-Event-Id of its deliveries).
func (s *Server) EmitEvent(eventType string, data map[string]any) (string, error) {
	if !knownEvent(eventType) {
		return "", fmt.Errorf("clienttest: unknown webhook event type %q", eventType)
	}
	if data == nil {
		data = map[string]any{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.done:
		return "", errors.New("clienttest: server closed")
	default:
	}
	ev := s.emit(nil, eventType, "", "", defaultClientID, data)
	return ev.id, nil
}

// EventTypes returns the webhook event types the fake knows (docs/api.md
// §5), api.test first.
func EventTypes() []string {
	out := make([]string, len(eventCatalog))
	for i, e := range eventCatalog {
		out[i] = e.event
	}
	return out
}
