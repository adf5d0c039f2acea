package signer

// Request header names used by v1 signing.
const (
	// HeaderTimestamp carries the Unix time (seconds) the request was signed at.
	HeaderTimestamp = "X-Api-Timestamp"
	// HeaderNonce carries a value unique per token within the signature window.
	HeaderNonce = "X-Api-Nonce"
	// HeaderSignature carries "sha256=" followed by the lowercase hex signature.
	HeaderSignature = "X-Api-Signature"
	// HeaderFileSHA256 carries the hex SHA-256 of an uploaded file; for
	// multipart uploads that hash is also the body hash that is signed.
	HeaderFileSHA256 = "X-Api-File-Sha256"
)

// SignaturePrefix is the scheme prefix of X-Api-Signature values.
const SignaturePrefix = "sha256="

// EmptyBodySHA256 is the hex SHA-256 of an empty body.
const EmptyBodySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
