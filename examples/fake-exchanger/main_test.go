package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The fake starts, prints what a user needs, serves, and stops on cancel.
func TestServesAndPrintsCredentials(t *testing.T) {
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-hmac", "all", "-webhook-url", "http://127.0.0.1:9/hook"}, pw, io.Discard)
		pw.Close()
	}()
	fields := map[string]string{}
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if k, v, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, "curl") && !strings.HasPrefix(line, "export") {
			if f := strings.Fields(v); len(f) > 0 {
				fields[k] = f[0]
			}
		}
		if strings.HasPrefix(line, "Ctrl-C") {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	base := fields["base URL"]
	if !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/api/v3") ||
		!strings.HasPrefix(fields["HMAC secret"], "hs_") || !strings.HasPrefix(fields["webhook secret"], "whsec_") || fields["token"] == "" {
		t.Fatalf("printed %v", fields)
	}
	resp, err := http.Get(base + "/ping")
	if err != nil {
		t.Fatal(err)
	}
	var env struct{ State int }
	_ = json.NewDecoder(resp.Body).Decode(&env)
	resp.Body.Close()
	if resp.StatusCode != 200 || env.State != 0 {
		t.Fatalf("ping: %d state %d", resp.StatusCode, env.State)
	}
	// -hmac all: an unsigned private request is refused.
	req, _ := http.NewRequest(http.MethodGet, base+"/private/ping", nil)
	req.Header.Set("Authorization", "Bearer "+fields["token"])
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned private ping: %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancel")
	}
}

func TestRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-hmac", "sometimes"}, {"-schedule", "processing,shipped"}, {"extra"}} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

// -h prints a usage text like the other examples' (not bare flag usage), on
// stdout, and is not an error for demo.Main.
func TestHelpPrintsUsage(t *testing.T) {
	var out, errOut strings.Builder
	err := run(context.Background(), []string{"-h"}, &out, &errOut)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err %v, want flag.ErrHelp", err)
	}
	for _, want := range []string{"Usage: fake-exchanger [flags]", "iex fake", "Flags:", "-webhook-url", "-schedule"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("usage lacks %q:\n%s", want, out.String())
		}
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr: %q", errOut.String())
	}
}
