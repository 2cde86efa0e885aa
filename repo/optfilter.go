package repo

import (
	"context"
	"reflect"
	"strings"

	"github.com/jmoiron/sqlx"
)

// The console's lists write each optional filter as `(? = '' OR col = ?)` or
// `(? = 0 OR col = ?)`: an empty argument means no filter. SQLite plans a
// statement before it sees the arguments, and an OR with a bare column
// defeats every index: a filtered page or capped count then walked the
// primary key past every row that does not match (the audit log's action
// filter counted 10,000 of a million rows in 200 ms). MariaDB folds the
// arguments, but a column of an unused filter still kept the capped counts
// off their covering index: each of 10,000 matches was read from the table.
//
// withFilters rewrites each such term for its argument. On SQLite a set filter
// becomes `(? <> '' AND (col = ?))` (`<> 0` for a number), the same truth
// value and a conjunct an index serves (not on MariaDB: there it would let a
// small table drive the join into a sort, e.g. the feedback inbox from the
// region's plans). An unused filter becomes
// `(? = '' OR ? IS NULL …)`, true as before, with its placeholders kept and
// its columns gone: on SQLite, and on MariaDB for the audit log (see
// mariaDBUnsetFilters). A term whose argument is not a string or an integer
// is left as written.

// withFilters returns q's SQL specialised for args (see above).
func (db *DB) withFilters(q Query, args []any) string {
	if db.Dialect != SQLite && !mariaDBUnsetFilters[q.name] {
		return db.Q.SQL(q)
	}
	return specialiseFilters(db.Q.SQL(q), args, db.Dialect == SQLite)
}

// mariaDBUnsetFilters are the queries whose unused filters are dropped on
// MariaDB too: those that read one table for their ids. When the feedback
// inbox was joined to plans for the region, the unused terms' columns kept
// MariaDB reading feedback by key; without them it drove the inbox from the
// region's plans into a sort (TestStaffListsPlanWithoutSort).
var mariaDBUnsetFilters = map[string]bool{"audit-page-older": true, "audit-page-newer": true, "audit-count-capped": true,
	"audit-count-newest": true, "audit-oldest": true,
	// The feedback inbox finds its ids in feedback alone too (migration
	// 00032): with the unused filters' columns gone, an index of the set
	// ones covers the page's ids and the counts.
	"feedback-inbox-older": true, "feedback-inbox-newer": true, "feedback-inbox-count-capped": true,
	"feedback-inbox-count-newest": true, "feedback-inbox-oldest": true,
	// The plan list's capped count is one table: with the unused filters'
	// columns gone, (state, id) or (state, reg_deadline, reg_start) cover it.
	// Its keyset pages find their ids in plans alone (the store names the
	// index, planPageSQL); an unused 有待审核 term left in them was planned as
	// a materialised subquery of the registrations awaiting review.
	"console-plan-count-capped": true, "console-plan-older": true, "console-plan-newer": true,
	// The plans among a batch of ids (有待审核, a search) and a search's
	// count carry every filter; left in, the unused 有待审核 term was
	// materialised for each batch (all the registrations awaiting review).
	"console-plan-among-older": true, "console-plan-among-newer": true, "console-plan-gram-search-count-newest": true,
	// The 最近有动态 order's reads name their index (activityPageSQL); the
	// unused 有待审核 term is dropped from them as from the pages above.
	"console-plan-activity-same-older": true, "console-plan-activity-older": true,
	"console-plan-activity-same-newer": true, "console-plan-activity-newer": true}

// specialiseFilters is withFilters' rewrite of text for args.
func specialiseFilters(text string, args []any, andSet bool) string {
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
			if g, ok := setFilterAt(text[i:], args, arg); ok && andSet {
				b.WriteString(g.to)
				closes = append(closes, depth)
				arg++
				i += len(g.from) - 1
				continue
			}
			if g, ok := unsetFilterAt(text[i:], args, arg); ok {
				// The term is true whatever its columns hold: keep its
				// placeholders, drop the columns.
				n, end := termPlaceholders(text, i+len(g.from))
				b.WriteString(g.from)
				for k := range n {
					if k > 0 {
						b.WriteString(" OR ")
					}
					b.WriteString("? IS NULL")
				}
				b.WriteByte(')')
				arg += 1 + n
				i = end
				depth--
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

// unsetFilterAt tells whether rest opens an optional filter term whose
// argument is the empty string or zero (the term is then true).
func unsetFilterAt(rest string, args []any, arg int) (filterGuard, bool) {
	for _, g := range filterGuards {
		if strings.HasPrefix(rest, g.from) && arg < len(args) && filterEmpty(args[arg]) {
			return g, true
		}
	}
	return filterGuard{}, false
}

// termPlaceholders counts the placeholders of text from start up to the
// parenthesis that closes the term open there, and returns that parenthesis'
// index.
func termPlaceholders(text string, start int) (n, end int) {
	depth, inString := 1, false
	for i := start; i < len(text); i++ {
		switch ch := text[i]; {
		case inString:
			inString = ch != '\''
		case ch == '\'':
			inString = true
		case ch == '?':
			n++
		case ch == '(':
			depth++
		case ch == ')':
			depth--
			if depth == 0 {
				return n, i
			}
		}
	}
	return n, len(text) - 1
}

// filterEmpty tells whether an optional filter's argument asks for no filter.
func filterEmpty(v any) bool {
	empty, ok := filterArg(v)
	return ok && empty
}

// filterArg tells whether v is an optional filter's argument (a string or an
// integer, of any type whose kind that is: domain.FeedbackStatus, say) and
// whether it is empty ("" or 0).
func filterArg(v any) (empty, ok bool) {
	if v == nil {
		return false, false
	}
	switch r := reflect.ValueOf(v); r.Kind() {
	case reflect.String:
		return r.Len() == 0, true
	case reflect.Int, reflect.Int64, reflect.Int32:
		return r.Int() == 0, true
	}
	return false, false
}

// filterSet tells whether an optional filter's argument asks for a filter.
func filterSet(v any) bool {
	empty, ok := filterArg(v)
	return ok && !empty
}

// getF is get with the query's optional filters specialised for args.
func (db *DB) getF(ctx context.Context, on sqlx.QueryerContext, dst any, q Query, args ...any) error {
	err := sqlx.GetContext(ctx, on, dst, db.withFilters(q, args), args...)
	if err == nil {
		db.rowsRead.Add(1)
	}
	return wrapQuery(q, err)
}

// getText is getF for q sent as text (its filters specialised and perhaps
// an index named).
func (db *DB) getText(ctx context.Context, on sqlx.QueryerContext, dst any, q Query, text string, args ...any) error {
	err := sqlx.GetContext(ctx, on, dst, text, args...)
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

// selInF is selF for a query with an IN (?) list that sqlx.In expands.
func (db *DB) selInF(ctx context.Context, on sqlx.QueryerContext, dst any, q Query, args ...any) error {
	text, a, err := db.inFilters(q, args)
	if err != nil {
		return wrapQuery(q, err)
	}
	err = sqlx.SelectContext(ctx, on, dst, text, a...)
	if err == nil {
		db.countRows(dst)
	}
	return wrapQuery(q, err)
}

// inFilters is q's text with its IN (?) lists expanded by sqlx.In and then
// its optional filters specialised (withFilters) for the expanded arguments,
// one to a placeholder.
func (db *DB) inFilters(q Query, args []any) (string, []any, error) {
	text, a, err := sqlx.In(db.Q.SQL(q), args...)
	if err != nil {
		return "", nil, err
	}
	if db.Dialect == SQLite || mariaDBUnsetFilters[q.name] {
		text = specialiseFilters(text, a, db.Dialect == SQLite)
	}
	return text, a, nil
}

// selText is sel with the text of q given (e.g. specialised by withFilters).
func (db *DB) selText(ctx context.Context, on sqlx.QueryerContext, dst any, q Query, text string, args ...any) error {
	err := sqlx.SelectContext(ctx, on, dst, text, args...)
	if err == nil {
		db.countRows(dst)
	}
	return wrapQuery(q, err)
}
