package docsnippets

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
)

// knownImports is the fixed list a fragment's imports are resolved from:
// the package name a snippet writes on the left, the import path on the
// right. A snippet that needs another package is written as a complete file.
var knownImports = map[string]string{
	"context":    "context",
	"sql":        "database/sql",
	"json":       "encoding/json",
	"errors":     "errors",
	"fmt":        "fmt",
	"io":         "io",
	"log":        "log",
	"slog":       "log/slog",
	"http":       "net/http",
	"os":         "os",
	"strconv":    "strconv",
	"strings":    "strings",
	"sync":       "sync",
	"testing":    "testing",
	"time":       "time",
	"uuid":       "github.com/google/uuid",
	"client":     "github.com/iexkit/exchanger-go/client",
	"clienttest": "github.com/iexkit/exchanger-go/client/clienttest",
	"signer":     "github.com/iexkit/exchanger-go/signer",
	"webhook":    "github.com/iexkit/exchanger-go/webhook",
}

// givens are the parameters of the function a statement fragment is the
// body of: a fragment may use them without declaring them (assigning one,
// as in "c, err := client.New(...)", is fine too).
const givens = "ctx context.Context, c *client.Client, db *sql.DB, logger *slog.Logger"

// givenImports are the packages the givens' types need.
var givenImports = []string{"context", "sql", "slog", "client"}

// kind says how a block is compiled.
type kind int

const (
	completeFile kind = iota // starts with "package": built as it is
	declarations             // starts with "func" or "type": package clause and imports added
	statements               // anything else: the body of func(givens) error
)

func (k kind) String() string {
	return [...]string{"complete file", "declarations", "statements"}[k]
}

// classify looks at the first line that is neither blank nor a comment.
func classify(code string) kind {
	for _, l := range strings.Split(code, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "//") {
			continue
		}
		switch {
		case strings.HasPrefix(l, "package "):
			return completeFile
		case strings.HasPrefix(l, "func "), strings.HasPrefix(l, "type "):
			return declarations
		}
		return statements
	}
	return statements
}

// source turns a block into a Go file. Line directives make the compiler
// report positions as file:line of the Markdown document.
func source(b block) (string, error) {
	directive := fmt.Sprintf("//line %s:%d\n", b.file, b.line)
	k := classify(b.code)
	if k == completeFile {
		return directive + b.code, nil
	}
	var body strings.Builder
	var always []string
	if k == statements {
		always = givenImports
		fmt.Fprintf(&body, "func snippet(%s) error {\n%s%s\treturn nil\n}\n", givens, directive, b.code)
	} else {
		body.WriteString(directive + b.code)
	}
	// Parse without imports to see which known package names the code
	// uses but does not declare itself.
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", "package snippet\n"+body.String(), 0)
	if err != nil {
		return "", err
	}
	used := map[string]bool{}
	for _, name := range always {
		used[name] = true
	}
	declared := declaredNames(f)
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && !declared[id.Name] {
				if _, known := knownImports[id.Name]; known {
					used[id.Name] = true
				}
			}
		}
		return true
	})
	names := make([]string, 0, len(used))
	for name := range used {
		names = append(names, name)
	}
	slices.Sort(names)
	var src strings.Builder
	src.WriteString("package snippet\n\nimport (\n")
	for _, name := range names {
		fmt.Fprintf(&src, "\t%s %q\n", name, knownImports[name])
	}
	src.WriteString(")\n\n")
	src.WriteString(body.String())
	return src.String(), nil
}

// declaredNames collects every name the file declares, in any scope: a
// snippet with a variable called like a known package does not get that
// package imported (it is not worth a scope analysis; rename the variable).
func declaredNames(f *ast.File) map[string]bool {
	names := map[string]bool{}
	add := func(ids ...*ast.Ident) {
		for _, id := range ids {
			if id != nil {
				names[id.Name] = true
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, e := range n.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						add(id)
					}
				}
			}
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok {
						add(id)
					}
				}
			}
		case *ast.ValueSpec:
			add(n.Names...)
		case *ast.Field:
			add(n.Names...)
		case *ast.FuncDecl:
			add(n.Name)
		case *ast.TypeSpec:
			add(n.Name)
		}
		return true
	})
	return names
}
