package client

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// opLine is the line each operation method's documentation ends with.
var opLine = regexp.MustCompile(`(?m)^(GET|POST|PUT|PATCH|DELETE) (/\S+)(?: \(not in openapi\.yaml\))?\. (?:Scope: (\S+)\.|Public: no token needed\.|Token needed, no scope\.)$`)

// TestMethodDocsNameTheirScope reads the package source and checks that the
// operation and scope each method's documentation names agree with
// openapi.yaml, and that every operation is documented on some method.
func TestMethodDocsNameTheirScope(t *testing.T) {
	ops := specOperations(loadSpec(t))
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Recv == nil || !fd.Name.IsExported() || fd.Doc == nil {
					continue
				}
				for _, m := range opLine.FindAllStringSubmatch(fd.Doc.Text(), -1) {
					key := m[1] + " " + m[2]
					documented[key] = true
					if key == "GET /public/rates.xml" {
						continue
					}
					op := ops[key]
					if op == nil {
						t.Errorf("%s documents %s, which openapi.yaml does not have", fd.Name.Name, key)
						continue
					}
					want := ""
					if op.Security != nil {
						for _, req := range *op.Security {
							if s := req["sanctumBearer"]; len(s) > 0 {
								want = s[0]
							}
						}
					}
					if m[3] != want {
						t.Errorf("%s documents scope %q for %s, openapi.yaml says %q", fd.Name.Name, m[3], key, want)
					}
				}
			}
		}
	}
	for key := range ops {
		switch key {
		case "GET /ping", "GET /private/health/client": // documented in their own style
			continue
		}
		if !documented[key] {
			t.Errorf("no method documents %s with its scope", key)
		}
	}
}
