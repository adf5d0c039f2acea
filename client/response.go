package client

import "net/http"

// Response is what a call learned from the server besides its result. Read
// it with the WithResponse call option.
type Response struct {
	StatusCode int
	Header     http.Header
	Meta       ResponseMeta
	Message    string // the envelope's message ("OK", or the error's text)

	RequestID     string // meta.request_id, else X-Request-Id
	CorrelationID string // meta.correlation_id, else X-Correlation-Id
	// IdempotencyKey is the key the call sent ("" for none): the caller's
	// or the one the SDK generated.
	IdempotencyKey string
	// IdempotencyReplayed is true when the server answered a repeated key
	// with the stored response (Idempotency-Replayed: true).
	IdempotencyReplayed bool
	RateLimit           RateLimit // this answer's X-RateLimit-* (-1 when absent)
	Quota               Quota     // this answer's X-Api-Quota-* (-1 when absent)
	Attempts            int       // requests sent, retries included
}

// ResponseMeta is the envelope's meta object.
type ResponseMeta struct {
	RequestID     string      `json:"request_id"`
	CorrelationID string      `json:"correlation_id"`
	Timestamp     string      `json:"timestamp"`
	Pagination    *Pagination `json:"pagination,omitempty"`
}

// Pagination is meta.pagination of list responses (docs/api.md 8).
type Pagination struct {
	Mode        string `json:"mode"`
	CurrentPage int    `json:"current_page"`
	PerPage     int    `json:"per_page"`
	Total       int    `json:"total"`
	LastPage    int    `json:"last_page"`
	From        int    `json:"from"`
	To          int    `json:"to"`
	Cursor      string `json:"cursor"`
	NextCursor  string `json:"next_cursor"`
	HasMore     bool   `json:"has_more"`
}
