package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// app is one run of the tool: its standard streams and environment, kept
// replaceable so that tests drive the real commands end to end.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// command is one subcommand.
type command struct {
	name    string
	args    string // synopsis after the name
	summary string
	run     func(ctx context.Context, a *app, args []string) error
}

// commands lists the subcommands in the order "iex help" shows them.
func commands() []command {
	return []command{
		{"call", "[flags] METHOD PATH", "call any operation, signed, with retries and pacing", runCall},
		{"sign", "[--explain] [flags] METHOD PATH[?QUERY]", "sign a request, or explain its canonical string and signature", runSign},
		{"webhook verify", "--headers FILE [--body FILE] [flags]", "check a saved webhook delivery and say which check failed", runWebhookVerify},
		{"listen", "--forward-to URL [flags]", "forward the account's events to a local receiver, signed", runListen},
		{"orders wait", "[flags] ORDER", "follow an order to a final status, printing each change", runOrdersWait},
		{"fake", "[flags]", "run the SDK's fake exchanger on this machine", runFake},
		{"trigger", "[flags] EVENT_TYPE", "send a webhook event of a type to the endpoints (of the fake)", runTrigger},
		{"version", "", "print the version iex was built from", nil},
		{"help", "[COMMAND]", "show this help, or a command's flags", nil},
	}
}

// run is the program: it runs the command args name and returns the exit
// code. Tests call it like main does.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return (&app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}).main(ctx, args)
}

func (a *app) main(ctx context.Context, args []string) int {
	err := a.dispatch(ctx, args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	a.report(err)
	return exitCode(err)
}

// dispatch finds the command (one or two words) and runs it.
func (a *app) dispatch(ctx context.Context, args []string) error {
	if len(args) == 0 {
		a.help(a.stderr)
		return usagef("no command")
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		return a.runHelp(args[1:])
	case "version", "--version":
		fmt.Fprintln(a.stdout, "iex", version())
		return nil
	}
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if c.run == nil || len(args) < len(words) || strings.Join(args[:len(words)], " ") != c.name {
			continue
		}
		return c.run(ctx, a, args[len(words):])
	}
	var subs []string
	for _, c := range commands() {
		if first, _, ok := strings.Cut(c.name, " "); ok && first == args[0] {
			subs = append(subs, "iex "+c.name)
		}
	}
	if len(subs) > 0 {
		return usagef("%s: want a subcommand: %s", args[0], strings.Join(subs, ", "))
	}
	return usagef("unknown command %q (see iex help)", args[0])
}

// report writes err to stderr, with what helps to act on it.
func (a *app) report(err error) {
	fmt.Fprintln(a.stderr, "iex:", err)
	for _, line := range errorHints(err) {
		fmt.Fprintln(a.stderr, "  "+line)
	}
}
