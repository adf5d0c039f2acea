// Package signer implements v1 request signing for the iEXExchanger API v3.
//
// A signature is HMAC-SHA256, keyed with the API key's HMAC secret, over a
// seven-line canonical string:
//
//	v1
//	<METHOD>
//	<path as sent, including /api/v3, without the query>
//	<canonical query>
//	<hex SHA-256 of the body bytes sent; of the file for multipart uploads>
//	<timestamp, exactly as in X-Api-Timestamp>
//	<nonce, exactly as in X-Api-Nonce>
//
// The server does not sign the query as sent: it re-parses it with PHP's
// query parser and re-encodes it. CanonicalQuery reproduces that exactly.
//
// The package depends on the standard library only. Timestamps and nonces are
// the caller's input: generating them belongs to the client's transport.
package signer
