package signer

import "strings"

// Payload is everything a v1 signature covers.
type Payload struct {
	Method     string // HTTP method; upper-cased when canonicalized
	Path       string // path as sent, including /api/v3, without the query
	RawQuery   string // query as sent on the wire, without the leading '?'
	BodySHA256 string // hex SHA-256 of the body bytes (of the file for uploads)
	Timestamp  string // exactly as in X-Api-Timestamp
	Nonce      string // exactly as in X-Api-Nonce
}

// Canonical returns the seven-line v1 canonical string, lines joined by '\n'
// with no trailing newline.
func (p Payload) Canonical() string {
	return "v1\n" + strings.ToUpper(p.Method) + "\n" + p.Path + "\n" + CanonicalQuery(p.RawQuery) + "\n" +
		p.BodySHA256 + "\n" + p.Timestamp + "\n" + p.Nonce
}
