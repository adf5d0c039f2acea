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
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("v1\n" + eventID + "\n" + eventType + "\n" + timestamp + "\n" + nonce + "\n" + hex.EncodeToString(sum[:])))
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}
