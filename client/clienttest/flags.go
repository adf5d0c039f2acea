package clienttest

import (
	"flag"
	"fmt"
	"strings"
	"time"
)

// Flags are the settings of a fake exchanger that runs as a program of its
// own rather than inside a test: examples/fake-exchanger and `iex fake`
// read them from their command line, so both accept the same flags with
// the same meaning. DefaultFlags gives the values those programs start
// from; Register turns them into flags; Start runs the fake they describe.
type Flags struct {
	Addr       string // TCP address to listen on
	HMAC       string // which requests must be signed: "off", "writes" or "all"
	WebhookURL string // an endpoint for every event to register (Start does not: see Start)
	// Schedule lists the statuses, comma-separated, that every new order
	// walks through on its own; empty for none.
	Schedule     string
	Every        time.Duration // time between two steps of Schedule
	RateLimit    int           // requests per key per RateWindow; 0: no limit
	RateWindow   time.Duration
	DailyQuota   int           // requests per key per UTC day; 0: unlimited
	MonthlyQuota int           // requests per key per UTC month; 0: unlimited
	Latency      time.Duration // delay added to every response

	// Webhook deliveries: how they are retried, and the fault modes of a
	// real sender (see WithWebhookRetry, WithWebhookRetrySameSignature and
	// WithWebhookDropWindow), to try a receiver's catch-up by hand.
	WebhookAttempts      int           // attempts per delivery, first included, before the sender gives up
	WebhookBackoff       time.Duration // wait before the first retry; it doubles
	WebhookMaxBackoff    time.Duration // cap of that wait
	WebhookSameSignature bool          // retries resend the first attempt's timestamp, nonce and signature
	WebhookDropAfter     time.Duration // with WebhookDropFor: drop deliveries from this long after the start ...
	WebhookDropFor       time.Duration // ... for this long (0: drop none)
}

// DefaultFlags are the settings of a standalone fake: port 8080 on
// loopback, signatures required for writes, orders that walk to completed
// in 10-second steps, 600 requests a minute, and webhook deliveries retried
// over about a minute (6 attempts, from 1s to at most 1m apart), no faults.
func DefaultFlags() Flags {
	return Flags{
		Addr:       "127.0.0.1:8080",
		HMAC:       "writes",
		Schedule:   StatusProcessing + "," + StatusCompleted,
		Every:      10 * time.Second,
		RateLimit:  600,
		RateWindow: time.Minute,
		// A developer's receiver restarts; give it about a minute.
		WebhookAttempts:   6,
		WebhookBackoff:    time.Second,
		WebhookMaxBackoff: time.Minute,
	}
}

// Register defines one flag per field on fs, each defaulting to the
// field's current value and writing to it when parsed.
func (f *Flags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Addr, "addr", f.Addr, "TCP address to listen on")
	fs.StringVar(&f.HMAC, "hmac", f.HMAC, "which requests must be signed: off, writes or all")
	fs.StringVar(&f.WebhookURL, "webhook-url", f.WebhookURL, "register a webhook endpoint at this URL for every event")
	fs.StringVar(&f.Schedule, "schedule", f.Schedule, "statuses every new order walks through, comma-separated (empty: none)")
	fs.DurationVar(&f.Every, "every", f.Every, "time between two steps of -schedule")
	fs.IntVar(&f.RateLimit, "rate-limit", f.RateLimit, "requests per key per -rate-window (0: no limit)")
	fs.DurationVar(&f.RateWindow, "rate-window", f.RateWindow, "rate limit window")
	fs.IntVar(&f.DailyQuota, "daily-quota", f.DailyQuota, "requests per key per UTC day (0: unlimited)")
	fs.IntVar(&f.MonthlyQuota, "monthly-quota", f.MonthlyQuota, "requests per key per UTC month (0: unlimited)")
	fs.DurationVar(&f.Latency, "latency", f.Latency, "delay added to every response")
	fs.IntVar(&f.WebhookAttempts, "webhook-attempts", f.WebhookAttempts, "attempts per webhook delivery before the sender gives up")
	fs.DurationVar(&f.WebhookBackoff, "webhook-backoff", f.WebhookBackoff, "wait before the first retry of a delivery; it doubles")
	fs.DurationVar(&f.WebhookMaxBackoff, "webhook-max-backoff", f.WebhookMaxBackoff, "longest wait between two attempts of a delivery")
	fs.BoolVar(&f.WebhookSameSignature, "webhook-same-signature", f.WebhookSameSignature, "retries resend the first attempt's timestamp and signature (refused as stale once old)")
	fs.DurationVar(&f.WebhookDropAfter, "webhook-drop-after", f.WebhookDropAfter, "with -webhook-drop-for: start dropping deliveries this long after the start")
	fs.DurationVar(&f.WebhookDropFor, "webhook-drop-for", f.WebhookDropFor, "drop every webhook delivery for this long (the events stay in the events API)")
}

// Options checks the settings and returns the Options they stand for. An
// error names the flag at fault.
func (f Flags) Options() ([]Option, error) {
	mode, err := ParseHMACMode(f.HMAC)
	if err != nil {
		return nil, fmt.Errorf("-hmac: %w", err)
	}
	var statuses []string
	for _, st := range strings.Split(f.Schedule, ",") {
		if st = strings.TrimSpace(st); st == "" {
			continue
		}
		if _, ok := lookupStatus(st); !ok {
			return nil, fmt.Errorf("-schedule: unknown status %q (known: %s)", st, strings.Join(Statuses(), ", "))
		}
		statuses = append(statuses, st)
	}
	if len(statuses) > 0 && f.Every <= 0 {
		return nil, fmt.Errorf("-every must be positive, not %v", f.Every)
	}
	if f.RateLimit > 0 && f.RateWindow <= 0 {
		return nil, fmt.Errorf("-rate-window must be positive, not %v", f.RateWindow)
	}
	if f.DailyQuota < 0 || f.MonthlyQuota < 0 || f.Latency < 0 {
		return nil, fmt.Errorf("-daily-quota, -monthly-quota and -latency cannot be negative")
	}
	if f.WebhookAttempts < 1 || f.WebhookBackoff <= 0 || f.WebhookMaxBackoff < f.WebhookBackoff {
		return nil, fmt.Errorf("-webhook-attempts must be at least 1, -webhook-backoff positive and -webhook-max-backoff at least -webhook-backoff")
	}
	if f.WebhookDropAfter < 0 || f.WebhookDropFor < 0 {
		return nil, fmt.Errorf("-webhook-drop-after and -webhook-drop-for cannot be negative")
	}
	opts := []Option{
		WithAddr(f.Addr),
		WithKeyOptions(KeyOptions{Name: "fake-exchanger", HMAC: mode}),
		WithOrderSchedule(statuses, f.Every),
		WithRateLimit(f.RateLimit, f.RateWindow),
		WithQuota(f.DailyQuota, f.MonthlyQuota),
		WithWebhookRetry(f.WebhookAttempts, f.WebhookBackoff, f.WebhookMaxBackoff),
	}
	if f.WebhookSameSignature {
		opts = append(opts, WithWebhookRetrySameSignature())
	}
	if f.WebhookDropFor > 0 {
		opts = append(opts, WithWebhookDropWindow(f.WebhookDropAfter, f.WebhookDropFor))
	}
	return opts, nil
}

// Start checks the settings and starts the fake they describe, with extra
// options applied after them (WithLogger, say). The caller closes it.
// WebhookURL is not registered: call RegisterWebhook with it, which
// returns the endpoint's signing secret for the program to show.
func (f Flags) Start(extra ...Option) (*Server, error) {
	opts, err := f.Options()
	if err != nil {
		return nil, err
	}
	s, err := New(append(opts, extra...)...)
	if err != nil {
		return nil, err
	}
	s.SetLatency(f.Latency)
	return s, nil
}
