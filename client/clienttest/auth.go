package clienttest

import (
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// authenticate runs the server's checks in its order (spec 3): token
// present, token known and active, API access, IP allow-list, scope, HMAC;
// then the rate limit and the quotas. On success rq.key is set.
func (s *Server) authenticate(rq *request, header http.Header) *apiError {
	auth := rq.r.Header.Get("Authorization")
	scheme, token, _ := strings.Cut(auth, " ")
	token = strings.TrimSpace(token)
	if auth == "" || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return errf(http.StatusUnauthorized, "authentication_required", "Unauthenticated.", nil)
	}
	k, ok := s.keys[token]
	if !ok || k.revoked || k.disabled || (!k.ExpiresAt.IsZero() && !rq.now.Before(k.ExpiresAt)) {
		return errf(http.StatusUnauthorized, "invalid_token", "The API token is invalid, disabled, revoked or expired.", nil)
	}
	rq.key = k
	if k.apiAccessDisabled {
		return errf(http.StatusForbidden, "api_access_disabled", "API access is not enabled for this client.", nil)
	}
	if len(k.allowed) > 0 && !ipAllowed(rq.r.RemoteAddr, k.allowed) {
		return errf(http.StatusForbidden, "ip_not_allowed", "The request IP is not in the token's allow-list.", nil)
	}
	if sc := rq.op.scope; sc != "" && !k.scopeSet[sc] {
		return errf(http.StatusForbidden, "scope_denied", "The API token does not have the required scope.",
			map[string][]string{"scope": {sc}})
	}
	if e := s.checkSignature(rq, k); e != nil {
		return e
	}
	k.lastUsed = rq.now
	if e := s.rateLimit(k, rq.now, header); e != nil {
		return e
	}
	return s.spendQuota(k, rq.now, header)
}

func ipAllowed(remoteAddr string, nets []*net.IPNet) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, n := range nets {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// countError records the error counters of Stats.
func (s *Server) countError(rq *request, e *apiError) {
	bump := func(f func(*KeyStats)) {
		f(&s.total)
		if rq.key != nil {
			f(&rq.key.stats)
		}
	}
	switch e.code {
	case "rate_limit_exceeded":
		bump(func(st *KeyStats) { st.RateLimited++ })
	case "quota_exceeded":
		bump(func(st *KeyStats) { st.QuotaExceeded++ })
	case "signature_replay":
		bump(func(st *KeyStats) { st.SignatureReplays++ })
	case "invalid_signature":
		bump(func(st *KeyStats) { st.InvalidSignatures++ })
	case "signature_required":
		bump(func(st *KeyStats) { st.SignatureRequired++ })
	case "authentication_required", "invalid_token":
		bump(func(st *KeyStats) { st.Unauthenticated++ })
	case "scope_denied":
		bump(func(st *KeyStats) { st.ScopeDenied++ })
	case "idempotency_conflict":
		bump(func(st *KeyStats) { st.IdempotencyConflicts++ })
	}
	if e.status >= 500 {
		bump(func(st *KeyStats) { st.ServerErrors++ })
	}
}

var isoTimestamp = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T`)

// parseTimestamp reads X-Api-Timestamp: Unix seconds, or ISO-8601.
func parseTimestamp(v string) (time.Time, bool) {
	if v == "" || len(v) > 64 {
		return time.Time{}, false
	}
	if strings.Trim(v, "0123456789") == "" {
		if len(v) > 12 {
			return time.Time{}, false
		}
		var n int64
		for _, c := range v {
			n = n*10 + int64(c-'0')
		}
		return time.Unix(n, 0), true
	}
	if !isoTimestamp.MatchString(v) {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
