package clienttest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/iexkit/exchanger-go/signer"
)

// idemEntry is a stored response for one (key, Idempotency-Key) pair.
type idemEntry struct {
	fingerprint string
	status      int
	header      http.Header
	body        []byte
	expires     time.Time
}

// fingerprint identifies "the same request": method, path, query and body
// (for uploads, the file hash, since the multipart boundary is random).
func fingerprint(rq *request) string {
	bodyHash := signer.BodySHA256(rq.body)
	if rq.multipart {
		bodyHash = "file:" + rq.r.Header.Get(signer.HeaderFileSHA256)
	}
	return rq.r.Method + " " + rq.r.URL.EscapedPath() + "?" + rq.r.URL.RawQuery + " " + bodyHash
}

// idempotencyLookup returns the stored response to replay, a 409 for a key
// reused with another request, or the slot to store this request's response.
func (s *Server) idempotencyLookup(rq *request) (slot string, replay *idemEntry, e *apiError) {
	if !rq.now.Before(s.idemPurge) { // sweep now and then, not on every request
		for k, v := range s.idem {
			if !rq.now.Before(v.expires) {
				delete(s.idem, k)
			}
		}
		s.idemPurge = rq.now.Add(purgeEvery)
	}
	slot = strconv.FormatInt(rq.key.ID, 10) + "\x00" + rq.idemKey
	if got, ok := s.idem[slot]; ok && !rq.now.Before(got.expires) {
		delete(s.idem, slot)
	}
	if got, ok := s.idem[slot]; ok {
		if got.fingerprint != fingerprint(rq) {
			return "", nil, errf(http.StatusConflict, "idempotency_conflict",
				"The Idempotency-Key was already used for a different request.", nil)
		}
		s.total.IdempotentReplays++
		rq.key.stats.IdempotentReplays++
		return "", got, nil
	}
	return slot, nil, nil
}

// idempotencyStore keeps a successful response for 24 hours. Failures are
// not stored: a corrected request may reuse its key.
func (s *Server) idempotencyStore(rq *request, slot string, status int, header http.Header, body []byte) {
	if status >= 300 {
		return
	}
	keep := http.Header{}
	for _, name := range []string{"Content-Type", "Location"} {
		if v := header.Get(name); v != "" {
			keep.Set(name, v)
		}
	}
	s.idem[slot] = &idemEntry{fingerprint: fingerprint(rq), status: status, header: keep, body: body,
		expires: rq.now.Add(s.cfg.idemTTL)}
}
