package client

import "net/http"

// Response is what a call learned from the server besides its result.
type Response struct {
	StatusCode int
	Header     http.Header
	Meta       ResponseMeta
}

// ResponseMeta is the envelope's meta object.
type ResponseMeta struct {
	RequestID     string      `json:"request_id"`
	CorrelationID string      `json:"correlation_id"`
	Timestamp     string      `json:"timestamp"`
	Pagination    *Pagination `json:"pagination,omitempty"`
}

// Pagination is meta.pagination of list responses (spec/api.md 8).
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
