package clienttest

import (
	"net/http"
	"regexp"
	"time"

	"github.com/iexkit/exchanger-go/signer"
)

var hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

const maxNonceLen = 128

// purgeEvery spaces the sweeps of expired nonces and idempotency entries.
const purgeEvery = 10 * time.Second

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// checkSignature verifies HMAC v1 exactly like the server: it signs what it
// received (the escaped path, the canonical form of the raw query, the hash of
// the exact body bytes, or X-Api-File-Sha256 for multipart uploads), checks
// the timestamp against its own clock and refuses a nonce seen within the
// window. A key that does not require signing still has a signature checked
// when one is sent.
func (s *Server) checkSignature(rq *request, k *keyState) *apiError {
	h := rq.r.Header
	ts, nonce, sig := h.Get(signer.HeaderTimestamp), h.Get(signer.HeaderNonce), h.Get(signer.HeaderSignature)
	required := k.HMAC == HMACAll || (k.HMAC == HMACWrites && isWrite(rq.r.Method))
	if ts == "" && nonce == "" && sig == "" {
		if required {
			return errf(http.StatusUnauthorized, "signature_required", "This API token requires an HMAC request signature.", nil)
		}
		return nil
	}
	if ts == "" || nonce == "" || sig == "" {
		missing := []string{}
		for name, v := range map[string]string{signer.HeaderTimestamp: ts, signer.HeaderNonce: nonce, signer.HeaderSignature: sig} {
			if v == "" {
				missing = append(missing, name)
			}
		}
		return errf(http.StatusUnauthorized, "signature_required", "The HMAC signature headers are incomplete.",
			map[string]any{"missing_headers": missing})
	}
	bad := func(reason string, extra map[string]any) *apiError {
		d := map[string]any{"reason": reason}
		for k, v := range extra {
			d[k] = v
		}
		return errf(http.StatusUnauthorized, "invalid_signature", "The request signature is invalid.", d)
	}
	t, ok := parseTimestamp(ts)
	if !ok {
		return bad("timestamp_invalid", nil)
	}
	window := s.cfg.sigWindow
	if d := rq.now.Sub(t); d > window || d < -window {
		return bad("timestamp_out_of_window", map[string]any{
			"server_time": rq.now.Format(time.RFC3339), "window_seconds": int(window / time.Second)})
	}
	if len(nonce) > maxNonceLen {
		return bad("nonce_too_long", nil)
	}
	bodyHash := signer.BodySHA256(rq.body)
	if rq.multipart {
		bodyHash = h.Get(signer.HeaderFileSHA256)
		if !hex64.MatchString(bodyHash) {
			return bad("file_sha256_missing", nil)
		}
	}
	p := signer.Payload{
		Method:     rq.r.Method,
		Path:       rq.r.URL.EscapedPath(),
		RawQuery:   rq.r.URL.RawQuery,
		BodySHA256: bodyHash,
		Timestamp:  ts,
		Nonce:      nonce,
	}
	if !signer.NewHMAC(k.HMACSecret).Verify(p, sig) {
		// The canonical string holds no secret; showing it lets a developer
		// diff it against the one their client signed.
		return bad("mismatch", map[string]any{"canonical": p.Canonical()})
	}
	if !rq.now.Before(k.noncePurge) { // sweep now and then, not on every request
		for n, exp := range k.nonces {
			if !rq.now.Before(exp) {
				delete(k.nonces, n)
			}
		}
		k.noncePurge = rq.now.Add(purgeEvery)
	}
	if exp, seen := k.nonces[nonce]; seen && !rq.now.Before(exp) {
		delete(k.nonces, nonce)
	}
	if _, seen := k.nonces[nonce]; seen {
		return errf(http.StatusUnauthorized, "signature_replay", "This nonce was already used.", nil)
	}
	k.nonces[nonce] = rq.now.Add(window)
	rq.hmacVerified = true
	return nil
}
