package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// NamedUpload is a file to upload and the name it is sent under (the
// server checks its extension against the intent's allowed_extensions).
type NamedUpload struct {
	Name   string
	Source UploadSource
}

// VerifyIdentity runs the whole identity flow: an upload intent per file
// (purpose identity_verification), the uploads, then the verification
// referencing them. A WithIdempotencyKey key K makes every step repeatable:
// the steps before the last use keys derived from K, the last uses K.
//
// Scopes: public-api:files:write and public-api:verifications:write.
func (c *Client) VerifyIdentity(ctx context.Context, fullName string, files []NamedUpload, opts ...CallOption) (*Verification, error) {
	if len(files) == 0 || len(files) > 2 {
		return nil, fmt.Errorf("client: VerifyIdentity: need 1 or 2 files, got %d", len(files))
	}
	intents := make([]string, 0, len(files))
	for i, f := range files {
		id, err := c.uploadForPurpose(ctx, "identity_verification", f, opts, fmt.Sprintf("identity-%d", i))
		if err != nil {
			return nil, err
		}
		intents = append(intents, id)
	}
	return c.CreateIdentityVerification(ctx, IdentityVerificationParams{FullName: fullName, FileIntents: intents}, opts...)
}

// VerifyCard runs the whole card flow: an upload intent (purpose
// card_verification), the upload of the card photo, then the verification
// with p.FileIntent set to it. Idempotency keys work as in VerifyIdentity.
//
// Scopes: public-api:files:write and public-api:verifications:write.
func (c *Client) VerifyCard(ctx context.Context, p CardVerificationParams, file NamedUpload, opts ...CallOption) (*Verification, error) {
	id, err := c.uploadForPurpose(ctx, "card_verification", file, opts, "card")
	if err != nil {
		return nil, err
	}
	p.FileIntent = id
	return c.CreateCardVerification(ctx, p, opts...)
}

// uploadForPurpose creates an intent and uploads f into it, returning the
// intent's uuid.
func (c *Client) uploadForPurpose(ctx context.Context, purpose string, f NamedUpload, opts []CallOption, step string) (string, error) {
	in, err := c.CreateUploadIntent(ctx, UploadIntentParams{Purpose: purpose}, stepOptions(opts, step+"-intent")...)
	if err != nil {
		return "", fmt.Errorf("client: %s upload intent: %w", purpose, err)
	}
	if in.UUID == "" {
		return "", fmt.Errorf("client: %s upload intent: the server returned no uuid", purpose)
	}
	if _, err := c.UploadFile(ctx, in.UUID, f.Name, f.Source, stepOptions(opts, step+"-commit")...); err != nil {
		return "", fmt.Errorf("client: %s upload: %w", purpose, err)
	}
	return in.UUID, nil
}

// stepOptions gives one step of a multi-call flow its own idempotency key,
// derived from the caller's (reusing one key for different requests is an
// idempotency_conflict). Without a caller's key each call generates its own.
func stepOptions(opts []CallOption, step string) []CallOption {
	var cc callConfig
	for _, o := range opts {
		o(&cc)
	}
	if cc.idempotencyKey == "" {
		return nil
	}
	key := cc.idempotencyKey + ":" + step
	if len(key) > 191 { // the server's limit
		sum := sha256.Sum256([]byte(cc.idempotencyKey))
		key = hex.EncodeToString(sum[:16]) + ":" + step
	}
	return []CallOption{WithIdempotencyKey(key)}
}
