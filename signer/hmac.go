package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// HMAC signs and verifies v1 payloads with one secret. It is safe for
// concurrent use. Its formatted forms never show the secret.
type HMAC struct {
	key []byte
}

// NewHMAC returns a signer keyed with secret.
func NewHMAC(secret string) *HMAC {
	return &HMAC{key: []byte(secret)}
}

// Sign returns the X-Api-Signature value for p: "sha256=" + 64 lowercase hex.
func (h *HMAC) Sign(p Payload) string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(p.Canonical()))
	return SignaturePrefix + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether signatureHeader is a valid signature of p. It accepts
// the value with or without the "sha256=" prefix and compares in constant time.
func (h *HMAC) Verify(p Payload, signatureHeader string) bool {
	want := h.Sign(p)[len(SignaturePrefix):]
	got := strings.TrimPrefix(signatureHeader, SignaturePrefix)
	return hmac.Equal([]byte(want), []byte(got))
}

// String hides the secret.
func (h *HMAC) String() string { return "signer.HMAC{secret:REDACTED}" }

// GoString hides the secret from %#v.
func (h *HMAC) GoString() string { return h.String() }
