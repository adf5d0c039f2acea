package client

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/iexkit/exchanger-go/internal/apispec"
	"github.com/iexkit/exchanger-go/internal/opgen"
)

// TestOperationsGenerated fails while operations_gen.go is not what
// internal/opgen makes of internal/apispec/openapi.yaml: run go generate
// ./client after changing either.
func TestOperationsGenerated(t *testing.T) {
	want, err := opgen.Generate(apispec.Document(), "client")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("operations_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("operations_gen.go is stale: run go generate ./client")
	}
}

// TestOperationsCoverTheDocument checks that every operation of
// openapi.yaml has a contract and that every client method names one.
func TestOperationsCoverTheDocument(t *testing.T) {
	ops := specOperations(loadSpec(t))
	if len(operations) != len(ops) {
		t.Errorf("operations has %d entries, openapi.yaml %d", len(operations), len(ops))
	}
	for key := range ops {
		if operations[key] == nil {
			t.Errorf("no generated contract for %s", key)
		}
	}
}

// TestLibraryReadsNoYAML: the contracts are Go code; neither the client
// nor its fake pulls a YAML or OpenAPI package into users' binaries.
func TestLibraryReadsNoYAML(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to list the dependencies:", err)
	}
	out, err := exec.Command("go", "list", "-deps", "github.com/iexkit/exchanger-go/client").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "yaml") || strings.Contains(dep, "openapi") || strings.HasSuffix(dep, "/internal/opgen") || strings.HasSuffix(dep, "/internal/apispec") {
			t.Errorf("package client depends on %s", dep)
		}
	}
}
