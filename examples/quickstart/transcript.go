package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// transcript writes the readable record of the run: a label column and
// what happened. It holds no secrets because nothing secret is given to it.
type transcript struct{ w io.Writer }

const labelWidth = 16

func (t transcript) step(label, format string, args ...any) {
	fmt.Fprintf(t.w, "%-*s %s\n", labelWidth, label, fmt.Sprintf(format, args...))
}

// short keeps the first n characters of an id, enough to tell ids apart.
func short(id string, n int) string {
	if len(id) <= n {
		return id
	}
	return id[:n] + "..."
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

// since formats an elapsed time for the transcript.
func since(t time.Time) string { return time.Since(t).Round(10 * time.Millisecond).String() }
