package client

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client calls one exchanger's API. It is safe for concurrent use.
type Client struct {
	base   *url.URL // scheme://host/api/v3, no trailing slash
	hc     *http.Client
	token  string
	secret string
	retry  RetryPolicy
	logger *slog.Logger
}

// RetryPolicy says how a call is retried. See the package documentation for
// which calls are retried at all.
type RetryPolicy struct {
	MaxAttempts   int           // total attempts, first included
	MinBackoff    time.Duration // first backoff
	MaxBackoff    time.Duration // cap on one backoff
	MaxRetryAfter time.Duration // a longer Retry-After is returned to the caller, not slept
}

// Option configures a Client.
type Option func(*Client) error

// WithToken sets the Bearer token of the API key.
func WithToken(token string) Option {
	return func(c *Client) error { c.token = token; return nil }
}

// WithHMACSecret sets the key's HMAC secret; requests are then signed (v1).
func WithHMACSecret(secret string) Option {
	return func(c *Client) error { c.secret = secret; return nil }
}

// WithHTTPClient sets the HTTP client whose transport sends the requests.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("client: WithHTTPClient(nil)")
		}
		c.hc = hc
		return nil
	}
}

// WithRetry sets the retry policy.
func WithRetry(p RetryPolicy) Option {
	return func(c *Client) error { c.retry = p; return nil }
}

// WithLogger sets the logger; secrets are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error { c.logger = l; return nil }
}

// New returns a client for baseURL, which names the API root, for example
// https://exchanger.example/api/v3.
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil {
		return nil, err
	}
	c := &Client{base: u, hc: http.DefaultClient, logger: slog.New(discardHandler{})}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}
