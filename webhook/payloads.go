package webhook

import (
	"encoding/json"
	"fmt"
)

// Order is the order carried by order events and referenced by others. Every
// field is optional: payloads differ between deployments.
type Order struct {
	ID         FlexString `json:"id"`
	PublicID   string     `json:"public_id"`
	TrackingID string     `json:"tracking_id"`
	Status     Status     `json:"status"`
	// StatusLabel is the human status text some payloads send beside status.
	StatusLabel string       `json:"status_label"`
	IsFinal     bool         `json:"is_final"`
	Amounts     OrderAmounts `json:"amounts"`
	// PreviousStatus is the status before a change, when the payload puts
	// it inside the order; OrderEvent.PreviousStatus reads either place.
	PreviousStatus *Status `json:"previous_status,omitempty"`
}

// OrderAmounts are the order's amounts as decimal strings.
type OrderAmounts struct {
	Give    Decimal `json:"give"`
	Receive Decimal `json:"receive"`
	Rate    Decimal `json:"rate"`
}

// Final reports whether the order's status is final, whichever way the
// payload says it.
func (o Order) Final() bool { return o.IsFinal || o.Status.IsFinal }

// OrderEvent is the data of order.created, order.preflight and
// order.status_changed.
type OrderEvent struct {
	Order Order `json:"order"`
	// PreviousStatus is the status before an order.status_changed, when sent.
	PreviousStatus *Status `json:"previous_status,omitempty"`
}

// UnmarshalJSON decodes the event; the previous status is read from
// data.previous_status or, where a deployment nests it, from
// data.order.previous_status.
func (e *OrderEvent) UnmarshalJSON(b []byte) error {
	type plain OrderEvent
	if err := json.Unmarshal(b, (*plain)(e)); err != nil {
		return err
	}
	if e.PreviousStatus == nil {
		e.PreviousStatus = e.Order.PreviousStatus
	}
	return nil
}

// Payment describes a payment received for an order.
type Payment struct {
	Amount   Decimal    `json:"amount"`
	Currency string     `json:"currency"`
	TxID     FlexString `json:"tx_id"`
}

// PaymentReceivedEvent is the data of order.payment_received.
type PaymentReceivedEvent struct {
	Order   Order   `json:"order"`
	Payment Payment `json:"payment"`
}

// Verification is an identity or card verification.
type Verification struct {
	ID     FlexString `json:"id"`
	Kind   string     `json:"type"` // "identity" or "card", when sent
	Status Status     `json:"status"`
	// Reason explains a rejection, when sent.
	Reason string `json:"reason"`
}

// VerificationEvent is the data of verification.identity.created,
// verification.identity.status_changed, verification.card.created and
// verification.card.status_changed.
type VerificationEvent struct {
	Verification Verification `json:"verification"`
	Order        *Order       `json:"order,omitempty"`
}

// File is an uploaded file.
type File struct {
	ID        FlexString `json:"id"`
	UUID      string     `json:"uuid"`
	Purpose   string     `json:"purpose"`
	Name      string     `json:"name"`
	Size      FlexString `json:"size"`
	SHA256    string     `json:"sha256"`
	MediaType string     `json:"mime_type"`
}

// FileUploadedEvent is the data of file.uploaded.
type FileUploadedEvent struct {
	File  File   `json:"file"`
	Order *Order `json:"order,omitempty"`
}

// SandboxEvent is the data of api.sandbox.simulated.
type SandboxEvent struct {
	Scenario string `json:"scenario"`
	Order    *Order `json:"order,omitempty"`
}

// Review is a customer review.
type Review struct {
	ID     FlexString `json:"id"`
	Name   string     `json:"name"`
	Text   string     `json:"text"`
	Rating FlexString `json:"rating"`
	Status Status     `json:"status"`
}

// ReviewCreatedEvent is the data of review.created.
type ReviewCreatedEvent struct {
	Review Review `json:"review"`
	Order  *Order `json:"order,omitempty"`
}

// Payout is a partner payout.
type Payout struct {
	ID       FlexString `json:"id"`
	Amount   Decimal    `json:"amount"`
	Currency string     `json:"currency"`
	Status   Status     `json:"status"`
}

// PartnerPayoutEvent is the data of partner.payout.paid.
type PartnerPayoutEvent struct {
	Payout Payout `json:"payout"`
}

// TestEvent is the data of api.test: whatever payload the test request
// carried, plus an order when the payload names one.
type TestEvent struct {
	Message string         `json:"message"`
	Order   *Order         `json:"order,omitempty"`
	Fields  map[string]any `json:"-"`
}

// UnmarshalJSON keeps every field of the test payload in Fields as well.
func (t *TestEvent) UnmarshalJSON(b []byte) error {
	type plain TestEvent
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*t = TestEvent(p)
	return json.Unmarshal(b, &t.Fields)
}

// Payload decodes Data by Type and returns a pointer to the typed value:
// *OrderEvent, *PaymentReceivedEvent, *VerificationEvent,
// *FileUploadedEvent, *SandboxEvent, *ReviewCreatedEvent,
// *PartnerPayoutEvent or *TestEvent. For a type this package does not know it
// returns Data as a json.RawMessage and no error, so new event types still
// reach the caller.
func (e *Event) Payload() (any, error) {
	var v any
	switch e.Type {
	case TypeOrderCreated, TypeOrderPreflight, TypeOrderStatusChanged:
		v = new(OrderEvent)
	case TypeOrderPaymentReceived:
		v = new(PaymentReceivedEvent)
	case TypeVerificationIdentityCreated, TypeVerificationIdentityStatusChanged,
		TypeVerificationCardCreated, TypeVerificationCardStatusChanged:
		v = new(VerificationEvent)
	case TypeFileUploaded:
		v = new(FileUploadedEvent)
	case TypeSandboxSimulated:
		v = new(SandboxEvent)
	case TypeReviewCreated:
		v = new(ReviewCreatedEvent)
	case TypePartnerPayoutPaid:
		v = new(PartnerPayoutEvent)
	case TypeAPITest:
		v = new(TestEvent)
	default:
		return e.Data, nil
	}
	if err := e.DecodeData(v); err != nil {
		return nil, fmt.Errorf("webhook: decode %s event %s: %w", e.Type, e.ID, err)
	}
	return v, nil
}

// OrderRef returns the order an event concerns, whatever its type, or nil
// when its data names none. It is what a status follower needs from any event.
func (e *Event) OrderRef() *Order {
	var probe struct {
		Order *Order `json:"order"`
	}
	if e.DecodeData(&probe) != nil {
		return nil
	}
	return probe.Order
}
