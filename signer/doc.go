// Package signer implements v1 request signing for the iEXExchanger API v3,
// byte for byte as the server computes it.
//
// A signature is HMAC-SHA256, keyed with the API key's HMAC secret, over a
// seven-line canonical string (Payload.Canonical):
//
//	v1
//	<METHOD>
//	<path as sent, including /api/v3, without the query>
//	<canonical query>
//	<hex SHA-256 of the body bytes sent; of the file for multipart uploads>
//	<timestamp, exactly as in X-Api-Timestamp>
//	<nonce, exactly as in X-Api-Nonce>
//
// and is sent as X-Api-Signature: "sha256=" followed by 64 lowercase hex
// digits (HMAC.Sign). HMAC.Verify checks one in constant time, for servers
// and test doubles.
//
// The server does not sign the query as sent: it re-parses it with PHP's
// query parser and re-encodes it. CanonicalQuery reproduces that exactly,
// including for queries users build by hand ("a[]=1", "a.b=2", "c[d=3"), so
// a request is never rejected as invalid_signature because of how its query
// was spelled. It matches the vendor's 400 reference vectors.
//
// Timestamps and nonces are the caller's input: generating them, fresh for
// every attempt, belongs to the client's transport. BodySHA256 hashes a body
// in memory; FileSHA256 streams an upload.
//
// Signing is cheap: an HMAC keeps a pool of keyed hash states and builds the
// canonical string in a reused buffer, so Sign costs little more than the
// HMAC itself and allocates only its result. The package depends on the
// standard library only.
package signer
