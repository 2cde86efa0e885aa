// Package layering holds the test that enforces the import rules of
// docs/ARCHITECTURE.md (layering_test.go); it has no code of its own.
package layering
