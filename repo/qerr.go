package repo

import (
	"context"
	"database/sql"

	"github.com/jmoiron/sqlx"
)

// QueryError is a database error with the name of the named query that failed,
// so that a logged 500 says which query it was ("query plan-get: …"). It wraps
// the driver's error: errors.Is(err, sql.ErrNoRows), IsNoRows and
// IsUniqueViolation see through it.
type QueryError struct {
	Query string // the block's name in queries/*.sql
	Err   error
}

func (e *QueryError) Error() string { return "query " + e.Query + ": " + e.Err.Error() }

// Unwrap returns the driver's error.
func (e *QueryError) Unwrap() error { return e.Err }

func wrapQuery(q Query, err error) error {
	if err == nil {
		return nil
	}
	return &QueryError{Query: q.name, Err: err}
}

// get reads one row of a named query into dst (sql.ErrNoRows, wrapped, when none).
func (db *DB) get(ctx context.Context, on sqlx.QueryerContext, dst any, q Query, args ...any) error {
	err := sqlx.GetContext(ctx, on, dst, db.Q.SQL(q), args...)
	if err == nil {
		db.rowsRead.Add(1)
	}
	return wrapQuery(q, err)
}

// sel reads every row of a named query into the slice dst.
func (db *DB) sel(ctx context.Context, on sqlx.QueryerContext, dst any, q Query, args ...any) error {
	err := sqlx.SelectContext(ctx, on, dst, db.Q.SQL(q), args...)
	if err == nil {
		db.countRows(dst)
	}
	return wrapQuery(q, err)
}

// exec runs a named statement.
func (db *DB) exec(ctx context.Context, on sqlx.ExecerContext, q Query, args ...any) (sql.Result, error) {
	res, err := on.ExecContext(ctx, db.Q.SQL(q), args...)
	return res, wrapQuery(q, err)
}

// queryx opens the rows of a named query.
func (db *DB) queryx(ctx context.Context, on sqlx.QueryerContext, q Query, args ...any) (*sqlx.Rows, error) {
	rows, err := on.QueryxContext(ctx, db.Q.SQL(q), args...)
	return rows, wrapQuery(q, err)
}

// selIn reads every row of a named query whose IN (?) lists sqlx.In expands
// from slice arguments; an expansion error names the query too.
func (db *DB) selIn(ctx context.Context, on sqlx.QueryerContext, dst any, q Query, args ...any) error {
	text, a, err := sqlx.In(db.Q.SQL(q), args...)
	if err != nil {
		return wrapQuery(q, err)
	}
	return wrapQuery(q, sqlx.SelectContext(ctx, on, dst, text, a...))
}

// execIn runs a named statement whose IN (?) lists sqlx.In expands.
func (db *DB) execIn(ctx context.Context, on sqlx.ExecerContext, q Query, args ...any) (sql.Result, error) {
	text, a, err := sqlx.In(db.Q.SQL(q), args...)
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	res, err := on.ExecContext(ctx, text, a...)
	return res, wrapQuery(q, err)
}
