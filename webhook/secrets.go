package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"hash"
	"sync"
)

// secretKey is one accepted webhook secret with a pool of HMAC states keyed
// with it, so that verification neither re-derives the keyed pads nor
// allocates on the hot path.
type secretKey struct {
	key  []byte
	pool sync.Pool // of *macState
}

// macState is a keyed HMAC with room for its output; pooled together so the
// output buffer, which escapes through the hash.Hash interface, is reused.
type macState struct {
	h   hash.Hash
	sum [sha256.Size]byte
}

func newSecretKey(secret string) *secretKey {
	k := &secretKey{key: []byte(secret)}
	k.pool.New = func() any { return &macState{h: hmac.New(sha256.New, k.key)} }
	return k
}

// matches reports whether mac is HMAC-SHA256(key, canon), in constant time.
func (k *secretKey) matches(canon []byte, mac *[sha256.Size]byte) bool {
	st := k.pool.Get().(*macState)
	st.h.Reset()
	st.h.Write(canon)
	ok := subtle.ConstantTimeCompare(st.h.Sum(st.sum[:0]), mac[:]) == 1
	k.pool.Put(st)
	return ok
}

// secretSet is an immutable list of accepted secrets. Rotation replaces the
// whole set atomically, so a verification in flight sees either the old set or
// the new one, never a half-edited list. A nil set (a zero Verifier's) holds
// no secret.
type secretSet struct {
	keys []*secretKey
}

// indexOf returns the position of secret in the set, or -1. The comparison is
// constant-time in the secret's content.
func (s *secretSet) indexOf(secret string) int {
	found := -1
	if s == nil {
		return found
	}
	for i, k := range s.keys {
		if subtle.ConstantTimeCompare(k.key, []byte(secret)) == 1 {
			found = i
		}
	}
	return found
}

// matches reports whether any secret in the set produced mac. Every secret is
// tried, so the time taken does not say which one matched.
func (s *secretSet) matches(canon []byte, mac *[sha256.Size]byte) bool {
	ok := false
	if s == nil {
		return ok
	}
	for _, k := range s.keys {
		if k.matches(canon, mac) {
			ok = true
		}
	}
	return ok
}
