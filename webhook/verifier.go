package webhook

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of a Verifier.
const (
	DefaultTolerance   = 5 * time.Minute
	DefaultMaxBodySize = 1 << 20 // 1 MiB
)

// maxHeaderLen bounds the signed header values. Real ids and nonces are a few
// dozen bytes; the bound keeps hostile headers from costing anything.
const maxHeaderLen = 256

// Verifier checks webhook deliveries. It is safe for concurrent use, including
// while secrets are added and removed. Create it with NewVerifier: a zero
// Verifier accepts nothing (Verify returns an error matching ErrNoSecret).
//
// A Verifier keeps no memory of what it verified: a delivery that verifies
// once verifies again when repeated (see Verify). Handler adds that memory
// with a Store.
type Verifier struct {
	secrets   atomic.Pointer[secretSet]
	rotate    sync.Mutex // serialises AddSecret and RemoveSecret
	tolerance time.Duration
	maxBody   int64
	now       func() time.Time
}

// Option configures a Verifier.
type Option func(*verifierConfig) error

type verifierConfig struct {
	secrets   []string
	tolerance time.Duration
	maxBody   int64
	now       func() time.Time
}

// WithTolerance sets the freshness window: a delivery whose timestamp is more
// than d away from now, in either direction, is rejected with ErrStale. The
// default is 5 minutes; 0 turns the check off.
func WithTolerance(d time.Duration) Option {
	return func(c *verifierConfig) error {
		if d < 0 {
			return fmt.Errorf("webhook: negative tolerance %v", d)
		}
		c.tolerance = d
		return nil
	}
}

// WithSecrets adds secrets accepted besides the first one, for rotation: a
// delivery signed with any of them verifies.
func WithSecrets(more ...string) Option {
	return func(c *verifierConfig) error {
		c.secrets = append(c.secrets, more...)
		return nil
	}
}

// WithMaxBodySize sets the largest body accepted, in bytes (default 1 MiB).
// Handler reads at most this many bytes.
func WithMaxBodySize(n int64) Option {
	return func(c *verifierConfig) error {
		if n <= 0 {
			return fmt.Errorf("webhook: body size limit must be positive, got %d", n)
		}
		c.maxBody = n
		return nil
	}
}

// WithClock sets the clock of the freshness check (default time.Now), for
// tests and replays.
func WithClock(now func() time.Time) Option {
	return func(c *verifierConfig) error {
		if now == nil {
			return fmt.Errorf("webhook: nil clock")
		}
		c.now = now
		return nil
	}
}

// NewVerifier returns a Verifier that accepts deliveries signed with secret or
// with any secret given through WithSecrets. Empty secrets are ignored;
// at least one non-empty secret is required (ErrNoSecret).
func NewVerifier(secret string, opts ...Option) (*Verifier, error) {
	c := verifierConfig{
		secrets:   []string{secret},
		tolerance: DefaultTolerance,
		maxBody:   DefaultMaxBodySize,
		now:       time.Now,
	}
	for _, o := range opts {
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	set := &secretSet{}
	for _, s := range c.secrets {
		if s != "" && set.indexOf(s) < 0 {
			set.keys = append(set.keys, newSecretKey(s))
		}
	}
	if len(set.keys) == 0 {
		return nil, ErrNoSecret
	}
	v := &Verifier{tolerance: c.tolerance, maxBody: c.maxBody, now: c.now}
	v.secrets.Store(set)
	return v, nil
}

// AddSecret starts accepting deliveries signed with secret, for example the
// new secret returned by rotate-secret. Adding a secret already present is a
// no-op.
func (v *Verifier) AddSecret(secret string) error {
	if secret == "" {
		return ErrNoSecret
	}
	if !v.configured() {
		return errZeroVerifier
	}
	v.rotate.Lock()
	defer v.rotate.Unlock()
	old := v.secrets.Load()
	if old.indexOf(secret) >= 0 {
		return nil
	}
	keys := make([]*secretKey, 0, len(old.keys)+1)
	keys = append(keys, old.keys...)
	v.secrets.Store(&secretSet{keys: append(keys, newSecretKey(secret))})
	return nil
}

// RemoveSecret stops accepting secret, for example the old secret once the
// new one is in use everywhere. It reports whether the secret was present and
// refuses to remove the last one (ErrLastSecret).
func (v *Verifier) RemoveSecret(secret string) (bool, error) {
	if !v.configured() {
		return false, nil
	}
	v.rotate.Lock()
	defer v.rotate.Unlock()
	old := v.secrets.Load()
	i := old.indexOf(secret)
	if i < 0 {
		return false, nil
	}
	if len(old.keys) == 1 {
		return false, ErrLastSecret
	}
	keys := make([]*secretKey, 0, len(old.keys)-1)
	keys = append(keys, old.keys[:i]...)
	v.secrets.Store(&secretSet{keys: append(keys, old.keys[i+1:]...)})
	return true, nil
}

// SecretCount returns how many secrets are accepted.
func (v *Verifier) SecretCount() int {
	if v == nil || v.secrets.Load() == nil {
		return 0
	}
	return len(v.secrets.Load().keys)
}

// errZeroVerifier is what a Verifier not made by NewVerifier answers.
var errZeroVerifier = fmt.Errorf("%w: a zero or nil webhook.Verifier accepts nothing; create it with NewVerifier", ErrNoSecret)

// configured reports whether v was made by NewVerifier: a zero Verifier
// has no secrets, no body limit and no freshness window.
func (v *Verifier) configured() bool { return v != nil && v.secrets.Load() != nil }

// MaxBodySize returns the largest body accepted, in bytes.
func (v *Verifier) MaxBodySize() int64 {
	if v == nil {
		return 0
	}
	return v.maxBody
}

// String describes the verifier without revealing any secret.
func (v *Verifier) String() string {
	if v == nil {
		return "webhook.Verifier(nil)"
	}
	return fmt.Sprintf("webhook.Verifier{secrets: %d, tolerance: %v, maxBody: %d}", v.SecretCount(), v.tolerance, v.maxBody)
}

// GoString is String: %#v must not print the secrets either.
func (v *Verifier) GoString() string { return v.String() }

// Format prints String for every verb, so no fmt verb reaches the fields.
func (v *Verifier) Format(f fmt.State, _ rune) { fmt.Fprint(f, v.String()) }

// Verify checks a delivery against its raw body and headers and returns the
// event it carries. It checks, in this order: the five X-Webhook-* headers are
// present and well formed, the body is within the size limit, the signature
// was made with one of the configured secrets (compared in constant time; the
// "sha256=" prefix is optional, any other prefix is rejected), the timestamp
// is within the freshness window, and the body is a JSON object.
//
// Failures are *VerifyError values matching ErrMissingHeader,
// ErrMalformedHeader, ErrMalformedTimestamp, ErrBodyTooLarge,
// ErrBadSignature, ErrStale or ErrNotJSON.
//
// Header names are looked up as net/http canonicalises them; when a map
// built by hand spells the signed headers otherwise (all lower-case, say),
// every header, the request and correlation ids too, is matched ignoring
// ASCII case.
//
// The returned Event's Body and Data share memory with body: do not modify
// body while the event is in use.
//
// Verify does not remember deliveries: the same delivery (a retry of the
// sender, or a replay by anyone who captured it) verifies again every time
// within the freshness window. Deduplicate by Event.ID before acting, as
// Handler does with its Store.
//
// A zero Verifier (not made by NewVerifier) returns an error matching
// ErrNoSecret for every delivery.
func (v *Verifier) Verify(h http.Header, body []byte) (*Event, error) {
	if !v.configured() {
		return nil, errZeroVerifier
	}
	hl := headerLookup{h: h}
	eventID, err := hl.signed(HeaderEventID)
	if err != nil {
		return nil, err
	}
	eventType, err := hl.signed(HeaderEventType)
	if err != nil {
		return nil, err
	}
	timestamp, err := hl.signed(HeaderTimestamp)
	if err != nil {
		return nil, err
	}
	nonce, err := hl.signed(HeaderNonce)
	if err != nil {
		return nil, err
	}
	signature, err := hl.signed(HeaderSignature)
	if err != nil {
		return nil, err
	}
	unix, ok := parseUnixSeconds(timestamp)
	if !ok {
		return nil, &VerifyError{Check: CheckTimestamp, Header: HeaderTimestamp, Detail: "want Unix seconds", Err: ErrMalformedTimestamp}
	}
	if int64(len(body)) > v.maxBody {
		return nil, &VerifyError{Check: CheckBodySize, Detail: fmt.Sprintf("%d bytes, limit %d", len(body), v.maxBody), Err: ErrBodyTooLarge}
	}
	var mac [sha256.Size]byte
	if detail := parseSignature(signature, &mac); detail != "" {
		return nil, &VerifyError{Check: CheckSignature, Header: HeaderSignature, Detail: detail, Err: ErrBadSignature}
	}
	sum := sha256.Sum256(body)
	buf := canonicalBufs.Get().(*[canonicalBufSize]byte)
	canon := appendCanonical(buf[:0], eventID, eventType, timestamp, nonce, &sum)
	authentic := v.secrets.Load().matches(canon, &mac)
	canonicalBufs.Put(buf)
	if !authentic {
		return nil, &VerifyError{Check: CheckSignature, Header: HeaderSignature, Detail: "no configured secret made this signature", Err: ErrBadSignature}
	}
	sent := time.Unix(unix, 0)
	if v.tolerance > 0 {
		skew := v.now().Sub(sent)
		if skew > v.tolerance || skew < -v.tolerance {
			return nil, &VerifyError{Check: CheckFreshness, Header: HeaderTimestamp,
				Detail: fmt.Sprintf("timestamp is %v away from now, tolerance %v", skew.Round(time.Second), v.tolerance), Err: ErrStale}
		}
	}
	env, err := scanEnvelope(body)
	if err != nil {
		return nil, &VerifyError{Check: CheckJSON, Detail: err.Error(), Err: ErrNotJSON}
	}
	return &Event{
		ID:            eventID,
		Type:          eventType,
		CreatedAt:     createdAtOf(env.createdAt),
		Data:          env.data,
		SentAt:        sent,
		Nonce:         nonce,
		RequestID:     cleanInfoHeader(hl.optional(HeaderRequestID)),
		CorrelationID: cleanInfoHeader(hl.optional(HeaderCorrelationID)),
		Body:          body,
	}, nil
}

// canonicalBufSize fits the longest canonical string the header limits allow.
const canonicalBufSize = 4*maxHeaderLen + 2*sha256.Size + 8

// canonicalBufs recycles canonical-string buffers: the buffer reaches the
// hash through an interface, so a stack array would escape to the heap on
// every delivery.
var canonicalBufs = sync.Pool{New: func() any { return new([canonicalBufSize]byte) }}

// headerLookup finds a delivery's headers by their canonical names.
// net/http canonicalises incoming names, so direct lookups almost always
// hit; on a miss it matches names case-insensitively, for headers copied by
// hand from sources that lower-case them (serverless gateways, other HTTP
// stacks).
type headerLookup struct {
	h http.Header
	// handmade is set once a required header was found only by its folded
	// name. Until then the map is net/http's own, and a missing optional
	// header is simply absent: no need to walk the map for it.
	handmade bool
}

// signed returns a required header, rejecting values that are empty,
// too long, or hold bytes outside visible ASCII (a newline would let a value
// forge extra lines of the canonical string; such values are never signed).
func (l *headerLookup) signed(name string) (string, error) {
	v, direct := headerValue(l.h, name, true)
	if !direct {
		l.handmade = true
	}
	s := v
	if len(s) > 0 && (!visibleASCII(s[0]) || !visibleASCII(s[len(s)-1])) {
		s = strings.TrimSpace(s) // net/http trims already; maps made by hand may not
	}
	if s == "" {
		return "", &VerifyError{Check: CheckHeader, Header: name, Err: ErrMissingHeader}
	}
	if len(s) > maxHeaderLen {
		return "", &VerifyError{Check: CheckHeader, Header: name, Detail: fmt.Sprintf("longer than %d bytes", maxHeaderLen), Err: ErrMalformedHeader}
	}
	for i := 0; i < len(s); i++ {
		if !visibleASCII(s[i]) {
			return "", &VerifyError{Check: CheckHeader, Header: name, Detail: "holds a space, control or non-ASCII byte", Err: ErrMalformedHeader}
		}
	}
	return s, nil
}

// visibleASCII reports whether c is a printable ASCII byte other than space.
func visibleASCII(c byte) bool { return c-0x21 < 0x7f-0x21 }

// optional returns an informational header (request and correlation ids),
// or "" when it is absent.
func (l *headerLookup) optional(name string) string {
	v, _ := headerValue(l.h, name, l.handmade)
	return v
}

// headerValue returns the first value of a header whose name is given in
// canonical form, and whether the direct lookup found it. On a miss, and
// only when fold is set, it matches names case-insensitively.
func headerValue(h http.Header, name string, fold bool) (string, bool) {
	v, ok := h[name]
	direct := ok
	if !ok && fold {
		for k, vals := range h {
			if asciiEqualFold(k, name) {
				v, ok = vals, true
				break
			}
		}
	}
	if !ok || len(v) == 0 {
		return "", direct
	}
	return v[0], direct
}

// asciiEqualFold compares header names ignoring ASCII case only: Unicode
// folding would let a name such as "X-Webhoo\u212a-Event-Id" (Kelvin sign)
// stand in for a real one.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// parseUnixSeconds accepts 1 to 12 decimal digits, nothing else: no sign, no
// fraction, no milliseconds disguised as seconds. Twelve digits cannot
// overflow an int64.
func parseUnixSeconds(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 12 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + int64(d)
	}
	return n, true
}

// parseSignature decodes "sha256=<64 hex>" or "<64 hex>" into mac. It returns
// a reason on failure, "" on success. It works on the string in place:
// converting the header to []byte would allocate on every delivery.
func parseSignature(s string, mac *[sha256.Size]byte) string {
	if i := strings.IndexByte(s, '='); i >= 0 {
		if s[:i+1] != SignaturePrefix {
			return "unsupported scheme, want sha256="
		}
		s = s[i+1:]
	}
	if len(s) != 2*sha256.Size {
		return "want 64 hex digits"
	}
	// Invalid digits decode as 0xff: or-ing all of them checks the 64 at
	// once, after the loop, instead of with a branch per digit.
	var bad byte
	for i := range mac {
		hi, lo := hexValue[s[2*i]], hexValue[s[2*i+1]]
		bad |= hi | lo
		mac[i] = hi<<4 | lo
	}
	if bad > 0x0f {
		return "want 64 hex digits"
	}
	return ""
}

// hexValue maps a hex digit of either case to its value, and every other
// byte to 0xff.
var hexValue = func() (t [256]byte) {
	for c := range t {
		switch {
		case '0' <= c && c <= '9':
			t[c] = byte(c - '0')
		case 'a' <= c && c <= 'f':
			t[c] = byte(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			t[c] = byte(c - 'A' + 10)
		default:
			t[c] = 0xff
		}
	}
	return t
}()

// cleanInfoHeader keeps an unsigned informational header only when it is
// short and printable, so it can be logged as is.
func cleanInfoHeader(s string) string {
	if len(s) > maxHeaderLen {
		return ""
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return ""
		}
	}
	return s
}
