package client

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// Client calls one exchanger's API. It is safe for concurrent use. Its
// formatted forms (%v, %+v, %#v) show the base URL only, never credentials.
type Client struct {
	base      *url.URL // scheme://host/api/v3, no trailing slash
	baseURL   string   // base.String() without a trailing slash
	basePath  string   // base.EscapedPath(): each call's path is appended to it
	hc        *http.Client
	direct    bool // hc has no jar and no timeout: attempts go to hc.Transport directly (roundTrip)
	keys      atomic.Pointer[keyring]
	retry     RetryPolicy
	logger    *slog.Logger
	userAgent string
	timeout   time.Duration
	timeouts  *timeoutQueue // keeps the timeout of calls whose context has no deadline (calltimeout.go)
	maxBody   int64
	expiry    time.Duration // warn when the key expires within this window
	budget    *retryBudget
	clock     *skewClock
	limits    *limitTracker
	limiter   Limiter // shared by the processes of one key; nil: each client paces alone
	keyInfo   atomic.Pointer[KeyInfo]
	ids       *idSource // Idempotency-Keys and nonces (randid.go)

	// Option inputs, consumed by New.
	optToken, optSecret string
	optSecretOrigin     string // where optSecret came from, for the invalid_signature hint
	optSource           CredentialsSource
	optHC               *http.Client
	optInsecure         bool
	optAppUA            string
	optBudgetTokens     float64
	optBudgetRefill     float64
	now                 func() time.Time // the local clock; tests replace it
}

// RetryPolicy says how a call is retried. See the package documentation for
// which calls are retried at all. A zero field takes its default.
type RetryPolicy struct {
	MaxAttempts   int           // total attempts, first included; default 4, 1 turns retries off
	MinBackoff    time.Duration // first backoff; default 200ms
	MaxBackoff    time.Duration // cap on one backoff; default 5s
	MaxRetryAfter time.Duration // a longer Retry-After is returned to the caller, not slept; default 30s
}

// DefaultRetryPolicy is the policy of a client without WithRetry.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, MinBackoff: 200 * time.Millisecond, MaxBackoff: 5 * time.Second, MaxRetryAfter: 30 * time.Second}
}

// Defaults of the other options.
const (
	DefaultTimeout          = 30 * time.Second // per call, retries included, when ctx has no deadline
	DefaultMaxResponseBytes = 16 << 20         // 16 MiB
	DefaultExpiryWarning    = 7 * 24 * time.Hour
	DefaultRetryBudget      = 20  // retries in a burst, per client
	DefaultRetryRefill      = 1.0 // retries per second regained
)

// Option configures a Client.
type Option func(*Client) error

// WithToken sets the Bearer token of the API key.
func WithToken(token string) Option {
	return func(c *Client) error { c.optToken = token; return nil }
}

// WithHMACSecret sets the key's HMAC secret; requests are then signed (v1).
func WithHMACSecret(secret string) Option {
	return func(c *Client) error { c.optSecret, c.optSecretOrigin = secret, originOption; return nil }
}

// WithHTTPClient sets the HTTP client whose transport sends the requests.
// The client is copied, not changed: the copy gets the signing transport
// around hc.Transport and refuses redirects. hc's transport keeps its own
// response header limit (http.Transport.MaxResponseHeaderBytes; net/http's
// default is 10 MiB): set it there. A client without WithHTTPClient bounds
// the headers by WithMaxResponseBytes (at least 16 KiB, at most 1 MiB).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("client: WithHTTPClient(nil)")
		}
		c.optHC = hc
		return nil
	}
}

// WithRetry sets the retry policy; zero fields keep their default.
func WithRetry(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.MaxAttempts < 0 || p.MinBackoff < 0 || p.MaxBackoff < 0 || p.MaxRetryAfter < 0 {
			return errors.New("client: WithRetry: negative value")
		}
		d := DefaultRetryPolicy()
		if p.MaxAttempts == 0 {
			p.MaxAttempts = d.MaxAttempts
		}
		if p.MinBackoff == 0 {
			p.MinBackoff = d.MinBackoff
		}
		if p.MaxBackoff == 0 {
			p.MaxBackoff = d.MaxBackoff
		}
		if p.MaxBackoff < p.MinBackoff {
			p.MaxBackoff = p.MinBackoff
		}
		if p.MaxRetryAfter == 0 {
			p.MaxRetryAfter = d.MaxRetryAfter
		}
		c.retry = p
		return nil
	}
}

// WithRetryBudget sets the client's retry budget, a token bucket shared by
// all calls: every retry (not the first attempt) takes a token; tokens come
// back at refillPerSecond up to burst. When the bucket is empty calls fail
// after their first attempt, so a dead server does not multiply traffic.
func WithRetryBudget(burst int, refillPerSecond float64) Option {
	return func(c *Client) error {
		if burst < 0 || refillPerSecond < 0 {
			return errors.New("client: WithRetryBudget: negative value")
		}
		if math.IsNaN(refillPerSecond) || math.IsInf(refillPerSecond, 0) {
			return errors.New("client: WithRetryBudget: refill rate is not a finite number")
		}
		c.optBudgetTokens, c.optBudgetRefill = float64(burst), refillPerSecond
		return nil
	}
}

// WithLogger sets the logger; secrets are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error {
		if l == nil {
			return errors.New("client: WithLogger(nil)")
		}
		c.logger = l
		return nil
	}
}

// WithUserAgent puts the application's product token (e.g. "shop/1.4")
// before the SDK's own in the User-Agent header.
func WithUserAgent(product string) Option {
	return func(c *Client) error {
		if strings.ContainsAny(product, "\r\n") {
			return errors.New("client: WithUserAgent: line break")
		}
		c.optAppUA = product
		return nil
	}
}

// WithTimeout sets the time a call may take, retries included, when its
// context has no deadline (DefaultTimeout). 0 turns the default off.
func WithTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d < 0 {
			return errors.New("client: WithTimeout: negative")
		}
		c.timeout = d
		return nil
	}
}

// WithInsecureHTTP allows a plain http:// base URL for any host. Without it
// http:// is accepted only for the literal host localhost and loopback IP
// addresses (127.0.0.1, [::1]), since the token would travel in clear
// text; a name such as x.localhost is resolved through DNS and needs this
// option.
func WithInsecureHTTP() Option {
	return func(c *Client) error { c.optInsecure = true; return nil }
}

// WithMaxResponseBytes bounds the size of a response body
// (DefaultMaxResponseBytes); a larger body gives ErrResponseTooLarge. The
// transport the client builds for itself bounds the response headers by
// the same value, raised to 16 KiB and capped at 1 MiB; headers over it
// give a *RequestError matching ErrResponseTooLarge, never retried.
func WithMaxResponseBytes(n int64) Option {
	return func(c *Client) error {
		if n <= 0 {
			return errors.New("client: WithMaxResponseBytes: not positive")
		}
		c.maxBody = n
		return nil
	}
}

// WithKeyExpiryWarning sets how long before its expiry a key makes
// ClientHealth log a warning (DefaultExpiryWarning).
func WithKeyExpiryWarning(window time.Duration) Option {
	return func(c *Client) error { c.expiry = window; return nil }
}

// New returns a client for baseURL, which names the API root, for example
// https://exchanger.example/api/v3. A URL whose path does not end with
// /api/v3 (docs/api.md §1) is refused with an error matching
// ErrInvalidBaseURL that names the URL to use.
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:    u,
		retry:   DefaultRetryPolicy(),
		logger:  slog.New(discardHandler{}),
		timeout: DefaultTimeout,
		maxBody: DefaultMaxResponseBytes,
		expiry:  DefaultExpiryWarning,
		now:     time.Now,
		ids:     newIDSource(),

		optBudgetTokens: DefaultRetryBudget,
		optBudgetRefill: DefaultRetryRefill,
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if u.Scheme == "http" && !c.optInsecure && !isLoopback(u.Hostname()) {
		return nil, ErrInsecureURL
	}
	c.baseURL = u.String()
	c.basePath = u.EscapedPath()
	c.userAgent = userAgent(c.optAppUA)
	if c.timeout > 0 {
		c.timeouts = newTimeoutQueue(c.timeout)
	}
	c.clock = &skewClock{now: c.now}
	c.limits = newLimitTracker(c.limiter == nil)
	c.budget = newRetryBudget(c.optBudgetTokens, c.optBudgetRefill, c.now)
	c.hc = c.wrapHTTPClient(c.optHC)
	if c.optSource != nil {
		if c.optToken != "" || c.optSecret != "" {
			return nil, errors.New("client: WithCredentialsSource replaces WithToken and WithHMACSecret: use one or the other")
		}
		c.keys.Store(&keyring{source: c.optSource, origin: originSource})
	} else {
		cr := Credentials{Token: c.optToken, HMACSecret: c.optSecret}
		if err := checkCredentials(cr); err != nil {
			return nil, err
		}
		k := newStaticKeyring(cr)
		k.origin = c.optSecretOrigin
		c.keys.Store(k)
	}
	c.optToken, c.optSecret, c.optSource, c.optHC = "", "", nil, nil
	return c, nil
}

// wrapHTTPClient copies hc (or a tuned default) with the signing transport
// around its transport and redirects refused: a redirect would carry the
// credentials that the transport adds, and a signature only fits the path
// it was made for.
func (c *Client) wrapHTTPClient(hc *http.Client) *http.Client {
	var cp http.Client
	if hc != nil {
		cp = *hc
	}
	next := cp.Transport
	if next == nil {
		if hc != nil {
			next = http.DefaultTransport
		} else {
			t := defaultTransport()
			t.MaxResponseHeaderBytes = headerLimit(c.maxBody)
			next = t
		}
	}
	cp.Transport = &signingTransport{next: next, c: c}
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.direct = cp.Jar == nil && cp.Timeout == 0
	return &cp
}

// defaultIdleConns is how many idle connections the default transport keeps
// to the API host. net/http keeps 2 by default and DefaultTransport 100 over
// all hosts: with more callers than that at once, every call beyond the
// limit closes its connection when done and the next one dials again (on
// loopback, 64 callers against a limit of 32 spent a quarter of their time
// dialing). A client talks to one host, so the limit is per host and total.
const defaultIdleConns = 256

// defaultTransport is DefaultTransport's settings (proxy from the
// environment, dial and TLS timeouts, HTTP/2) with room for idle
// connections to the API host.
func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = defaultIdleConns
	t.MaxIdleConnsPerHost = defaultIdleConns
	return t
}

// isLoopback reports whether host is the literal name localhost or a
// loopback IP address. Other names, "x.localhost" among them, are looked up
// through the configured resolver (Go's resolver sends them to DNS), so
// they may reach another machine: they need WithInsecureHTTP for http.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// String shows the base URL only.
func (c *Client) String() string { return "client.Client{" + c.baseURL + "}" }

// GoString shows the base URL only.
func (c *Client) GoString() string { return c.String() }

// Format shows the base URL only, for every verb.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// BaseURL returns the API root the client calls.
func (c *Client) BaseURL() string { return c.baseURL }
