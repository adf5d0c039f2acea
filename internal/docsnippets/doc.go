// Package docsnippets holds the test that compiles every ```go block of the
// repository's Markdown (README.md and docs/*.md), so that a snippet a user
// copies builds with the SDK as it is. The package has no code of its own;
// the rules a snippet follows are in Convention (snippets_test.go) and in an
// HTML comment at the top of README.md.
package docsnippets
