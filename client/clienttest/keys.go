package clienttest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"regexp"
	"sort"
	"time"
)

// HMACMode says which requests of a key must be signed.
type HMACMode int

const (
	// HMACOff: signatures are not required (but checked when sent).
	HMACOff HMACMode = iota
	// HMACWrites: POST, PUT, PATCH and DELETE must be signed.
	HMACWrites
	// HMACAll: every private request must be signed.
	HMACAll
)

// String returns "off", "writes" or "all".
func (m HMACMode) String() string {
	switch m {
	case HMACWrites:
		return "writes"
	case HMACAll:
		return "all"
	}
	return "off"
}

// ParseHMACMode parses "off", "writes" or "all".
func ParseHMACMode(s string) (HMACMode, error) {
	switch s {
	case "off":
		return HMACOff, nil
	case "writes":
		return HMACWrites, nil
	case "all":
		return HMACAll, nil
	}
	return HMACOff, fmt.Errorf("clienttest: unknown HMAC mode %q (want off, writes or all)", s)
}

// KeyOptions describes an API key to create.
type KeyOptions struct {
	Name string // shown by /private/health/client and /private/usage
	// Scopes granted, with or without the "public-api:" prefix; nil grants
	// every scope. A non-nil empty slice grants none. Names that no
	// operation requires are accepted (and match nothing).
	Scopes    []string
	HMAC      HMACMode  // which requests must be signed
	ExpiresAt time.Time // zero: never expires
	Disabled  bool      // the key exists but is not active (401 invalid_token)
	// APIAccessDisabled models a client whose API access the administrator
	// has not enabled (403 api_access_disabled).
	APIAccessDisabled bool
	// AllowedIPs, when set, is the key's allow-list of client IPs or CIDRs
	// (403 ip_not_allowed for others).
	AllowedIPs []string
	// ClientID owns the key; orders are visible to their owner only. Zero is
	// the server's default client (id 1).
	ClientID int64
}

// Key is an API key of the fake: its Bearer token and HMAC secret. Its
// formatted forms (String, GoString, every fmt verb) never show the secrets.
type Key struct {
	ID         int64
	Name       string
	Token      string
	HMACSecret string
	Scopes     []string // full scope names ("public-api:...")
	HMAC       HMACMode
	ExpiresAt  time.Time
	ClientID   int64
}

// String describes the key without its secrets.
func (k Key) String() string {
	return fmt.Sprintf("clienttest.Key{ID:%d Name:%q Token:REDACTED HMACSecret:REDACTED Scopes:%d HMAC:%s}",
		k.ID, k.Name, len(k.Scopes), k.HMAC)
}

// GoString is String, for %#v.
func (k Key) GoString() string { return k.String() }

// Format prints String for every verb, so that no verb (%x, %d, %+v ...) can
// reach the secret fields.
func (k Key) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(k.String())) }

var scopeName = regexp.MustCompile(`^[a-z][a-z0-9_-]*(:[a-z0-9_*-]+)+$`)

// keyState is the server's record of a key.
type keyState struct {
	Key
	scopeSet          map[string]bool
	disabled          bool
	revoked           bool
	apiAccessDisabled bool
	allowed           []*net.IPNet
	nonces            map[string]time.Time // nonce -> expiry
	noncePurge        time.Time            // next sweep of expired nonces
	lastUsed          time.Time
	rate              rateWindow
	quota             quotaUsage
	stats             KeyStats
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("clienttest: crypto/rand: " + err.Error()) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

// newKeyState validates o and builds the key record; the caller holds s.mu.
func (s *Server) newKeyState(o KeyOptions) (*keyState, error) {
	ks := &keyState{scopeSet: map[string]bool{}, nonces: map[string]time.Time{}}
	if o.Scopes == nil {
		for _, sc := range allScopes() {
			ks.scopeSet[sc] = true
		}
	} else {
		for _, sc := range o.Scopes {
			// Scopes no operation of openapi.yaml requires (the prose's
			// orders:detail:read) are granted and simply never match.
			if !scopeName.MatchString(sc) {
				return nil, fmt.Errorf("clienttest: %q is not a scope name", sc)
			}
			ks.scopeSet[fullScope(sc)] = true
		}
	}
	for _, a := range o.AllowedIPs {
		if ip := net.ParseIP(a); ip != nil {
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			ks.allowed = append(ks.allowed, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(a)
		if err != nil {
			return nil, fmt.Errorf("clienttest: allowed IP %q is neither an IP nor a CIDR", a)
		}
		ks.allowed = append(ks.allowed, n)
	}
	s.nextKeyID++
	name := o.Name
	if name == "" {
		name = fmt.Sprintf("key-%d", s.nextKeyID)
	}
	client := o.ClientID
	if client == 0 {
		client = defaultClientID
	}
	ks.Key = Key{
		ID:         s.nextKeyID,
		Name:       name,
		Token:      fmt.Sprintf("%d|fake_%s", s.nextKeyID, randomHex(20)),
		HMACSecret: "hs_" + randomHex(24),
		HMAC:       o.HMAC,
		ExpiresAt:  o.ExpiresAt,
		ClientID:   client,
	}
	for sc := range ks.scopeSet {
		ks.Scopes = append(ks.Scopes, sc)
	}
	sort.Strings(ks.Scopes)
	ks.disabled = o.Disabled
	ks.apiAccessDisabled = o.APIAccessDisabled
	return ks, nil
}

// CreateKey creates another API key and returns it with its secrets.
func (s *Server) CreateKey(o KeyOptions) (Key, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ks, err := s.newKeyState(o)
	if err != nil {
		return Key{}, err
	}
	s.keys[ks.Token] = ks
	return ks.public(), nil
}

// Key returns the key the server created at start.
func (s *Server) Key() Key {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys[s.defaultToken].public()
}

func (k *keyState) public() Key {
	out := k.Key
	out.Scopes = append([]string(nil), k.Scopes...)
	return out
}

// RevokeKey revokes the key with this token: it stops working at once.
func (s *Server) RevokeKey(token string) error {
	return s.editKey(token, func(k *keyState) { k.revoked = true })
}

// DisableKey disables (true) or re-enables (false) the key with this token.
func (s *Server) DisableKey(token string, disabled bool) error {
	return s.editKey(token, func(k *keyState) { k.disabled = disabled })
}

func (s *Server) editKey(token string, f func(*keyState)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[token]
	if !ok {
		return ErrUnknownKey
	}
	f(k)
	return nil
}
