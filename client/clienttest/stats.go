package clienttest

// KeyStats counts requests and refusals.
type KeyStats struct {
	Requests             int64 // requests served (every answer, errors included)
	Errors               int64 // answers with status >= 400
	RateLimited          int64 // 429 rate_limit_exceeded
	QuotaExceeded        int64 // 429 quota_exceeded
	SignatureReplays     int64 // 401 signature_replay
	InvalidSignatures    int64 // 401 invalid_signature
	SignatureRequired    int64 // 401 signature_required
	Unauthenticated      int64 // 401 authentication_required and invalid_token
	ScopeDenied          int64 // 403 scope_denied
	IdempotencyConflicts int64 // 409 idempotency_conflict
	IdempotentReplays    int64 // stored responses replayed
	ServerErrors         int64 // 5xx, injected ones included
	Dropped              int64 // connections closed unanswered by DropAfterProcessing (Total only)
}

// Stats is a snapshot of the server's counters.
type Stats struct {
	Total      KeyStats           // every request, with or without a key
	Keys       map[int64]KeyStats // per Key.ID, for requests that named a known key
	Operations map[string]int64   // requests per operation name
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Stats{Total: s.total, Keys: map[int64]KeyStats{}, Operations: map[string]int64{}}
	for _, k := range s.keys {
		st.Keys[k.ID] = k.stats
	}
	for n, c := range s.opCounts {
		st.Operations[n] = c
	}
	return st
}
