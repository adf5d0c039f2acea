package signer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
)

// BodySHA256 returns the lowercase hex SHA-256 of body, the fifth line of the
// canonical string. Hash the exact bytes sent; an empty body hashes to
// EmptyBodySHA256.
func BodySHA256(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// FileSHA256 streams r through SHA-256 and returns the lowercase hex digest,
// so that a file is hashed without being held in memory. For multipart
// uploads this is both the X-Api-File-Sha256 value and the body hash that is
// signed. A read error is returned wrapped, with no digest.
func FileSHA256(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", fmt.Errorf("signer: hashing file: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
