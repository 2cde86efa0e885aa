package repo

import "testing"

type (
	namedString string
	namedInt    int64
)

func TestSpecialiseFilters(t *testing.T) {
	const q = "SELECT 1 FROM t WHERE (? = 0 OR a = ?) AND (? = '' OR b = ? OR c LIKE ?) AND d = 'x?(' AND (? = '' OR (? = 'o' AND e = ?)) AND id < ?"
	for _, c := range []struct {
		args []any
		want string
	}{
		{[]any{int64(0), int64(0), "", "", "", "", "", "", int64(9)},
			"SELECT 1 FROM t WHERE (? = 0 OR ? IS NULL) AND (? = '' OR ? IS NULL OR ? IS NULL) AND d = 'x?(' AND (? = '' OR ? IS NULL OR ? IS NULL) AND id < ?"},
		{[]any{int64(7), int64(7), "", "", "", "", "", "", int64(9)},
			"SELECT 1 FROM t WHERE (? <> 0 AND (a = ?)) AND (? = '' OR ? IS NULL OR ? IS NULL) AND d = 'x?(' AND (? = '' OR ? IS NULL OR ? IS NULL) AND id < ?"},
		{[]any{int64(0), int64(0), "k", "k", "%k%", "o", "o", "d", int64(9)},
			"SELECT 1 FROM t WHERE (? = 0 OR ? IS NULL) AND (? <> '' AND (b = ? OR c LIKE ?)) AND d = 'x?(' AND (? <> '' AND ((? = 'o' AND e = ?))) AND id < ?"},
		// A type whose kind is string or an integer is one (the feedback
		// inbox's status is a domain.FeedbackStatus: its term was left as
		// written, and SQLite could not read (region, status, id)).
		{[]any{namedInt(7), namedInt(7), namedString(""), namedString(""), "", "o", namedString("o"), "d", int64(9)},
			"SELECT 1 FROM t WHERE (? <> 0 AND (a = ?)) AND (? = '' OR ? IS NULL OR ? IS NULL) AND d = 'x?(' AND (? <> '' AND ((? = 'o' AND e = ?))) AND id < ?"},
		// Arguments of other types (NULL here) leave their term as written.
		{[]any{nil, nil, "k", "k", "%k%", "o", "o", "d", int64(9)},
			"SELECT 1 FROM t WHERE (? = 0 OR a = ?) AND (? <> '' AND (b = ? OR c LIKE ?)) AND d = 'x?(' AND (? <> '' AND ((? = 'o' AND e = ?))) AND id < ?"},
	} {
		if got := specialiseFilters(q, c.args, true); got != c.want {
			t.Errorf("args %v:\n got %s\nwant %s", c.args, got, c.want)
		}
	}
}
