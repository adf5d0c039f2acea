package clienttest

import (
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/iexkit/exchanger-go/internal/apispec"
)

// TestOperationTableMatchesOpenAPI proves that the Go table of operations is
// openapi.yaml's: the same 68 method+path pairs, the same scope from each
// operation's security requirement, the same public operations (security:
// []) and the same operations taking an Idempotency-Key.
func TestOperationTableMatchesOpenAPI(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(apispec.Document())
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		scope              string
		public, idempotent bool
	}
	spec := map[string]row{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			sec := doc.Security
			if op.Security != nil {
				sec = *op.Security
			}
			var r row
			r.public = len(sec) == 0
			for _, req := range sec {
				for _, scopes := range req {
					if len(scopes) > 1 {
						t.Errorf("%s %s: %d scopes; the table holds one", method, path, len(scopes))
					}
					for _, sc := range scopes {
						r.scope = sc
					}
				}
			}
			for _, p := range op.Parameters {
				if p.Value != nil && p.Value.Name == "Idempotency-Key" {
					r.idempotent = true
				}
			}
			spec[method+" "+path] = r
		}
	}
	if len(spec) != 68 {
		t.Fatalf("openapi.yaml has %d operations, want 68", len(spec))
	}
	table := map[string]row{}
	for _, o := range operationTable() {
		name := o.name()
		if _, dup := table[name]; dup {
			t.Errorf("%s is in the table twice", name)
		}
		table[name] = row{scope: o.scope, public: o.public, idempotent: o.idempotent}
	}
	var names []string
	for n := range spec {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		got, ok := table[n]
		if !ok {
			t.Errorf("%s: missing from the table", n)
			continue
		}
		if got != spec[n] {
			t.Errorf("%s: table %+v, openapi.yaml %+v", n, got, spec[n])
		}
	}
	for n := range table {
		if _, ok := spec[n]; !ok {
			t.Errorf("%s: in the table, not in openapi.yaml", n)
		}
	}
	if got := len(Operations()); got != 68 {
		t.Errorf("Operations() lists %d names, want 68", got)
	}
}
