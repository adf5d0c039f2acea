package main

import (
	"context"
	"strings"
	"testing"
)

func TestHelpListsCommandsAndExitCodes(t *testing.T) {
	r := iex(t, nil, "", "help")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	golden(t, "help", r.stdout)
	for _, c := range commands() {
		if !strings.Contains(r.stdout, c.name) {
			t.Errorf("help lacks %q", c.name)
		}
	}
}

func TestCommandHelp(t *testing.T) {
	for _, c := range commands() {
		if c.run == nil {
			continue
		}
		r := iex(t, nil, "", append(strings.Fields(c.name), "-h")...)
		if r.code != exitOK || !strings.Contains(r.stderr, "Usage: iex "+c.name) || !strings.Contains(r.stderr, "Flags:") {
			t.Errorf("%s -h: exit %d, stderr:\n%s", c.name, r.code, r.stderr)
		}
		r = iex(t, nil, "", "help", c.name)
		if r.code != exitOK || !strings.Contains(r.stdout, "Usage: iex "+c.name) {
			t.Errorf("help %s: exit %d, stdout:\n%s", c.name, r.code, r.stdout)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"nope"},
		{"webhook", "sign"},
		{"call", "GET"},
		{"call", "--bogus", "GET", "/ping"},
		{"call", "GET", "https://example.com/api/v3/ping"},
		{"sign", "GET"},
		{"orders", "wait"},
		{"trigger"},
		{"webhook", "verify", "--body", "x"},
		{"help", "nope"},
	} {
		r := iex(t, nil, "", args...)
		if r.code != exitUsage || !strings.HasPrefix(r.stderr, "iex: ") && len(args) > 0 {
			t.Errorf("%q: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	r := iex(t, nil, "", "version")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "iex v") {
		t.Fatalf("exit %d: %q", r.code, r.stdout)
	}
}

// run, what main calls, reads the process environment.
func TestRunEntryPoint(t *testing.T) {
	t.Setenv("IEX_API_HMAC_SECRET", "s3cr3t")
	t.Setenv("IEX_API_BASE_URL", "")
	var out, errOut strings.Builder
	code := run(context.Background(), []string{"sign", "--canonical", "--timestamp", "1", "--nonce", "n", "GET", "/ping"}, strings.NewReader(""), &out, &errOut)
	if code != exitOK || out.String() != "v1\nGET\n/api/v3/ping\n\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n1\nn" {
		t.Fatalf("exit %d: %q %q", code, out.String(), errOut.String())
	}
}
