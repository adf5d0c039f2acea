package signer

import "slices"

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
// with no trailing newline:
//
//	v1
//	<METHOD>
//	<path>
//	<CanonicalQuery(RawQuery)>
//	<body SHA-256>
//	<timestamp>
//	<nonce>
//
// It is what the server signs, and what to compare when the server answers
// invalid_signature.
func (p Payload) Canonical() string {
	var scratch [512]byte
	return string(p.appendCanonical(scratch[:0]))
}

// appendCanonical appends the canonical string to dst.
func (p Payload) appendCanonical(dst []byte) []byte {
	// One growth for the fixed lines, which are then copied in place.
	n := len(dst)
	dst = slices.Grow(dst, len("v1\n\n\n")+len(p.Method)+len(p.Path))
	buf := dst[:cap(dst)]
	n += copy(buf[n:], "v1\n")
	// PHP's strtoupper is ASCII-only (PHP 8.2+), so this is too.
	for i := 0; i < len(p.Method); i++ {
		c := p.Method[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	buf[n] = '\n'
	n++
	n += copy(buf[n:], p.Path)
	buf[n] = '\n'
	dst = appendCanonicalQuery(buf[:n+1], p.RawQuery)
	n = len(dst)
	dst = slices.Grow(dst, len("\n\n\n")+len(p.BodySHA256)+len(p.Timestamp)+len(p.Nonce))
	buf = dst[:cap(dst)]
	buf[n] = '\n'
	n++
	n += copy(buf[n:], p.BodySHA256)
	buf[n] = '\n'
	n++
	n += copy(buf[n:], p.Timestamp)
	buf[n] = '\n'
	n++
	n += copy(buf[n:], p.Nonce)
	return buf[:n]
}
