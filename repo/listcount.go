package repo

import (
	"context"
	"math"
)

// ListCount is how many rows a console list's filter matches: exact up to the
// bound the caller asked for, an estimate beyond it (Approx). A count that
// grows with the table would cost every page a walk of up to the whole table;
// past a thousand rows nobody needs the last digit ("共约 12 万条").
type ListCount struct {
	N      int
	Approx bool
}

// newestSpan is what a list's count-newest query reads: how many of the
// newest matches it counted (up to its limit), the id of the newest and the id
// of the last one counted.
type newestSpan struct {
	N    int   `db:"n"`
	High int64 `db:"high"`
	Low  int64 `db:"low"`
}

// listCount names a list's three count queries: capped counts the matches in
// no order up to a limit; newest counts the newest up to a limit and gives
// their span (newestSpan); oldest is the id of the oldest match.
type listCount struct {
	capped, newest, oldest Query
	// text is a query's text as sent for args; nil: its filters
	// specialised (withFilters).
	text func(q Query, args []any) string
}

// get runs q of c for args into dst.
func (c listCount) get(ctx context.Context, db *DB, dst any, q Query, args []any) error {
	if c.text == nil {
		return db.getF(ctx, db.R, dst, q, args...)
	}
	return db.getText(ctx, db.R, dst, q, c.text(q, args), args...)
}

// countList counts the rows matching a list's filter args: the capped query
// counts up to exact+1 in whatever order the engine reads fastest; with no
// more than exact, that is the answer. Beyond it, the newest query counts
// exact+1 of the newest matches and the oldest query finds the oldest one,
// and the count is estimated from the density of matches among the ids
// counted, spread over the ids from the oldest match to the newest. Each
// reads in order and stops early, whatever the table's size.
func (db *DB) countList(ctx context.Context, q listCount, args []any, exact int) (ListCount, error) {
	var n int
	if err := q.get(ctx, db, &n, q.capped, append(args[:len(args):len(args)], exact+1)); err != nil {
		return ListCount{}, err
	}
	if n <= exact {
		return ListCount{N: n}, nil
	}
	var s newestSpan
	if err := q.get(ctx, db, &s, q.newest, append(args[:len(args):len(args)], exact+1)); err != nil {
		return ListCount{}, err
	}
	if s.N <= exact { // rows went between the two reads
		return ListCount{N: s.N}, nil
	}
	var first int64
	if err := q.get(ctx, db, &first, q.oldest, args); err != nil && !IsNoRows(err) {
		return ListCount{}, err // no row: the matches went meanwhile; first 0 keeps what was counted
	}
	return ListCount{N: estimateCount(s, first), Approx: true}, nil
}

// estimateCount extrapolates s's density of matches (s.N among the ids
// s.Low..s.High) over the ids first..s.High. It is never below what was counted.
func estimateCount(s newestSpan, first int64) int {
	if first <= 0 || first > s.Low || s.High < s.Low {
		return s.N
	}
	sampled := float64(s.High-s.Low) + 1
	all := float64(s.High-first) + 1
	return max(s.N, int(math.Round(float64(s.N)*all/sampled)))
}
