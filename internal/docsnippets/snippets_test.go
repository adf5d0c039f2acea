package docsnippets

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Convention is what a ```go block in README.md or docs/*.md must be; the
// README states the same in an HTML comment. Blocks that are not Go (shell
// commands, output) use a plain ``` fence.
const Convention = `every ` + "```go" + ` block must compile, as one of:
  - a complete file: starts with "package"; built as it is, in its own package;
  - declarations: starts with "func" or "type"; the test adds "package snippet" and the imports;
  - statements: anything else; the body of
        func snippet(ctx context.Context, c *client.Client, db *sql.DB, logger *slog.Logger) error
    so ctx, c, db and logger may be used (or assigned) without being declared, and "return err" works.
Imports of declarations and statements come from a fixed list (internal/docsnippets/wrap_test.go,
knownImports): the standard library's context, sql, json, errors, fmt, io, log, slog, http, os,
strconv, strings, sync, testing, time, plus uuid, client, clienttest, signer and webhook.
Every variable declared must be used, as in any Go code: no "...", no placeholders.`

// docs are the Markdown files whose Go blocks are compiled, relative to the
// repository root.
func docs(t *testing.T, root string) []string {
	files := []string{"README.md"}
	more, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range more {
		rel, err := filepath.Rel(root, m)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, filepath.ToSlash(rel))
	}
	return files
}

// TestMarkdownGoBlocksCompile builds every ```go block of README.md and
// docs/*.md against the packages of this module. The generated files are
// laid over virtual directories of the module with go build -overlay, so
// nothing is written into the source tree.
func TestMarkdownGoBlocksCompile(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH; it is needed to build the snippets")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	overlay := map[string]string{}
	var pkgs []string
	var blocks []block
	for _, name := range docs(t, root) {
		md, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, extractGo(name, md)...)
	}
	if len(blocks) == 0 {
		t.Fatal("no ```go block found in README.md: the extraction is broken")
	}
	for i, b := range blocks {
		src, err := source(b)
		if err != nil {
			t.Errorf("%s:%d: the block does not parse: %v\n\n%s", b.file, b.line, err, Convention)
			continue
		}
		dir := fmt.Sprintf("zz_docsnippet_%03d", i)
		real := filepath.Join(tmp, dir+".go")
		if err := os.WriteFile(real, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		overlay[filepath.Join(root, dir, "snippet.go")] = real
		pkgs = append(pkgs, "./"+dir)
	}
	if t.Failed() {
		return
	}
	ov, err := json.Marshal(map[string]any{"Replace": overlay})
	if err != nil {
		t.Fatal(err)
	}
	ovPath := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(ovPath, ov, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goTool, append([]string{"build", "-overlay", ovPath}, pkgs...)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("a Go block of the documentation does not compile (%v):\n%s\n%s",
			err, strings.TrimSpace(string(out)), Convention)
	}
	t.Logf("%d Go blocks compiled", len(blocks))
}
