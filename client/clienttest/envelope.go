package clienttest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// envelope is the API's response envelope (spec 2): state 0 with a result,
// or state 1 with code and error.
type envelope struct {
	State   int        `json:"state"`
	Message string     `json:"message"`
	Code    int        `json:"code,omitempty"`
	Result  any        `json:"result"`
	Error   *errorBody `json:"error,omitempty"`
	Meta    meta       `json:"meta"`
}

type errorBody struct {
	Code    string `json:"code"`
	Type    string `json:"type"` // deprecated alias of code, still sent
	Details any    `json:"details"`
}

type meta struct {
	RequestID     string      `json:"request_id"`
	CorrelationID string      `json:"correlation_id"`
	Timestamp     string      `json:"timestamp"`
	Pagination    *pagination `json:"pagination,omitempty"`
}

// reply is what a handler returns on success.
type reply struct {
	status      int // 0 means 200
	result      any
	page        *pagination
	message     string // "" means "OK"
	raw         []byte // sent as is (openapi.yaml), no envelope
	contentType string // with raw
}

// apiError is what a handler returns on failure: one of the API's error codes.
type apiError struct {
	status     int
	code       string
	message    string
	details    any
	retryAfter int // seconds; sets Retry-After when > 0
	// raw, when not nil, is sent instead of the envelope (FailNextRaw).
	raw     []byte
	rawType string
}

func errf(status int, code, msg string, details any) *apiError {
	return &apiError{status: status, code: code, message: msg, details: details}
}

// validation returns 422 validation_error with details {"field": [msg]}.
func validation(field, msg string) *apiError {
	return errf(http.StatusUnprocessableEntity, "validation_error", "The given data was invalid.",
		map[string][]string{field: {msg}})
}

// fieldErrors collects validation messages per field.
type fieldErrors map[string][]string

func (f fieldErrors) add(field, msg string) { f[field] = append(f[field], msg) }

func (f fieldErrors) err() *apiError {
	if len(f) == 0 {
		return nil
	}
	return errf(http.StatusUnprocessableEntity, "validation_error", "The given data was invalid.", map[string][]string(f))
}

func notFound(what string) *apiError {
	return errf(http.StatusNotFound, "not_found", what+" not found.", nil)
}

func (s *Server) metaFor(rq *request) meta {
	return meta{RequestID: rq.requestID, CorrelationID: rq.correlationID, Timestamp: rq.now.Format(time.RFC3339)}
}

// encodeSuccess builds a success body.
func (s *Server) encodeSuccess(rq *request, rp reply) []byte {
	m := s.metaFor(rq)
	m.Pagination = rp.page
	msg := rp.message
	if msg == "" {
		msg = "OK"
	}
	b, err := json.Marshal(envelope{State: 0, Message: msg, Result: rp.result, Meta: m})
	if err != nil { // only the fake's own values are marshalled: a bug, answered as a 500
		b, _ = json.Marshal(envelope{State: 1, Message: "encode: " + err.Error(), Code: 500,
			Error: &errorBody{Code: "server_error", Type: "server_error"}, Meta: m})
	}
	return b
}

// encodeError builds an error body.
func (s *Server) encodeError(rq *request, e *apiError) []byte {
	b, _ := json.Marshal(envelope{State: 1, Message: e.message, Code: e.status,
		Error: &errorBody{Code: e.code, Type: e.code, Details: e.details}, Meta: s.metaFor(rq)})
	return b
}

// setCommonHeaders writes the diagnostic headers every response carries.
func setCommonHeaders(h http.Header, rq *request) {
	h.Set("X-Request-Id", rq.requestID)
	h.Set("X-Correlation-Id", rq.correlationID)
	h.Set("X-Api-Version", "3")
	h.Set("X-Api-Envelope-Version", "1")
	h.Set("X-Api-Error-Version", "1")
	h.Set("X-Api-Webhook-Payload-Version", "1")
	h.Set("Date", rq.now.Format(http.TimeFormat))
}

// retryAfterHeader sets Retry-After: delta-seconds, or the HTTP-date form
// (legal HTTP too) with WithRetryAfterDate.
func (s *Server) retryAfterHeader(h http.Header, rq *request, seconds int) {
	if seconds <= 0 {
		return
	}
	if s.cfg.retryAfterDate {
		h.Set("Retry-After", rq.now.Add(time.Duration(seconds)*time.Second).Format(http.TimeFormat))
		return
	}
	h.Set("Retry-After", strconv.Itoa(seconds))
}
