package client

import (
	"crypto/rand"
	"sync"
)

// idBlock is how many random UUIDs one read of the system's random source
// yields: 64 of 16 bytes.
const idBlock = 64 * 16

// idSource makes the random (version 4) UUIDs of a client's calls: the
// generated Idempotency-Keys and the signatures' nonces. A call took two
// of them, each a read of crypto/rand (a system call or more under load,
// about 5% of a CreateOrder's CPU from 64 goroutines); here the bytes come
// from crypto/rand all the same, read a block at a time, so every ID is as
// unpredictable as uuid.NewString's. A byte is handed out once and wiped
// as it is used, so the buffer never holds an ID already sent.
type idSource struct {
	mu  sync.Mutex
	off int // next unused byte of buf; len(buf) when it is used up
	buf [idBlock]byte
	// fill refills buf; nil reads crypto/rand (which never fails: it
	// crashes the program instead, as uuid.NewString panics).
	fill func([]byte)
}

// newIDSource returns a source whose first ID triggers the first read.
func newIDSource() *idSource { return &idSource{off: idBlock} }

// newString returns a fresh random UUID in its canonical form
// (xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx, lowercase), as uuid.NewString does.
func (s *idSource) newString() string {
	var u [16]byte
	s.mu.Lock()
	if s.off+16 > len(s.buf) {
		if s.fill != nil {
			s.fill(s.buf[:])
		} else {
			_, _ = rand.Read(s.buf[:])
		}
		s.off = 0
	}
	b := s.buf[s.off : s.off+16]
	copy(u[:], b)
	clear(b)
	s.off += 16
	s.mu.Unlock()
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // variant RFC 4122
	return formatUUID(&u)
}

// formatUUID writes u as 36 characters with one allocation, the string.
func formatUUID(u *[16]byte) string {
	const hexDigits = "0123456789abcdef"
	var out [36]byte
	j := 0
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j], out[j+1] = hexDigits[c>>4], hexDigits[c&0x0f]
		j += 2
	}
	return string(out[:])
}
