package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
)

// outputFlags choose how JSON is written.
type outputFlags struct {
	pretty, raw bool
}

func (f *outputFlags) register(fs *flagSet) {
	fs.BoolVar(&f.pretty, "pretty", false, "indent JSON even when stdout is not a terminal")
	fs.BoolVar(&f.raw, "raw", false, "write JSON as received even on a terminal")
}

// indent reports whether JSON written to w is indented: on a terminal,
// unless --raw; always with --pretty.
func (f *outputFlags) indent(w io.Writer) bool {
	if f.pretty || f.raw {
		return f.pretty
	}
	return isTerminal(w)
}

// isTerminal reports whether w is a character device (a terminal), the
// way the standard library can tell without a dependency.
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Stat() (os.FileInfo, error) })
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// writeBody writes a body: JSON indented when indent is set, else as
// received and followed by a newline when it has none (a shell prompt or
// the next line of a script stays on its own line); a document that is
// not JSON exactly as received.
func writeBody(w io.Writer, body []byte, indent bool) error {
	if !json.Valid(body) {
		_, err := w.Write(body)
		return err
	}
	var b bytes.Buffer
	if !indent || json.Indent(&b, body, "", "  ") != nil {
		b.Reset()
		b.Write(body)
	}
	if b.Len() > 0 && b.Bytes()[b.Len()-1] != '\n' {
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeJSON writes v as one line of JSON, or indented.
func writeJSON(w io.Writer, v any, indent bool) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if indent {
		var ib bytes.Buffer
		_ = json.Indent(&ib, b, "", "  ")
		b = ib.Bytes()
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
