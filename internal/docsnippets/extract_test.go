package docsnippets

import (
	"bufio"
	"bytes"
	"strings"
)

// block is one ```go fenced block of a Markdown file.
type block struct {
	file string // path relative to the repository root, for messages
	line int    // line of the block's first code line in file (1-based)
	code string
}

// extractGo returns the ```go blocks of a Markdown document. A fence may be
// indented (inside a list item); that indentation is removed from the code.
// An unterminated block is returned as it is, so that it fails to compile
// rather than being silently skipped.
func extractGo(file string, md []byte) []block {
	var (
		out    []block
		cur    *block
		indent string
		buf    strings.Builder
	)
	sc := bufio.NewScanner(bytes.NewReader(md))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimLeft(line, " \t")
		if cur == nil {
			if strings.HasPrefix(trimmed, "```") && strings.TrimSpace(strings.TrimPrefix(trimmed, "```")) == "go" {
				cur = &block{file: file, line: n + 1}
				indent = line[:len(line)-len(trimmed)]
				buf.Reset()
			}
			continue
		}
		if strings.TrimSpace(line) == "```" {
			cur.code = buf.String()
			out = append(out, *cur)
			cur = nil
			continue
		}
		buf.WriteString(strings.TrimPrefix(line, indent))
		buf.WriteByte('\n')
	}
	if cur != nil {
		cur.code = buf.String()
		out = append(out, *cur)
	}
	return out
}
