package repo

import (
	"regexp"
	"testing"
)

// TestEveryRegistrationWriteMovesItsVersion checks, for both dialects, that
// every UPDATE of registrations the store runs moves the row's version: a
// submit's status write is pinned to the version it read before its
// transaction (registration-set-status-pinned), so a write that left it would
// let a submit pass on what it no longer is.
func TestEveryRegistrationWriteMovesItsVersion(t *testing.T) {
	update := regexp.MustCompile(`(?i)\bUPDATE\s+registrations\b`)
	// The column may be qualified (an UPDATE … JOIN or … FROM names its table).
	moves := regexp.MustCompile(`(?i)\bSET\s+(\w+\.)?version\s*=\s*(\w+\.)?version\s*\+\s*1\b`)
	for _, d := range []Dialect{SQLite, MySQL} {
		q, err := LoadQueries(d)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for name, text := range q.sql {
			if !update.MatchString(text) {
				continue
			}
			n++
			if !moves.MatchString(text) {
				t.Errorf("%s: %s updates registrations without version = version + 1", d, name)
			}
		}
		if n < 10 {
			t.Errorf("%s: only %d updates of registrations found; the check reads the wrong texts", d, n)
		}
	}
}
