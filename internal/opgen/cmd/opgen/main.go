// Command opgen writes client/operations_gen.go from
// internal/apispec/openapi.yaml. Run it through go generate in ./client.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/iexkit/exchanger-go/internal/apispec"
	"github.com/iexkit/exchanger-go/internal/opgen"
)

func main() {
	out := flag.String("o", "operations_gen.go", "file to write")
	pkg := flag.String("pkg", "client", "package name of the generated file")
	flag.Parse()
	src, err := opgen.Generate(apispec.Document(), *pkg)
	if err == nil {
		err = os.WriteFile(*out, src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
