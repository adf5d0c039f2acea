package client

import (
	"errors"
	"os"
)

// Environment variables read by FromEnv and NewFromEnv.
const (
	EnvBaseURL    = "IEX_API_BASE_URL"
	EnvToken      = "IEX_API_TOKEN"
	EnvHMACSecret = "IEX_API_HMAC_SECRET"
)

// FromEnv takes the token and the HMAC secret from IEX_API_TOKEN and
// IEX_API_HMAC_SECRET, when set. Options after it override them.
func FromEnv() Option {
	return func(c *Client) error {
		if v, ok := os.LookupEnv(EnvToken); ok {
			c.optToken = v
		}
		if v, ok := os.LookupEnv(EnvHMACSecret); ok {
			c.optSecret, c.optSecretOrigin = v, originEnv
		}
		return nil
	}
}

// NewFromEnv returns a client for IEX_API_BASE_URL with the credentials of
// FromEnv, then opts applied.
func NewFromEnv(opts ...Option) (*Client, error) {
	base := os.Getenv(EnvBaseURL)
	if base == "" {
		return nil, errors.New("client: " + EnvBaseURL + " is not set")
	}
	return New(base, append([]Option{FromEnv()}, opts...)...)
}
