package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"strconv"
	"sync/atomic"
)

// This file holds what keeps a delivery cheap: the Handler runs these on
// every request, so each avoids a cost that bought nothing on the common
// path (a logger built per delivery, a timer per store call, a system call
// per owner token).

// ownerTokens makes claim owner tokens: a random prefix drawn once per
// Handler and a counter, unique per delivery attempt across replicas
// without reading the system's randomness on every request. A token is at
// most 33 bytes (SQLStore's column holds 64).
type ownerTokens struct {
	prefix string
	n      atomic.Uint64
}

func newOwnerTokens() *ownerTokens {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail on supported platforms
	return &ownerTokens{prefix: hex.EncodeToString(b[:])}
}

func (o *ownerTokens) next() string {
	var buf [40]byte
	b := append(buf[:0], o.prefix...)
	b = append(b, '-')
	b = strconv.AppendUint(b, o.n.Add(1), 16)
	return string(b)
}

// nonBlockingStore marks a Store whose calls never wait on anything
// (MemoryStore): a timeout on them would only cost a timer per call.
type nonBlockingStore interface {
	nonBlocking()
}

func (*MemoryStore) nonBlocking() {}

// detached returns the parent of the store calls for one event: ctx without
// its cancellation, so that an event that ran is recorded even if the
// sender hung up. A store that cannot block ignores its context, and the
// Handler's own store is not transactional then, so ctx serves as it is
// (context.WithoutCancel allocates).
func (h *Handler) detached(ctx context.Context) context.Context {
	if _, ok := h.store.(nonBlockingStore); ok && h.txStore == nil {
		return ctx
	}
	return context.WithoutCancel(ctx)
}

// storeContext returns the context of one store call, bounded by the store
// timeout unless the store cannot block.
func (h *Handler) storeContext(parent context.Context) (context.Context, context.CancelFunc) {
	if _, ok := h.store.(nonBlockingStore); ok {
		return parent, func() {}
	}
	return context.WithTimeout(parent, h.storeTimeout)
}

// eventLogger logs with the event's id and type, building the record only
// when its level is enabled (Logger.With would allocate on every delivery,
// logged or not).
type eventLogger struct {
	log *slog.Logger
	ev  *Event
}

func (l eventLogger) Debug(msg string, args ...any) { l.at(slog.LevelDebug, msg, args) }
func (l eventLogger) Warn(msg string, args ...any)  { l.at(slog.LevelWarn, msg, args) }
func (l eventLogger) Error(msg string, args ...any) { l.at(slog.LevelError, msg, args) }

func (l eventLogger) at(level slog.Level, msg string, args []any) {
	ctx := context.Background()
	if !l.log.Enabled(ctx, level) {
		return
	}
	l.log.Log(ctx, level, msg, append([]any{"event_id", l.ev.ID, "event_type", l.ev.Type}, args...)...)
}

// maxPreallocation bounds what readAtMost allocates on the word of a
// Content-Length: a sender may announce far more than it sends, and a
// larger body grows as it arrives.
const maxPreallocation = 1 << 20

// readAtMost reads r until EOF or until it has max bytes, whichever comes
// first. With a known size (Content-Length) it allocates once, one byte
// more than announced so that the read seeing EOF does not grow the buffer;
// io.ReadAll would start at 512 bytes and copy its way up.
func readAtMost(r io.Reader, sizeHint, max int64) ([]byte, error) {
	size := int64(512)
	if sizeHint > 0 && sizeHint < maxPreallocation {
		size = sizeHint + 1
	}
	if size > max {
		size = max
	}
	b := make([]byte, 0, size)
	for int64(len(b)) < max {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grow
		}
		room := b[len(b):cap(b)]
		if left := max - int64(len(b)); int64(len(room)) > left {
			room = room[:left]
		}
		n, err := r.Read(room)
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
	return b, nil
}
