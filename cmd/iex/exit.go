package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/iexkit/exchanger-go/client"
)

// Exit codes, documented in "iex help": a script can tell a mistake in the
// command line from a refusal of the server, a server failure and a
// network failure without reading the message.
const (
	exitOK          = 0
	exitRefused     = 1   // the command ran and its answer is no (a delivery that does not verify)
	exitUsage       = 2   // unknown command, bad flag or argument
	exitConfig      = 3   // a required setting is missing (base URL, token, secret)
	exitClient      = 4   // the server answered 4xx, or the request was refused locally
	exitServer      = 5   // the server answered 5xx, or something that is not the API's answer
	exitNetwork     = 6   // no answer: connection refused, DNS, TLS, timeout
	exitInterrupted = 130 // interrupted (Ctrl-C), as shells report SIGINT
)

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// configError is a setting the command needs and did not get.
type configError struct{ msg string }

func (e *configError) Error() string { return e.msg }

func configf(format string, args ...any) error { return &configError{fmt.Sprintf(format, args...)} }

// refusedError is a negative answer of a check the command made.
type refusedError struct{ msg string }

func (e *refusedError) Error() string { return e.msg }

// exitCode classifies err.
func exitCode(err error) int {
	var (
		ue *usageError
		ce *configError
		re *refusedError
		ae *client.APIError
		rs *client.ResponseError
		rq *client.RequestError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &ce), errors.Is(err, client.ErrNoToken):
		return exitConfig
	case errors.As(err, &re):
		return exitRefused
	case errors.As(err, &ae):
		if ae.StatusCode >= 500 {
			return exitServer
		}
		return exitClient // the server said no, even in a 200 with state 1
	case errors.As(err, &rs):
		return statusClass(rs.StatusCode)
	case errors.As(err, &rq), errors.Is(err, context.DeadlineExceeded):
		return exitNetwork
	}
	return exitClient // refused locally: no token, an invalid request, a file that cannot be read
}

// statusClass maps an HTTP status to the client or server exit code.
func statusClass(status int) int {
	if status >= 400 && status < 500 {
		return exitClient
	}
	return exitServer // 5xx, and a 2xx or 3xx that is not the API's answer
}
