package client

import (
	"fmt"
	"time"
)

// APIError is an error answer of the server (state 1 or a non-2xx status).
type APIError struct {
	StatusCode int
	Code       string // error.code, e.g. "validation_error"
	Message    string
	RequestID  string
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	return fmt.Sprintf("exchanger: %d %s: %s (request %s)", e.StatusCode, e.Code, e.Message, e.RequestID)
}
