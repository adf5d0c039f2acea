package client

//go:generate go run ../internal/opgen/cmd/opgen -o operations_gen.go

// The request contract of every operation, as generated from
// internal/apispec/openapi.yaml into operations_gen.go. One table describes
// them all, so that validate holds no per-method if statements and a change
// of the document is one go generate away (a test fails while the generated
// file is stale).

// operation is what one API operation accepts.
type operation struct {
	path         []param // path parameters in template order
	query        []param // declared query parameters, sorted by name
	body         *rule   // JSON request body, nil for none
	bodyRequired bool
}

// param is a path or query parameter.
type param struct {
	name     string
	required bool
	rule     *rule
}

// rule is the checks of one JSON value, flattened from a schema: allOf
// merged, required-only oneOf/anyOf branches kept as sets of names.
type rule struct {
	types    []string // JSON types allowed; empty allows any
	format   string   // uuid, email, uri, date-time, ...
	enum     []string // allowed values as JSON literals: `"paid"`, `0`
	minLen   int
	maxLen   int // 0: no limit (openapi.yaml declares no maxLength 0)
	min, max *float64
	minItems int
	maxItems int // 0: no limit
	nullable bool
	required []string
	props    map[string]*rule
	items    *rule
	oneOf    [][]string        // exactly one of these name sets must be present
	anyOf    [][]string        // at least one of these name sets must be present
	aliases  map[string]string // alias -> the field it stands for; never both
}

func ptr(f float64) *float64 { return &f }
