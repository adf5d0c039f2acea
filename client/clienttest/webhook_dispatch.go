package clienttest

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/iexkit/exchanger-go/webhook"
)

// job is one delivery attempt, prepared under the lock and sent without it.
type job struct {
	d       *delivery
	url     string
	header  http.Header
	body    []byte
	attempt int
}

// dispatchLoop sends due deliveries until Close. Each attempt runs in its own
// goroutine, so a slow receiver delays no other receiver.
func (s *Server) dispatchLoop() {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		s.mu.Lock()
		jobs, next := s.dueJobs(time.Now())
		s.mu.Unlock()
		for _, j := range jobs {
			s.wg.Add(1)
			go func(j job) {
				defer s.wg.Done()
				s.deliver(j)
			}(j)
		}
		wait := time.Hour
		if !next.IsZero() {
			wait = max(time.Until(next), time.Millisecond)
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(wait)
		select {
		case <-s.done:
			return
		case <-s.wake:
		case <-timer.C:
		}
	}
}

// dueJobs marks the deliveries that are due as sending and prepares their
// signed requests: a fresh timestamp and nonce on every attempt (unless
// WithWebhookRetrySameSignature), the same event id and body bytes. It returns the time of the next future attempt.
func (s *Server) dueJobs(now time.Time) ([]job, time.Time) {
	var jobs []job
	var next time.Time
	// One attempt in flight per endpoint, oldest first: events reach a
	// healthy receiver in the order they happened.
	busy := map[*endpoint]bool{}
	for _, d := range s.deliveries {
		if d.status == "sending" {
			busy[d.ep] = true
		}
	}
	for _, d := range s.deliveries {
		if d.status != "queued" || busy[d.ep] {
			continue
		}
		if d.due.After(now) {
			if next.IsZero() || d.due.Before(next) {
				next = d.due
			}
			continue
		}
		if d.ep.deleted || d.ep.status != "active" {
			d.status = "failed"
			d.err = map[string]any{"message": "The endpoint is " + map[bool]string{true: "deleted", false: d.ep.status}[d.ep.deleted] + "."}
			continue
		}
		d.status = "sending"
		busy[d.ep] = true
		d.attempt++
		stamp, nonce, sig := d.firstStamp, d.firstNonce, d.firstSig
		if !s.cfg.whSameHeaders || stamp == "" {
			stamp = strconv.FormatInt(s.now().Unix(), 10)
			nonce = "wh_" + randomHex(12)
			sig = webhook.Sign(d.ep.secret, d.ev.id, d.ev.typ, stamp, nonce, d.ev.body)
		}
		if d.firstStamp == "" {
			d.firstStamp, d.firstNonce, d.firstSig = stamp, nonce, sig
		}
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		h.Set("User-Agent", "iex-fake-exchanger/1 (clienttest)")
		h.Set("X-Webhook-Event-Id", d.ev.id)
		h.Set("X-Webhook-Event-Type", d.ev.typ)
		h.Set("X-Webhook-Timestamp", stamp)
		h.Set("X-Webhook-Nonce", nonce)
		h.Set("X-Webhook-Signature", sig)
		h.Set("X-Webhook-Attempt", strconv.Itoa(d.attempt))
		if d.ev.requestID != "" {
			h.Set("X-Request-Id", d.ev.requestID)
		}
		if d.ev.correlationID != "" {
			h.Set("X-Correlation-Id", d.ev.correlationID)
		}
		d.request = map[string]any{"url": d.ep.url, "method": http.MethodPost, "headers": map[string]string{
			"X-Webhook-Event-Id": d.ev.id, "X-Webhook-Event-Type": d.ev.typ, "X-Webhook-Timestamp": stamp,
			"X-Webhook-Nonce": nonce, "X-Webhook-Signature": h.Get("X-Webhook-Signature")}}
		jobs = append(jobs, job{d: d, url: d.ep.url, header: h, body: d.ev.body, attempt: d.attempt})
	}
	return jobs, next
}

// backoff is the wait after failed attempt n (1-based).
func (s *Server) backoff(n int) time.Duration {
	d := s.cfg.whBackoff
	for i := 1; i < n && d < s.cfg.whMaxBackoff; i++ {
		d *= 2
	}
	return min(d, s.cfg.whMaxBackoff)
}

const maxReceiverSnippet = 1 << 10

// deliver sends one attempt and records its outcome: 2xx is success,
// anything else (or no answer) is retried with backoff until the limit.
func (s *Server) deliver(j job) {
	req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, j.url, bytes.NewReader(j.body))
	var resp *http.Response
	if err == nil {
		req.Header = j.header
		resp, err = s.cfg.whClient.Do(req)
	}
	var status int
	var snippet []byte
	if err == nil {
		status = resp.StatusCode
		snippet, _ = io.ReadAll(io.LimitReader(resp.Body, maxReceiverSnippet))
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		_ = resp.Body.Close()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := j.d
	now := s.now()
	d.ep.lastDelivery = now
	if err == nil {
		d.response = map[string]any{"status": status, "body": string(snippet)}
		d.err = nil
	} else {
		d.response = nil
		d.err = map[string]any{"message": err.Error()}
	}
	if err == nil && status >= 200 && status < 300 {
		d.status, d.deliveredAt = "succeeded", now
		d.ep.lastSuccess, d.ep.failureCount = now, 0
		s.poke()
		return
	}
	d.ep.lastFailure = now
	d.ep.failureCount++
	if err != nil {
		s.cfg.logger.Warn("clienttest: webhook delivery failed", "delivery", d.id, "attempt", j.attempt, "err", err)
	} else {
		s.cfg.logger.Warn("clienttest: webhook delivery refused", "delivery", d.id, "attempt", j.attempt, "status", status)
	}
	select {
	case <-s.done:
		d.status = "failed"
		return
	default:
	}
	if d.attempt >= d.limit {
		d.status = "failed"
		s.poke()
		return
	}
	wait := s.backoff(d.attempt)
	d.status, d.due, d.nextRetryAt = "queued", time.Now().Add(wait), now.Add(wait)
	s.poke()
}

// WaitForDeliveries blocks until no webhook delivery is queued or being sent,
// or until timeout; it reports whether all settled. Tests use it before
// reading what their receiver got.
func (s *Server) WaitForDeliveries(timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		s.mu.Lock()
		busy := false
		for _, d := range s.deliveries {
			if d.status == "queued" || d.status == "sending" {
				busy = true
				break
			}
		}
		s.mu.Unlock()
		if !busy {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}
