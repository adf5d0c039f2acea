package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
)

// This file holds what keeps a delivery cheap: the Handler runs these on
// every request, so each avoids a cost that bought nothing on the common
// path (a logger built per delivery, a timer per store call, a system call
// per owner token).

// ownerTokens makes claim owner tokens: a random prefix drawn once per
// Handler and a sequence number, unique per delivery attempt across
// replicas without reading the system's randomness on every request. A
// token is 33 bytes (SQLStore's column holds 64): the prefix, '-' and the
// number in 16 hex digits.
type ownerTokens struct {
	prefix string
	n      atomic.Uint64 // sequence numbers handed out so far
	blocks sync.Pool     // *ownerBlock, for shared()
}

// ownerTokenLen is the length of every token.
const ownerTokenLen = 16 + 1 + 16

// ownerBlockSize is how many tokens shared() builds at once.
const ownerBlockSize = 16

// ownerBlock is a run of consecutive tokens built in one string.
type ownerBlock struct {
	tokens string // ownerBlockSize tokens back to back
	used   int
}

func newOwnerTokens() *ownerTokens {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail on supported platforms
	return &ownerTokens{prefix: hex.EncodeToString(b[:])}
}

// next returns a token of its own: for a store that may keep it as long as
// it likes.
func (o *ownerTokens) next() string {
	var buf [ownerTokenLen]byte
	return string(o.appendToken(buf[:0], o.n.Add(1)))
}

// shared returns a token cut from a block of ownerBlockSize tokens: one
// allocation and one add to the counter per block instead of per delivery
// (the counter is a cache line that every core's deliveries would pass
// around). The block comes from a pool, so concurrent deliveries take
// different blocks; numbers are reserved a block at a time, so every token
// is still unique. A token keeps its whole block in memory for as long as
// it is kept: MemoryStore only, which drops a token when its claim ends.
func (o *ownerTokens) shared() string {
	b, _ := o.blocks.Get().(*ownerBlock)
	if b == nil {
		b = new(ownerBlock)
		b.used = ownerBlockSize
	}
	if b.used == ownerBlockSize {
		first := o.n.Add(ownerBlockSize) - ownerBlockSize + 1
		var sb strings.Builder
		sb.Grow(ownerBlockSize * ownerTokenLen)
		var buf [ownerTokenLen]byte
		for i := uint64(0); i < ownerBlockSize; i++ {
			sb.Write(o.appendToken(buf[:0], first+i))
		}
		b.tokens, b.used = sb.String(), 0
	}
	t := b.tokens[b.used*ownerTokenLen : (b.used+1)*ownerTokenLen]
	b.used++
	o.blocks.Put(b)
	return t
}

// appendToken appends the token of sequence number n to b.
func (o *ownerTokens) appendToken(b []byte, n uint64) []byte {
	const digits = "0123456789abcdef"
	b = append(b, o.prefix...)
	b = append(b, '-')
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, digits[n>>uint(shift)&0xf])
	}
	return b
}

// ownerToken returns the owner token of one delivery attempt.
func (h *Handler) ownerToken() string {
	if _, ok := h.store.(*MemoryStore); ok {
		return h.owners.shared()
	}
	return h.owners.next()
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
