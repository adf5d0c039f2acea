// Package client is a typed client for the iEXExchanger API v3.
//
// # Configuration
//
// New takes the API root (https://exchanger.example/api/v3; a URL whose
// path does not end with /api/v3 is refused with ErrInvalidBaseURL) and
// options:
// WithToken and WithHMACSecret (or FromEnv, or WithCredentialsSource),
// WithHTTPClient, WithRetry, WithRetryBudget, WithLimiter, WithLogger, WithUserAgent,
// WithTimeout (default 30s per call, retries included, when the context has
// no deadline), WithMaxResponseBytes (default 16 MiB) and WithInsecureHTTP
// (plain http:// is refused for hosts that are not loopback). NewFromEnv
// reads IEX_API_BASE_URL, IEX_API_TOKEN and IEX_API_HMAC_SECRET. A client
// without a token calls the public endpoints and refuses private ones
// locally with ErrNoToken.
//
// # One call
//
// A call marshals and hashes its body once, settles its Idempotency-Key
// (the caller's, or a generated one for writes that take it) and runs the
// retry loop, which builds each attempt's request afresh. Under that loop
// a signing transport gives every attempt the current credentials, a fresh
// X-Api-Nonce, an X-Api-Timestamp corrected by the clock offset learned
// from the server's Date header, and its own signature; the key stays the
// same on every attempt. Redirects are never followed. Per-call options: WithIdempotencyKey, WithCorrelationID,
// WithResponse (request and correlation ids, Idempotency-Replayed, the key
// used, rate-limit and quota values, attempts).
//
// # Requests are checked before they are sent
//
// Every call is checked against its operation's contract in openapi.yaml
// before it is signed: required fields, enums, lengths, formats, the oneOf
// alternatives of the order, quote and preflight bodies (one route form:
// RouteID, DirectionID, IncomePaymentSystem+OutcomePaymentSystem,
// FromCurrencyID+ToCurrencyID or From+To), a field sent with its alias,
// each list filter's declared type, and path segments that are empty, "."
// or "..". A refused call returns an *InvalidRequestError (matching
// ErrInvalidRequest) listing every problem with the field named as the API
// names it; nothing is sent and nothing is retried. The contracts are
// generated from internal/apispec/openapi.yaml (go generate); no YAML is
// read at run time.
//
// # Retries
//
// Network errors, 429 and 5xx (not 501) are retried only when repeating is
// safe: GET and HEAD, side-effect-free POSTs (quotes, preflight) and writes
// that carry an Idempotency-Key. 400, 401, 403, 404, 409 and 422 are never
// retried, except signature_replay (once, with a new nonce),
// invalid_signature right after the clock offset was corrected (once) and
// invalid_token when the credentials were swapped while the attempt was in
// flight (once, with the new key). 429
// waits for Retry-After (seconds or HTTP-date); a wait longer than
// RetryPolicy.MaxRetryAfter or past the context deadline returns at once
// with APIError.RetryAfter set. Other waits back off exponentially with full
// jitter. A per-client token bucket (WithRetryBudget) caps retries when the
// server is down. A rate_limit_exceeded 429 whose Retry-After fits the
// deadline and MaxRetryAfter does not draw on that budget: it is the
// server's schedule, not a failure (it still counts as an attempt).
//
// # Rate limits
//
// Calls are paced by the key's rate-limit window (X-RateLimit-*,
// docs/api.md §7) so that callers do not see 429s. The client sends no more
// than its share of what the last answer says is left, less its requests
// in flight; the share is estimated from its own answers against the
// server's count, so processes sharing a key settle at their part of it.
// What is left is spread over the time left in the window; when a window
// ends one request goes first and the others wait for its answer. A 429
// that carries the window holds every call until the window ends. Public
// calls are not paced. RateLimit reports the window and when and why calls
// waited (PaceWait, WaitReason); the debug log says it too. WithLimiter
// shares the window between processes through a Limiter, such as the
// PostgreSQL one in package pglimiter.
//
// # Credentials and rotation
//
// SetCredentials and SetCredentialsSource swap the key atomically while
// calls are in flight. A token with whitespace or control characters, or a
// secret with whitespace at either end, is refused with
// ErrInvalidCredentials (New, SetCredentials, RotateCredentials, or a
// source's answer, which then fails the call without a retry). RotateCredentials first runs the vendor's rotation
// check with the new key (GET /private/health/client, optionally a sandbox
// order simulation) and switches only if it passes. ClientHealth records the
// key's name, scopes, hmac_required and expires_at (KeyInfo) and logs a
// warning when the key expires within WithKeyExpiryWarning.
//
// # Errors
//
// A failed call returns one of: *APIError (the server answered with an
// error envelope; errors.Is matches ErrRateLimited, ErrValidation,
// ErrScopeDenied and the other code sentinels; Details holds field errors,
// which the message repeats (bounded); Scope names the scope the operation
// needs; Canonical the string signed for invalid_signature, whose message
// says where the client's HMAC secret came from), *ResponseError (an answer that is not an
// envelope: proxy HTML, empty or truncated body, redirect, oversized body;
// it carries the status and a bounded snippet) or *RequestError (no answer:
// transport error or the context's error, which errors.Is sees through), or,
// before anything is sent, *InvalidRequestError. A
// write that may have reached the server without an answer matches
// ErrOutcomeUnknown (a RequestError, or an error answer that came after an
// unanswered attempt): repeat it with the same Idempotency-Key. Tokens and
// secrets never appear in errors, logs or formatted values.
//
// # Method names
//
// Every operation of openapi.yaml has one method, named by one pattern:
//
//   - Resource reads one thing: Order, Route, WebhookEndpoint, UploadIntent.
//   - Resources (the plural) lists: Orders, Routes, Reviews, WebhookEvents.
//     Paginated lists return iter.Seq2[T, error], which walks every page (in
//     page mode, or cursor mode with PageOptions.Cursor) and stops on the
//     first error, when the context is done, or when the loop breaks. A
//     server whose pages do not advance (a cursor seen before, a page
//     answered with another) ends the walk with ErrPaginationStuck, and
//     PageOptions.MaxPages and MaxItems bound it (*ListLimitError);
//     PageOptions.Position saves and resumes a walk. Dictionaries return a
//     slice (Scopes, OrderStatuses).
//   - CreateResource, UpdateResource and DeleteResource write: CreateOrder,
//     UpdateWebhookEndpoint, DeleteOrder.
//   - VerbResource is any other action: ConfirmOrder, CancelOrder,
//     PreflightOrder, RotateWebhookSecret, RetryWebhookDelivery, TestWebhook,
//     SubmitOrderVerification, SimulateOrder, UploadFile.
//   - A ResourceQualifier suffix names a second way to reach the same thing:
//     RouteDetailsByPair, RouteCapabilitiesByPair, OrderActions,
//     IdentityVerificationActions.
//   - The token-less twin of a private read starts with Public:
//     PublicContracts, PublicSchema, PublicOrderStatuses.
//
// Parameters are typed structs named after the method (CreateOrderParams,
// QuoteParams, OrderListOptions); zero fields are not sent, and the SDK
// sends the field names of openapi.yaml, not their documented aliases.
// Amounts are decimal strings on the way out and Decimal on the way back,
// never floats. Fields that openapi.yaml leaves free-form are map[string]any
// or json.RawMessage. Each method's documentation names its HTTP operation
// and the scope it needs ("Scope: public-api:orders:read."); a scope_denied
// error names it too.
//
// Call reaches an operation by method and path (RawRequest), with the same
// pipeline and errors, and returns the body as received: for an operation
// the SDK has no method for yet, and for tools where a person types the
// request (cmd/iex call).
package client
