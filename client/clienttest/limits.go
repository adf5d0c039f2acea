package clienttest

import (
	"net/http"
	"strconv"
	"time"
)

// rateWindow is a fixed window of the per-key rate limit.
type rateWindow struct {
	start time.Time
	count int
}

// quotaUsage counts a key's requests in the current UTC day and month.
type quotaUsage struct {
	day, month         string
	dayUsed, monthUsed int
}

func ceilSeconds(d time.Duration) int {
	n := int((d + time.Second - 1) / time.Second)
	if n < 1 {
		n = 1
	}
	return n
}

// rateLimit counts the request in the key's window and sets X-RateLimit-*.
func (s *Server) rateLimit(k *keyState, now time.Time, h http.Header) *apiError {
	limit := s.cfg.rateLimit
	if limit <= 0 {
		return nil
	}
	win := s.cfg.rateWindow
	if k.rate.start.IsZero() || !now.Before(k.rate.start.Add(win)) || now.Before(k.rate.start) {
		// Like Laravel's limiter, a window starts on a whole second, so
		// X-RateLimit-Reset (Unix seconds) names its end exactly.
		k.rate = rateWindow{start: now.Truncate(time.Second)}
	}
	reset := k.rate.start.Add(win)
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	if k.rate.count >= limit {
		h.Set("X-RateLimit-Remaining", "0")
		e := errf(http.StatusTooManyRequests, "rate_limit_exceeded", "Too many requests.", nil)
		e.retryAfter = ceilSeconds(reset.Sub(now))
		return e
	}
	k.rate.count++
	h.Set("X-RateLimit-Remaining", strconv.Itoa(limit-k.rate.count))
	return nil
}

func nextDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}

func nextMonth(t time.Time) time.Time {
	y, m, _ := t.Date()
	return time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)
}

// spendQuota counts the request against the daily and monthly quotas and
// sets X-Api-Quota-*.
func (s *Server) spendQuota(k *keyState, now time.Time, h http.Header) *apiError {
	day, month := now.Format("2006-01-02"), now.Format("2006-01")
	q := &k.quota
	if q.day != day {
		q.day, q.dayUsed = day, 0
	}
	if q.month != month {
		q.month, q.monthUsed = month, 0
	}
	dl, ml := s.cfg.dailyQuota, s.cfg.monthlyQuota
	var e *apiError
	switch {
	case dl > 0 && q.dayUsed >= dl:
		e = errf(http.StatusTooManyRequests, "quota_exceeded", "The daily API quota is used up.",
			map[string]any{"period": "day", "limit": dl})
		e.retryAfter = ceilSeconds(nextDay(now).Sub(now))
	case ml > 0 && q.monthUsed >= ml:
		e = errf(http.StatusTooManyRequests, "quota_exceeded", "The monthly API quota is used up.",
			map[string]any{"period": "month", "limit": ml})
		e.retryAfter = ceilSeconds(nextMonth(now).Sub(now))
	default:
		q.dayUsed++
		q.monthUsed++
	}
	if dl > 0 {
		h.Set("X-Api-Quota-Daily-Limit", strconv.Itoa(dl))
		h.Set("X-Api-Quota-Daily-Remaining", strconv.Itoa(max(dl-q.dayUsed, 0)))
	}
	if ml > 0 {
		h.Set("X-Api-Quota-Monthly-Limit", strconv.Itoa(ml))
		h.Set("X-Api-Quota-Monthly-Remaining", strconv.Itoa(max(ml-q.monthUsed, 0)))
	}
	return e
}
