package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/iexkit/exchanger-go/client"
)

func TestExitCodeClasses(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, exitOK},
		{usagef("x"), exitUsage},
		{configf("x"), exitConfig},
		{fmt.Errorf("wrapped: %w", client.ErrNoToken), exitConfig},
		{&refusedError{"x"}, exitRefused},
		{&client.APIError{StatusCode: 404}, exitClient},
		{&client.APIError{StatusCode: 429, Code: "rate_limit_exceeded"}, exitClient},
		{&client.APIError{StatusCode: 200, Code: "validation_error"}, exitClient},
		{&client.APIError{StatusCode: 502}, exitServer},
		{&client.ResponseError{StatusCode: 404}, exitClient},
		{&client.ResponseError{StatusCode: 200}, exitServer},
		{&client.RequestError{Err: errors.New("connection refused")}, exitNetwork},
		{&client.RequestError{Err: context.Canceled}, exitInterrupted},
		{context.DeadlineExceeded, exitNetwork},
		{client.ErrInvalidRawRequest, exitClient},
		{os.ErrNotExist, exitClient},
	} {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("exitCode(%#v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

// Output is indented on a terminal (a character device) and not in a pipe.
func TestIsTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if isTerminal(w) {
		t.Error("a pipe is taken for a terminal")
	}
	dev, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer dev.Close()
	if !isTerminal(dev) {
		t.Errorf("%s (a character device) is not taken for a terminal", os.DevNull)
	}
	var f outputFlags
	if f.indent(w) {
		t.Error("indent into a pipe")
	}
	f.raw = true
	if f.indent(dev) {
		t.Error("--raw indents")
	}
}
