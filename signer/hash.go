package signer

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
)

// BodySHA256 returns the lowercase hex SHA-256 of body.
func BodySHA256(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// FileSHA256 streams r through SHA-256 and returns the lowercase hex digest,
// so that a file is hashed without being held in memory.
func FileSHA256(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
