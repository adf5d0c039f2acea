package clienttest

import (
	"log/slog"
	"net/http"
	"time"
)

// Option configures a Server.
type Option func(*config)

type config struct {
	addr           string
	seed           Seed
	clock          func() time.Time
	rateLimit      int
	rateWindow     time.Duration
	dailyQuota     int
	monthlyQuota   int
	sigWindow      time.Duration
	idemTTL        time.Duration
	key            KeyOptions
	schedule       []string
	scheduleEvery  time.Duration
	whAttempts     int
	whBackoff      time.Duration
	whMaxBackoff   time.Duration
	whClient       *http.Client
	logger         *slog.Logger
	retryAfterDate bool
	whSameHeaders  bool          // WithWebhookRetrySameSignature
	whDropAfter    time.Duration // WithWebhookDropWindow
	whDropFor      time.Duration
}

func defaultConfig() config {
	return config{
		addr:         "127.0.0.1:0",
		seed:         DefaultSeed(),
		clock:        time.Now,
		rateLimit:    1000,
		rateWindow:   time.Minute,
		sigWindow:    5 * time.Minute,
		idemTTL:      24 * time.Hour,
		key:          KeyOptions{Name: "default", HMAC: HMACWrites},
		whAttempts:   5,
		whBackoff:    50 * time.Millisecond,
		whMaxBackoff: 2 * time.Second,
		logger:       slog.New(discardHandler{}),
	}
}

// WithAddr sets the TCP address the server listens on (default
// "127.0.0.1:0", a free loopback port).
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithSeed replaces the payment systems and routes the server starts with.
func WithSeed(s Seed) Option { return func(c *config) { c.seed = s.clone() } }

// WithClock sets the server's clock (default time.Now). SetClockSkew moves it
// further. Timers (webhook retries, order schedules, latency) always run on
// real time, so a frozen clock does not stop them.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.clock = now
		}
	}
}

// WithRateLimit allows n private requests per key per window (default 1000
// per minute). Requests over the limit get 429 rate_limit_exceeded with
// Retry-After. n <= 0 turns the limit off.
func WithRateLimit(n int, window time.Duration) Option {
	return func(c *config) {
		c.rateLimit = n
		if window > 0 {
			c.rateWindow = window
		}
	}
}

// WithQuota sets the daily and monthly request quotas per key (0: unlimited,
// the default). A spent quota gives 429 quota_exceeded with Retry-After until
// the next UTC day or month.
func WithQuota(daily, monthly int) Option {
	return func(c *config) { c.dailyQuota, c.monthlyQuota = daily, monthly }
}

// WithSignatureWindow sets how far X-Api-Timestamp may be from the server's
// clock, and how long a nonce is remembered (default 5 minutes).
func WithSignatureWindow(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.sigWindow = d
		}
	}
}

// WithKeyOptions sets the options of the key the server creates at start
// (Server.Key). The default key has every scope and requires HMAC for writes.
func WithKeyOptions(o KeyOptions) Option { return func(c *config) { c.key = o } }

// WithOrderSchedule makes every new order walk through statuses on its own,
// one step every interval (real time): for example
// []string{StatusProcessing, StatusCompleted}. The walk stops when someone
// else (the API or AdvanceOrder) changes the order's status.
func WithOrderSchedule(statuses []string, every time.Duration) Option {
	return func(c *config) {
		c.schedule = append([]string(nil), statuses...)
		c.scheduleEvery = every
	}
}

// WithRetryAfterDate makes 429 and 503 answers carry Retry-After as an
// HTTP-date (on the server's clock) instead of delta-seconds; both forms are
// legal HTTP and clients must read both.
func WithRetryAfterDate() Option { return func(c *config) { c.retryAfterDate = true } }

// WithWebhookRetry sets how webhook deliveries are retried: at most attempts
// attempts in all, waiting backoff, 2*backoff, 4*backoff ... capped at
// maxBackoff between them (default 5 attempts, 50ms, capped at 2s).
func WithWebhookRetry(attempts int, backoff, maxBackoff time.Duration) Option {
	return func(c *config) {
		if attempts > 0 {
			c.whAttempts = attempts
		}
		if backoff > 0 {
			c.whBackoff = backoff
		}
		if maxBackoff > 0 {
			c.whMaxBackoff = maxBackoff
		}
	}
}

// WithWebhookClient sets the HTTP client that delivers webhooks (default: a
// client with a 5-second timeout).
func WithWebhookClient(hc *http.Client) Option { return func(c *config) { c.whClient = hc } }

// WithLogger sets a logger for the server's own diagnostics (webhook delivery
// failures, dropped connections). Tokens and secrets are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger = l
		}
	}
}
