package repo

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"
)

// The console's lists write each optional filter as `(? = '' OR col = ?)` or
// `(? = 0 OR col = ?)`: an empty argument means no filter. MariaDB gets the
// arguments inlined, folds the unused terms away and reads the filter's index.
// SQLite plans a statement before it sees the arguments, and an OR with a
// bare column defeats every index: a filtered page or capped count then walks
// the primary key, past every row that does not match (the audit log's
// action filter counted 10,000 of a million rows in 200 ms).
//
// withFilters rewrites, for SQLite, each such term whose argument is set into
// `(? <> '' AND (col = ?))` (`<> 0` for a number): the same truth value for
// that argument, and a conjunct SQLite's planner can use an index for. A term
// whose argument is empty (or not a string or integer) is left as it is.

// withFilters returns q's SQL specialised for args (see above): on SQLite only.
func (db *DB) withFilters(q Query, args []any) string {
	text := db.Q.SQL(q)
	if db.Dialect != SQLite {
		return text
	}
	return specialiseFilters(text, args)
}

// specialiseFilters is withFilters' rewrite of text for args.
func specialiseFilters(text string, args []any) string {
	var b strings.Builder
	b.Grow(len(text) + 64)
	arg := 0         // index of the next placeholder
	depth := 0       // parentheses open
	var closes []int // depths at which a rewritten term closes
	inString := false
	for i := 0; i < len(text); i++ {
		ch := text[i]
		if inString {
			b.WriteByte(ch)
			if ch == '\'' {
				inString = false
			}
			continue
		}
		switch ch {
		case '\'':
			inString = true
		case '?':
			arg++
		case '(':
			depth++
			if g, ok := setFilterAt(text[i:], args, arg); ok {
				b.WriteString(g.to)
				closes = append(closes, depth)
				arg++
				i += len(g.from) - 1
				continue
			}
		case ')':
			if n := len(closes); n > 0 && closes[n-1] == depth {
				b.WriteByte(')')
				closes = closes[:n-1]
			}
			depth--
		}
		b.WriteByte(ch)
	}
	return b.String()
}

type filterGuard struct{ from, to string }

var filterGuards = [...]filterGuard{{"(? = '' OR ", "(? <> '' AND ("}, {"(? = 0 OR ", "(? <> 0 AND ("}}

// setFilterAt tells whether rest opens an optional filter term whose argument
// (the placeholder numbered arg) is set, and how to rewrite its opening.
func setFilterAt(rest string, args []any, arg int) (filterGuard, bool) {
	for _, g := range filterGuards {
		if strings.HasPrefix(rest, g.from) && arg < len(args) && filterSet(args[arg]) {
			return g, true
		}
	}
	return filterGuard{}, false
}

// filterSet tells whether an optional filter's argument asks for a filter.
func filterSet(v any) bool {
	switch x := v.(type) {
	case string:
		return x != ""
	case int64:
		return x != 0
	case int:
		return x != 0
	}
	return false
}

// getF is get with the query's optional filters specialised for args.
func (db *DB) getF(ctx context.Context, on sqlx.QueryerContext, dst any, q Query, args ...any) error {
	err := sqlx.GetContext(ctx, on, dst, db.withFilters(q, args), args...)
	if err == nil {
		db.rowsRead.Add(1)
	}
	return wrapQuery(q, err)
}

// selF is sel with the query's optional filters specialised for args.
func (db *DB) selF(ctx context.Context, on sqlx.QueryerContext, dst any, q Query, args ...any) error {
	err := sqlx.SelectContext(ctx, on, dst, db.withFilters(q, args), args...)
	if err == nil {
		db.countRows(dst)
	}
	return wrapQuery(q, err)
}
