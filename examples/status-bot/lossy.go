package main

import (
	"net/http"
	"sync/atomic"
)

// lossy makes the receiver lose every n'th delivery: the embedded fake's
// demonstration of webhook trouble, which the polling fallback covers.
type lossy struct {
	every int // 0: lose none
	lost  atomic.Int64
}

// wrap answers 503 to every n'th delivery without looking at it.
func (l *lossy) wrap(next http.Handler) http.Handler {
	if l.every <= 0 {
		return next
	}
	var seen atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if seen.Add(1)%int64(l.every) == 0 {
			l.lost.Add(1)
			http.Error(w, "lost on purpose (-fake-lose)", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, req)
	})
}
