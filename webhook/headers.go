package webhook

// Header names of a webhook delivery. The first five are required and signed
// (the body is signed through its SHA-256); the last two are informational.
const (
	HeaderEventID       = "X-Webhook-Event-Id"
	HeaderEventType     = "X-Webhook-Event-Type"
	HeaderTimestamp     = "X-Webhook-Timestamp"
	HeaderNonce         = "X-Webhook-Nonce"
	HeaderSignature     = "X-Webhook-Signature"
	HeaderRequestID     = "X-Request-Id"
	HeaderCorrelationID = "X-Correlation-Id"
)

// SignaturePrefix is the optional scheme prefix of X-Webhook-Signature.
const SignaturePrefix = "sha256="
