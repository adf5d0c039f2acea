// Package clienttest runs an in-process fake of the iEXExchanger API v3, in
// the spirit of net/http/httptest, so that the SDK and the programs built on
// it can be tested end to end with nothing but Go.
//
// The fake speaks HTTP and JSON only (it does not use package client) and
// enforces what the real server enforces:
//
//   - Bearer tokens: unknown, disabled, expired and revoked keys get
//     401 invalid_token; a missing token gets 401 authentication_required.
//   - HMAC v1 signatures per key (off, writes only, or all requests), verified
//     exactly like the server: the canonical query of the raw query as
//     received, the escaped path, the SHA-256 of the exact body bytes (of the
//     file for multipart uploads, from X-Api-File-Sha256), a timestamp window
//     measured on the server's possibly skewed clock, and nonces that may not
//     repeat within the window (401 signature_replay).
//   - The scope of every operation, taken from openapi.yaml's security
//     requirements (403 scope_denied).
//   - Idempotency-Key: responses are stored for 24 hours and replayed with
//     Idempotency-Replayed: true; the same key with another method, path or
//     body gives 409 idempotency_conflict.
//   - A per-key rate limit with X-RateLimit-* headers and 429
//     rate_limit_exceeded with Retry-After, and daily and monthly quotas with
//     X-Api-Quota-* headers and 429 quota_exceeded.
//   - The response envelope (state, message, result, meta) and the error
//     codes of the API.
//
// It keeps state: payment systems and routes from a replaceable Seed, quotes,
// preflight with missing_fields, orders with their life cycle (advanced by the
// test with AdvanceOrder or by WithOrderSchedule), actions, confirm and cancel
// rules, upload intents with the file hash check, verifications, reviews,
// partner data and sandbox simulation. Webhook endpoints registered through
// the API receive signed deliveries, retried with backoff, and the delivery
// log is readable through the API.
//
// # Operation names
//
// Fault injection and statistics name an operation by its method and its
// openapi.yaml path template, separated by one space, for example
// "POST /private/exchange/orders" or "GET /private/exchange/orders/{order}/status".
// Operations lists all 68.
//
// # Fault injection
//
// FailNext makes the next requests of an operation fail with a status,
// FailNextRaw answers them with what a proxy would send (an HTML page, an
// empty or truncated body), DropAfterProcessing processes a request and then
// closes the connection without answering (the classic lost response),
// SetLatency delays every response and SetClockSkew moves the server's clock.
//
// Beyond openapi.yaml the server also serves GET /public/rates.xml, the rate
// export, like a real exchanger.
package clienttest
