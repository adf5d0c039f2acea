package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// maxInput bounds what iex reads from a file or stdin: request bodies,
// saved deliveries, secrets. Nothing the API takes comes close.
const maxInput = 16 << 20

// flagSet is a command's flags with its usage text.
type flagSet struct {
	*flag.FlagSet
	a     *app
	usage string // "Usage: ..." and the description, before the flag list
}

// newFlagSet starts the flags of command name; usage is printed for -h
// above the flag list.
func (a *app) newFlagSet(name, usage string) *flagSet {
	fs := flag.NewFlagSet("iex "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by main
	return &flagSet{FlagSet: fs, a: a, usage: usage}
}

// parse parses args, flags and positional arguments in any order (a
// lone "--" ends the flags), and returns the positional ones. -h prints
// the usage and returns flag.ErrHelp.
func (fs *flagSet) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.printUsage(fs.a.stderr)
				return nil, err
			}
			return nil, usagef("%s: %v (see %s -h)", fs.Name(), err, fs.Name())
		}
		rest := fs.Args()
		if consumed := args[:len(args)-len(rest)]; len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func (fs *flagSet) printUsage(w io.Writer) {
	fmt.Fprint(w, fs.usage)
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// wantArgs checks the number of positional arguments.
func (fs *flagSet) wantArgs(pos []string, names ...string) error {
	if len(pos) != len(names) {
		return usagef("%s: want %s, got %d argument(s) (see %s -h)", fs.Name(), strings.Join(names, " "), len(pos), fs.Name())
	}
	return nil
}

// queryFlag collects repeated -q key=value.
type queryFlag [][2]string

func (q *queryFlag) String() string { return "" }

func (q *queryFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want key=value, got %q", s)
	}
	*q = append(*q, [2]string{k, v})
	return nil
}

// listFlag collects a repeated string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// readData reads a -d value: the literal text, @file for a file's bytes,
// or @- for stdin; the bytes are kept exactly (a signature covers them).
func (a *app) readData(v string) ([]byte, error) {
	if !strings.HasPrefix(v, "@") {
		return []byte(v), nil
	}
	name := v[1:]
	if name == "-" {
		return readBounded(a.stdin, "stdin")
	}
	return readFile(name)
}

// readFile reads a file of at most maxInput bytes.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readBounded(f, name)
}

func readBounded(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(b) > maxInput {
		return nil, fmt.Errorf("read %s: more than %d bytes", name, maxInput)
	}
	return b, nil
}
