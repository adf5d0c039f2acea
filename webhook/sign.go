package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// Sign returns the X-Webhook-Signature value ("sha256=" + lowercase hex) of a
// delivery: HMAC-SHA256 with the endpoint's webhook secret over the six-line
// v1 canonical string (v1, event id, event type, timestamp, nonce, hex SHA-256
// of the raw body).
func Sign(secret, eventID, eventType, timestamp, nonce string, body []byte) string {
	sum := sha256.Sum256(body)
	var buf [256]byte
	canon := appendCanonical(buf[:0], eventID, eventType, timestamp, nonce, &sum)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(canon)
	var mac [sha256.Size]byte
	return SignaturePrefix + hex.EncodeToString(m.Sum(mac[:0]))
}

// Canonical returns the v1 canonical string of a delivery, the exact bytes
// that Sign authenticates. It is meant for debugging a signature mismatch.
func Canonical(eventID, eventType, timestamp, nonce string, body []byte) string {
	sum := sha256.Sum256(body)
	return string(appendCanonical(nil, eventID, eventType, timestamp, nonce, &sum))
}

// appendCanonical appends the six canonical lines to dst. It takes the body's
// digest rather than the body so that a verifier hashes the body only once,
// however many secrets it tries.
func appendCanonical(dst []byte, eventID, eventType, timestamp, nonce string, bodySum *[sha256.Size]byte) []byte {
	dst = append(dst, "v1\n"...)
	dst = append(dst, eventID...)
	dst = append(dst, '\n')
	dst = append(dst, eventType...)
	dst = append(dst, '\n')
	dst = append(dst, timestamp...)
	dst = append(dst, '\n')
	dst = append(dst, nonce...)
	dst = append(dst, '\n')
	return hex.AppendEncode(dst, bodySum[:])
}
