package main

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iexkit/exchanger-go/client"
	"github.com/iexkit/exchanger-go/client/clienttest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden with the current output")

// result is one run of iex.
type result struct {
	code           int
	stdout, stderr string
}

// iex runs the tool in the process with env as its whole environment and
// stdin as its standard input.
func iex(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	return iexCtx(context.Background(), env, stdin, args...)
}

func iexCtx(ctx context.Context, env map[string]string, stdin string, args ...string) result {
	var stdout, stderr strings.Builder
	a := &app{stdin: strings.NewReader(stdin), stdout: &stdout, stderr: &stderr, getenv: func(k string) string { return env[k] }}
	code := a.main(ctx, args)
	return result{code, stdout.String(), stderr.String()}
}

// fakeEnv starts a fake exchanger and returns it with the environment that
// points iex at it.
func fakeEnv(t *testing.T, opts ...clienttest.Option) (*clienttest.Server, map[string]string) {
	t.Helper()
	s := clienttest.NewServer(t, opts...)
	k := s.Key()
	return s, map[string]string{client.EnvBaseURL: s.URL, client.EnvToken: k.Token, client.EnvHMACSecret: k.HMACSecret}
}

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/iex -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test ./cmd/iex -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// writeTemp writes content to a file in a test's temporary directory.
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// noSecrets fails when out shows one of secrets.
func noSecrets(t *testing.T, out string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Fatalf("output shows a secret:\n%s", out)
		}
	}
}
