package main

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a writer a running command writes to while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// background runs iex until ctx is done; wait returns its exit code.
type background struct {
	stdout, stderr *syncBuffer
	done           chan int
}

func startIEX(ctx context.Context, env map[string]string, args ...string) *background {
	bg := &background{stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan int, 1)}
	a := &app{stdin: strings.NewReader(""), stdout: bg.stdout, stderr: bg.stderr, getenv: func(k string) string { return env[k] }}
	go func() { bg.done <- a.main(ctx, args) }()
	return bg
}

// waitFor waits until stdout holds want.
func (bg *background) waitFor(t *testing.T, want string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if out := bg.stdout.String(); strings.Contains(out, want) {
			return out
		}
		select {
		case code := <-bg.done:
			t.Fatalf("iex ended with %d before printing %q:\n%s\n%s", code, want, bg.stdout, bg.stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("no %q after 10s:\n%s\n%s", want, bg.stdout, bg.stderr)
	return ""
}

// wait returns the exit code once the command ends.
func (bg *background) wait(t *testing.T) int {
	t.Helper()
	select {
	case code := <-bg.done:
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("iex did not end")
		return -1
	}
}
