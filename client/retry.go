package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// peekLimit bounds how much of an error answer is read to learn its code
// before deciding on a retry; the rest stays readable for the final decode.
const peekLimit = 64 << 10

// checkRetry runs after every attempt (send): it learns from the answer
// (clock, rate limits) and decides whether to retry and after which wait
// (kept in st.wait). do turns the last response or error into the
// caller's error.
func (st *callState) checkRetry(ctx context.Context, resp *http.Response, err error) bool {
	c := st.c
	// Learn the answer's Remaining before the attempt stops counting as in
	// flight: the other way round, a goroutine pacing in between would see
	// the request neither in flight nor in Remaining, and send one too many.
	if resp != nil {
		st.learn(ctx, resp)
	}
	st.releasePace()
	if ctx.Err() != nil || st.fatal != nil {
		return false
	}
	if err != nil {
		if !retryableTransportError(err) {
			return false
		}
		return st.schedule(ctx, c.backoff(st.attempts), "transport error", plainRetry)
	}
	code := resp.StatusCode
	switch {
	case code == http.StatusTooManyRequests:
		ae := st.peek(resp)
		now := c.clock.serverNow()
		ra, ok := retryAfter(resp.Header, now)
		if !ok {
			if ae.Code == "quota_exceeded" {
				return false // a spent quota is waited out only on the server's word
			}
			ra = c.backoff(st.attempts)
		}
		if ae.Code != "quota_exceeded" {
			ra = rateLimitWait(ra, st.rate, st.rateOK, now)
		}
		if ra > c.retry.MaxRetryAfter {
			return false
		}
		if ok && ae.Code != "quota_exceeded" && !st.cl.public {
			// The server named when its window has room again. Such a wait
			// is the server's schedule, not a sign of trouble, so it does
			// not draw on the retry budget (see serverPaced). When the
			// answer carries the key's window (X-RateLimit-*), the window is
			// spent for every call of the client, not only this one.
			if st.rateOK {
				c.limits.holdUntil(now.Add(ra))
			}
			return st.schedule(ctx, ra, "429 "+ae.Code, serverPaced)
		}
		return st.schedule(ctx, ra, "429 "+ae.Code, plainRetry)
	case code >= 500 && code != http.StatusNotImplemented:
		st.peek(resp)
		wait := c.backoff(st.attempts)
		if ra, ok := retryAfter(resp.Header, c.clock.serverNow()); ok {
			if ra > c.retry.MaxRetryAfter {
				return false
			}
			wait = ra
		}
		return st.schedule(ctx, wait, strconv.Itoa(code), plainRetry)
	case code == http.StatusUnauthorized:
		// The server checks signatures before doing anything, so repeating
		// is safe for every method; each attempt has a fresh nonce anyway.
		ae := st.peek(resp)
		if ae.Code == "invalid_signature" && st.signed && st.skewOK {
			// A refused signature with another clock in its Date is the
			// evidence a clock correction needs (clock.go).
			c.clock.prove(st.skew)
		}
		switch {
		case ae.Code == "signature_replay" && !st.replayRetry:
			st.replayRetry = true
			return st.schedule(ctx, 0, "signature_replay", signatureRetry)
		case ae.Code == "invalid_signature" && st.signed && !st.skewRetried && c.clock.Offset() != st.offset:
			st.skewRetried = true
			return st.schedule(ctx, 0, "invalid_signature after clock correction", signatureRetry)
		case ae.Code == "invalid_token" && !st.rotationRetried && st.credentialsChanged(ctx):
			// The attempt carried a key that was replaced while it was in
			// flight and revoked since: the new key decides.
			st.rotationRetried = true
			return st.schedule(ctx, 0, "invalid_token after a credentials change", signatureRetry)
		}
	}
	return false
}

// retryKind says what a retry is, for the attempt count and the budget.
type retryKind int

const (
	// plainRetry: a failure retried after a backoff or Retry-After; it
	// counts as an attempt and draws on the retry budget.
	plainRetry retryKind = iota
	// serverPaced: a rate-limit 429 whose Retry-After fits the caller's
	// deadline and MaxRetryAfter. It counts as an attempt but does not draw
	// on the budget: the budget guards a failing server against retry
	// storms, while this retry is sent when the server said it has room,
	// and the pacer holds every call of the client until then. Drawing on
	// the budget here turned a busy but healthy key into caller-visible
	// 429s once the budget ran dry.
	serverPaced
	// signatureRetry: a signature refused for a reason the client fixed
	// (replay, clock, rotated key); free of the attempt count and budget.
	signatureRetry
)

// schedule approves a retry after wait if the call may be repeated, has
// attempts left, can wait that long within its deadline and the client's
// retry budget allows it (see retryKind).
func (st *callState) schedule(ctx context.Context, wait time.Duration, reason string, kind retryKind) bool {
	c := st.c
	signature := kind == signatureRetry
	if !signature && !st.mayRepeat() {
		return false
	}
	if st.cl.upload != nil && st.cl.upload.oneShot && st.uploadOpened.Load() {
		return false
	}
	if !signature && st.attempts >= c.retry.MaxAttempts {
		return false
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		return false
	}
	if kind == plainRetry && !c.budget.take() {
		c.logger.LogAttrs(ctx, slog.LevelWarn, "client: retry budget spent, not retrying",
			slog.String("method", st.cl.method), slog.String("path", st.cl.path), slog.String("reason", reason))
		return false
	}
	st.wait = wait
	c.logger.LogAttrs(ctx, slog.LevelDebug, "client: retrying",
		slog.String("method", st.cl.method), slog.String("path", st.cl.path), slog.String("reason", reason),
		slog.Int("attempt", st.attempts), slog.Duration("wait", wait))
	return true
}

// credentialsChanged reports whether the client's credentials now carry
// another token than the last attempt sent. A rotation check (a call with
// its own keys) never switches.
func (st *callState) credentialsChanged(ctx context.Context) bool {
	if st.cfg.keys != nil || st.cl.public {
		return false
	}
	cr, _, err := st.credentials(ctx)
	return err == nil && cr.Token != st.used.Token
}

// mayRepeat is the safe-to-retry rule: GET and HEAD, side-effect-free
// POSTs, and writes that carry an Idempotency-Key the server honours.
func (st *callState) mayRepeat() bool {
	switch st.cl.method {
	case http.MethodGet, http.MethodHead:
		return true
	}
	return st.cl.safe || (st.cl.idempotent && st.idemKey != "")
}

// backoff is exponential with full jitter: uniform in [0, min(MaxBackoff,
// MinBackoff * 2^(attempt-1))].
func (c *Client) backoff(attempt int) time.Duration {
	ceil := c.retry.MinBackoff
	for i := 1; i < attempt && ceil < c.retry.MaxBackoff; i++ {
		if ceil > c.retry.MaxBackoff/2 {
			ceil = c.retry.MaxBackoff // doubling would pass it, or overflow
			break
		}
		ceil *= 2
	}
	if ceil > c.retry.MaxBackoff {
		ceil = c.retry.MaxBackoff
	}
	if ceil <= 0 {
		return 0
	}
	if ceil == math.MaxInt64 {
		return rand.N(ceil) // ceil+1 overflows
	}
	return rand.N(ceil + 1)
}

// retryAfter parses Retry-After in both forms (seconds, HTTP-date); ok is
// false when absent or unreadable.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(365*24*time.Hour/time.Second) {
			n = int64(365 * 24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	if d < 0 {
		d = 0
	}
	return d, true
}

// rateLimitWait is the wait a rate-limit 429 asks for: its Retry-After,
// or less when the answer's X-RateLimit-Reset names an earlier end of the
// window. Retry-After has whole seconds and is rounded up, so on its own
// it would keep the client idle for up to a second of the next window.
func rateLimitWait(ra time.Duration, rl RateLimit, ok bool, now time.Time) time.Duration {
	if ok && rl.Reset.After(now) {
		if d := rl.Reset.Sub(now); d < ra {
			return d
		}
	}
	return ra
}

// retryableTransportError reports whether a transport error may be
// retried: not for TLS certificate problems, refused credentials or our own
// refusals, nor for response headers over the limit, which repeat
// identically.
func retryableTransportError(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.Is(err, errForeignHost), errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr):
		return false
	case headerTooLarge(err):
		return false
	case errors.Is(err, ErrUploadChanged):
		// The signed hash is the file's as it was: no attempt can match it.
		return false
	}
	return true
}

// peek reads the start of an error answer to learn its code, keeps it as
// the last error seen, and leaves the body readable from its start.
func (st *callState) peek(resp *http.Response) *APIError {
	head, _ := io.ReadAll(io.LimitReader(resp.Body, peekLimit))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	ae, _ := st.apiError(resp, head)
	if ae == nil {
		ae = &APIError{StatusCode: resp.StatusCode}
	}
	st.last = ae
	return ae
}

// releasePace tells the pacer that the last attempt was answered (or
// failed).
func (st *callState) releasePace() {
	if st.paceHeld {
		st.paceHeld = false
		st.c.limits.answered(st.paceEpoch)
	}
}

// learn takes the clock offset and rate-limit values from an answer.
func (st *callState) learn(ctx context.Context, resp *http.Response) {
	c := st.c
	// An answer with a Date (or from a cache) is not read for
	// meta.timestamp as well (applyMeta).
	st.sawDate = resp.Header.Get("Date") != "" || resp.Header.Get("Age") != ""
	st.skew, st.skewOK = c.clock.reading(resp.Header)
	if st.skewOK {
		c.clock.observe(st.skew)
	}
	st.rate, st.rateOK = parseRateLimit(resp.Header)
	st.quota, st.quotaOK = parseQuota(resp.Header)
	if st.cl.public {
		// Not counted against the key's window: nothing to pace by.
		return
	}
	c.limits.record(st.rate, st.rateOK, st.quota, st.quotaOK, c.clock.serverNow(), resp.StatusCode == http.StatusTooManyRequests)
	if c.limiter != nil && st.rateOK {
		if err := c.limiter.Observe(ctx, st.rate); err != nil {
			c.logger.LogAttrs(ctx, slog.LevelDebug, "client: shared rate limiter did not take the answer's window", slog.String("error", err.Error()))
		}
	}
}

// retryBudget is a token bucket of retries shared by a client's calls.
type retryBudget struct {
	mu     sync.Mutex
	tokens float64
	burst  float64
	refill float64 // tokens per second
	last   time.Time
	now    func() time.Time
}

func newRetryBudget(burst, refill float64, now func() time.Time) *retryBudget {
	return &retryBudget{tokens: burst, burst: burst, refill: refill, last: now(), now: now}
}

// take spends one retry token if there is one.
func (b *retryBudget) take() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if el := now.Sub(b.last); el > 0 {
		b.tokens += el.Seconds() * b.refill
		if b.tokens > b.burst {
			b.tokens = b.burst
		}
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
