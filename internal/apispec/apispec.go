// Package apispec embeds the vendor's OpenAPI document (openapi.yaml, 68
// operations) so that tests and the fake exchanger read the same contract.
package apispec

import _ "embed"

//go:embed openapi.yaml
var document []byte

// Document returns a copy of openapi.yaml's bytes.
func Document() []byte {
	return append([]byte(nil), document...)
}
