package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"hash"
	"strings"
	"sync"
)

// HMAC signs and verifies v1 payloads with one secret. It is safe for
// concurrent use. Create it with NewHMAC; the zero HMAC signs nothing (Sign
// returns "") and verifies nothing (Verify returns false).
//
// Its formatted forms (%v, %+v, %#v, String) never show the secret.
type HMAC struct {
	// The secret lives behind a pointer so that printing an HMAC value,
	// even with %+v, shows an address and never the key bytes.
	k *hmacKey
}

// hmacKey holds the secret and a pool of HMAC-SHA256 states keyed with it:
// keying costs two SHA-256 blocks and allocations, and Reset keeps the key,
// so a state is reused rather than rebuilt for every signature.
type hmacKey struct {
	secret []byte
	states sync.Pool // of *signState
}

// signState is the per-signature scratch: a keyed MAC, the buffer the
// canonical string is built in, and room for the sum.
type signState struct {
	mac       hash.Hash
	canonical []byte
	sum       [sha256.Size]byte
}

// maxPooledCanonical bounds the buffer a pooled state keeps, so that one huge
// query does not pin memory for the life of the HMAC.
const maxPooledCanonical = 64 << 10

// NewHMAC returns a signer keyed with secret (the API key's HMAC secret).
func NewHMAC(secret string) *HMAC {
	k := &hmacKey{secret: []byte(secret)}
	k.states.New = func() any {
		return &signState{
			mac:       hmac.New(sha256.New, k.secret),
			canonical: make([]byte, 0, 512),
		}
	}
	return &HMAC{k: k}
}

// Sign returns the X-Api-Signature value for p: "sha256=" followed by the
// lowercase hex HMAC-SHA256 of p.Canonical().
func (h *HMAC) Sign(p Payload) string {
	if h == nil || h.k == nil {
		return ""
	}
	var out [len(SignaturePrefix) + 2*sha256.Size]byte
	copy(out[:], SignaturePrefix)
	sum := h.k.sum(p)
	hex.Encode(out[len(SignaturePrefix):], sum[:])
	return string(out[:])
}

// Verify reports whether signatureHeader is the signature of p. Like the
// server, it accepts "sha256=<hex>" and the bare hex, lowercase; it compares
// in constant time.
func (h *HMAC) Verify(p Payload, signatureHeader string) bool {
	if h == nil || h.k == nil {
		return false
	}
	got := strings.TrimPrefix(signatureHeader, SignaturePrefix)
	if len(got) != 2*sha256.Size {
		return false
	}
	var want [2 * sha256.Size]byte
	sum := h.k.sum(p)
	hex.Encode(want[:], sum[:])
	return subtle.ConstantTimeCompare(want[:], []byte(got)) == 1
}

// sum returns the HMAC-SHA256 of p's canonical string.
func (k *hmacKey) sum(p Payload) [sha256.Size]byte {
	s := k.states.Get().(*signState)
	s.canonical = p.appendCanonical(s.canonical[:0])
	s.mac.Reset()
	s.mac.Write(s.canonical)
	s.mac.Sum(s.sum[:0])
	sum := s.sum
	if cap(s.canonical) <= maxPooledCanonical {
		k.states.Put(s)
	}
	return sum
}

// String hides the secret.
func (h HMAC) String() string { return "signer.HMAC{secret:REDACTED}" }

// GoString hides the secret from %#v.
func (h HMAC) GoString() string { return h.String() }
