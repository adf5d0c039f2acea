package client

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// recorded is one request a test server saw.
type recorded struct {
	Method, Path, RawQuery string
	RequestURI             string // as sent on the wire
	Header                 http.Header
	Body                   []byte
}

// apiServer is an httptest server answering with envelopes; it records
// every request.
type apiServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recorded
}

func (s *apiServer) requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.reqs...)
}

// newAPI starts a server whose handler h answers below /api/v3 and returns
// a client for it with a token.
func newAPI(t *testing.T, h http.HandlerFunc, opts ...Option) (*apiServer, *Client) {
	t.Helper()
	s := &apiServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, recorded{Method: r.Method, Path: r.URL.Path, RequestURI: r.RequestURI, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
		s.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(s.Close)
	c, err := New(s.URL+"/api/v3", append([]Option{WithToken("test-token")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// envelope writes a success envelope with result and optional pagination.
func envelope(w http.ResponseWriter, status int, result any, pg *Pagination) {
	meta := map[string]any{"request_id": "req-1", "timestamp": "2026-01-01T00:00:00Z"}
	if pg != nil {
		meta["pagination"] = pg
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"state": 0, "message": "OK", "result": result, "meta": meta})
}

// errorEnvelope writes an error envelope.
func errorEnvelope(w http.ResponseWriter, status int, code string, retryAfter string) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"state": 1, "message": code, "code": status, "result": nil,
		"error": map[string]any{"code": code, "type": code, "details": nil},
		"meta":  map[string]any{"request_id": "req-e"},
	})
}

// rawJSON writes a result given as a JSON literal.
func rawJSON(s string) json.RawMessage { return json.RawMessage(s) }

func sleepMS(n int) { time.Sleep(time.Duration(n) * time.Millisecond) }
