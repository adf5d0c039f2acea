// Package webhook receives iEXExchanger webhook deliveries safely.
//
// A delivery is a POST whose raw body is signed with the endpoint's webhook
// secret (never the API HMAC secret). The v1 signature is HMAC-SHA256 over a
// six-line canonical string:
//
//	v1
//	<X-Webhook-Event-Id>
//	<X-Webhook-Event-Type>
//	<X-Webhook-Timestamp, Unix seconds>
//	<X-Webhook-Nonce>
//	<hex SHA-256 of the raw body>
//
// The package has three layers, each usable on its own:
//
//   - Verifier checks a delivery against the raw bytes before anything is
//     parsed: the five X-Webhook-* headers, the signature in constant time
//     against every configured secret (several at once during rotation), a
//     freshness window and a body size limit. Failures are *VerifyError values
//     that match the exported sentinels with errors.Is.
//   - Event and its typed payloads (OrderEvent, VerificationEvent, ...) decode
//     the delivery tolerantly: an order status may be a string or an object, ids
//     may be numbers or strings, money stays a decimal string. Unknown event
//     types are still delivered, with their raw data.
//   - Handler is an http.Handler that runs the caller's business function at
//     most once per event id and answers 2xx only after the event is recorded
//     in a Store: MemoryStore for one process, SQLStore (PostgreSQL or SQLite
//     through database/sql) for several replicas.
//
// CatchUp feeds the same Handler from the API's event log (an EventLog, such
// as *client.Client): events the exchanger could not deliver, or whose late
// retries were refused as stale, still run once, keyed by the same event id.
// Those events are authenticated by the API call (token and HMAC request
// signature), not by a webhook signature. NewTxHandler gives the business
// function the SQL transaction in which the event is marked done.
//
// Delivery and NewTestDelivery build signed requests for the caller's own
// tests.
package webhook
