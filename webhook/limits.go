package webhook

import "errors"

// MaxEventIDLength is the longest event id, in bytes, that the package
// accepts anywhere: Verify refuses a longer X-Webhook-Event-Id (as a
// malformed header), EventFromLog a longer log entry id, and SQLStore's
// event_id column holds exactly this many characters. One limit for all
// three means an event that passes verification can always be recorded,
// instead of failing in the database on every redelivery.
const MaxEventIDLength = 256

// ErrEventIDTooLong: SQLStore.Claim was given an event id longer than
// MaxEventIDLength (Verify and EventFromLog never pass one on).
var ErrEventIDTooLong = errors.New("webhook: event id longer than MaxEventIDLength")
