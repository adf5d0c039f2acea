// Package demo holds what the example programs share: the process
// environment made replaceable for tests, the choice between a real
// exchanger and the embedded fake, and a local webhook receiver registered
// through the API. It is internal: the SDK's API is in client, webhook and
// clienttest; this is only the examples' plumbing, kept in one place.
package demo

import (
	"io"
	"log/slog"
	"os"

	"github.com/iexkit/exchanger-go/client/clienttest"
)

// Environment variables naming a real exchanger (the same as client.FromEnv).
const (
	EnvBaseURL    = "IEX_API_BASE_URL"
	EnvToken      = "IEX_API_TOKEN"
	EnvHMACSecret = "IEX_API_HMAC_SECRET"
)

// Env is what a program takes from the process, replaceable in tests.
type Env struct {
	Getenv func(string) string
	Stderr io.Writer // slog diagnostics and flag usage

	// HoldsSecret, when set, is told every secret the program holds (the
	// fake's token and HMAC secret, the webhook secret), so that a test can
	// check that none of them is printed.
	HoldsSecret func(string)

	// OnFake, when set, is given the embedded fake once it runs, so that a
	// test can look at its counters.
	OnFake func(*clienttest.Server)
}

// OSEnv is the real process's environment.
func OSEnv() Env {
	return Env{Getenv: os.Getenv, Stderr: os.Stderr}
}

// Secret tells HoldsSecret about s.
func (e Env) Secret(s string) {
	if e.HoldsSecret != nil && s != "" {
		e.HoldsSecret(s)
	}
}

// NewLogger writes text diagnostics to w: info and above, or debug and above
// when verbose.
func NewLogger(w io.Writer, verbose bool) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
