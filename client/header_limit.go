package client

import (
	"errors"
	"fmt"
	"strings"
)

// Bounds of the response header limit a client's own transport gets: the
// body limit (WithMaxResponseBytes), but at least minHeaderBytes, since an
// ordinary answer's headers need a few KiB even when its body is tiny, and
// at most maxHeaderBytes, since no answer of this API needs more and
// net/http's default (10 MiB) is an allocation a hostile server can
// trigger on every attempt.
const (
	minHeaderBytes = 16 << 10
	maxHeaderBytes = 1 << 20
)

// headerLimit is the MaxResponseHeaderBytes of the transport a client
// builds for itself.
func headerLimit(maxBody int64) int64 {
	return min(max(maxBody, minHeaderBytes), maxHeaderBytes)
}

// headerTooLarge reports whether err is net/http's refusal of response
// headers over the transport's limit (HTTP/1.1), or of a header list over
// the advertised limit (HTTP/2). Neither has an exported error value, so
// the text is matched. Such an answer repeats identically: it is never
// retried.
func headerTooLarge(err error) bool {
	if err == nil || errors.Is(err, ErrResponseTooLarge) {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "server response headers exceeded") ||
		strings.Contains(s, "header list larger than advertised limit")
}

// headerTooLargeError makes a header refusal match ErrResponseTooLarge.
func headerTooLargeError(err error) error {
	return fmt.Errorf("%w: response headers: %w", ErrResponseTooLarge, err)
}
