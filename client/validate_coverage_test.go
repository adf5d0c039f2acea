package client

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEveryCallNamesItsOperation reads the package's source: every call
// literal outside tests must name its openapi.yaml operation (op), or it
// would be sent unchecked. Calls of documents outside openapi.yaml are
// listed here by path.
func TestEveryCallNamesItsOperation(t *testing.T) {
	outside := map[string]bool{`"/public/rates.xml"`: true}
	// Call sends a request the caller described by hand, as written, so
	// that a person can see what the server says to any request (iex
	// call); its documentation says it is not checked.
	unchecked := map[string]bool{"raw_call.go": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || unchecked[name] {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(node ast.Node) bool {
			lit, ok := node.(*ast.CompositeLit)
			if !ok {
				return true
			}
			if id, ok := lit.Type.(*ast.Ident); !ok || id.Name != "call" {
				return true
			}
			n++
			var op, path string
			for _, e := range lit.Elts {
				kv, ok := e.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				switch kv.Key.(*ast.Ident).Name {
				case "op":
					if s, ok := kv.Value.(*ast.BasicLit); ok {
						op, _ = strconv.Unquote(s.Value)
					}
				case "path":
					if s, ok := kv.Value.(*ast.BasicLit); ok {
						path = s.Value
					}
				}
			}
			switch {
			case op == "" && !outside[path]:
				t.Errorf("%s: call without op: it would be sent unchecked", fset.Position(lit.Pos()))
			case op != "" && operations[op] == nil:
				t.Errorf("%s: op %q is not an operation of openapi.yaml", fset.Position(lit.Pos()), op)
			}
			return true
		})
	}
	if n < 68 {
		t.Errorf("found %d call literals, want at least one per operation (68)", n)
	}
}
