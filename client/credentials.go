package client

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/iexkit/exchanger-go/signer"
)

// Credentials are an API key: the Bearer token and, if the key has one, its
// HMAC secret. Every formatted form (%v, %+v, %#v, %s, slog) hides both.
type Credentials struct {
	Token      string
	HMACSecret string // "" sends unsigned requests
}

const redacted = "REDACTED"

func mask(s string) string {
	if s == "" {
		return `""`
	}
	return redacted
}

// String hides the token and the secret.
func (c Credentials) String() string {
	return "client.Credentials{Token:" + mask(c.Token) + ", HMACSecret:" + mask(c.HMACSecret) + "}"
}

// GoString hides the token and the secret from %#v.
func (c Credentials) GoString() string { return c.String() }

// Format hides the token and the secret from every verb.
func (c Credentials) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue hides the token and the secret from slog.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("token", mask(c.Token)), slog.String("hmac_secret", mask(c.HMACSecret)))
}

// CredentialsSource supplies the current credentials, in the style of
// oauth2.TokenSource: a secret manager, a file that is re-read, a vault
// lease. It is asked before every attempt, so it should cache; it must be
// safe for concurrent use.
type CredentialsSource interface {
	Credentials(ctx context.Context) (Credentials, error)
}

// StaticCredentials is a CredentialsSource that always returns the same
// credentials.
type StaticCredentials Credentials

// Credentials returns c.
func (c StaticCredentials) Credentials(context.Context) (Credentials, error) {
	return Credentials(c), nil
}

// String hides the token and the secret.
func (c StaticCredentials) String() string { return Credentials(c).String() }

// GoString hides the token and the secret from %#v.
func (c StaticCredentials) GoString() string { return Credentials(c).String() }

// Format hides the token and the secret from every verb.
func (c StaticCredentials) Format(f fmt.State, verb rune) { Credentials(c).Format(f, verb) }

// LogValue hides the token and the secret from slog.
func (c StaticCredentials) LogValue() slog.Value { return Credentials(c).LogValue() }

// WithCredentialsSource makes the client ask src for the credentials before
// every attempt. It replaces WithToken and WithHMACSecret.
func WithCredentialsSource(src CredentialsSource) Option {
	return func(c *Client) error {
		if src == nil {
			return fmt.Errorf("client: WithCredentialsSource(nil)")
		}
		c.optSource = src
		return nil
	}
}

// keyring is one set of credentials with its signer, swapped atomically.
// Exactly one of static and source is set.
type keyring struct {
	static *Credentials
	mac    *signer.HMAC // for static, nil without a secret
	bearer string       // for static: "Bearer " + its token, built once
	source CredentialsSource
	origin string // where the HMAC secret came from (secret_hint.go); never the secret
}

func newStaticKeyring(cr Credentials) *keyring {
	k := &keyring{static: &cr}
	if cr.Token != "" {
		k.bearer = "Bearer " + cr.Token
	}
	if cr.HMACSecret != "" {
		k.mac = signer.NewHMAC(cr.HMACSecret)
	}
	return k
}

// current returns the credentials and signer for one attempt.
func (k *keyring) current(ctx context.Context) (Credentials, *signer.HMAC, error) {
	if k.static != nil {
		return *k.static, k.mac, nil
	}
	cr, err := k.source.Credentials(ctx)
	if err != nil {
		return Credentials{}, nil, fmt.Errorf("client: credentials source: %w", err)
	}
	if err := checkCredentials(cr); err != nil {
		return Credentials{}, nil, fmt.Errorf("client: credentials source: %w", err)
	}
	if cr.HMACSecret == "" {
		return cr, nil, nil
	}
	return cr, signer.NewHMAC(cr.HMACSecret), nil
}

// authorization is the Authorization header value for cr, the
// credentials current returned.
func (k *keyring) authorization(cr Credentials) string {
	if k.static != nil && cr.Token == k.static.Token {
		return k.bearer
	}
	return "Bearer " + cr.Token
}

// mayHaveToken reports whether a private call can be attempted.
func (k *keyring) mayHaveToken() bool {
	return k.source != nil || k.static.Token != ""
}

// SetCredentials swaps the client's credentials atomically, also replacing
// a CredentialsSource. Calls in flight finish their current attempt with the
// old key; every later attempt uses the new one. To check the new key before
// switching, use RotateCredentials. Credentials that cannot be sent as they
// are (whitespace around the token or the secret, a control character in
// the token) are refused with an error matching ErrInvalidCredentials, and
// the client keeps its old ones.
func (c *Client) SetCredentials(cr Credentials) error {
	if err := checkCredentials(cr); err != nil {
		return err
	}
	k := newStaticKeyring(cr)
	k.origin = originSetCredentials
	c.keys.Store(k)
	c.keyInfo.Store(nil)
	return nil
}

// SetCredentialsSource swaps the client's credentials for a source,
// atomically.
func (c *Client) SetCredentialsSource(src CredentialsSource) {
	if src == nil {
		return
	}
	c.keys.Store(&keyring{source: src, origin: originSource})
	c.keyInfo.Store(nil)
}
