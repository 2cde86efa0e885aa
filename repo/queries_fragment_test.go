package repo

import (
	"strings"
	"testing"
)

// TestFragmentsExpand checks that an `-- include:` line is replaced by its
// fragment's text, that the fragment is no query, and that an unknown or nested
// include is refused.
func TestFragmentsExpand(t *testing.T) {
	src := `-- fragment: only-open
-- A shared filter.
WHERE status = 'open' AND region = ?

-- name: open-list
SELECT id FROM things
-- include: only-open
ORDER BY id;

-- name: open-count
SELECT COUNT(*) FROM things
    -- include: only-open
;
`
	queries, frags, err := parseBlocks(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := queries["only-open"]; ok {
		t.Fatal("a fragment was taken for a query")
	}
	want := map[string]string{
		"open-list":  "SELECT id FROM things\nWHERE status = 'open' AND region = ?\nORDER BY id",
		"open-count": "SELECT COUNT(*) FROM things\nWHERE status = 'open' AND region = ?",
	}
	for name, w := range want {
		got, err := expandIncludes(queries[name], frags)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}

	q, f, err := parseBlocks("-- name: q\nSELECT 1\n-- include: nowhere\n")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := expandIncludes(q["q"], f); err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Errorf("unknown fragment: err = %v", err)
	}
	if _, _, err := parseBlocks("-- fragment: a\nx\n-- fragment: b\nWHERE 1\n-- include: a\n"); err == nil {
		t.Error("a fragment including another was accepted")
	}

	// The embedded inbox queries hold the expanded filter, not the mark.
	for _, d := range []Dialect{SQLite, MySQL} {
		qs, err := LoadQueries(d)
		if err != nil {
			t.Fatal(err)
		}
		for name, text := range qs.sql {
			if strings.Contains(text, includeMark) {
				t.Errorf("%s %s: include left unexpanded", d, name)
			}
		}
		if s := qs.sql["feedback-inbox-count-capped"]; !strings.Contains(s, "f.supervision_region = ?") {
			t.Errorf("%s feedback-inbox-count-capped lacks the filter: %s", d, s)
		}
	}
}
