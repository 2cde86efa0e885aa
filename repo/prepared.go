package repo

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// getPrepared reads one row of a named query on the read pool through a
// statement prepared once and kept. It is for the reads every request makes
// (the session of a token, the submit pre-check): parsing the SQL costs several
// times more than running it (on SQLite ~20 µs a parse against ~5 µs a run), and
// a burst pays it thousands of times. database/sql re-prepares the statement on
// each connection that needs it.
func (db *DB) getPrepared(ctx context.Context, dst any, q Query, args ...any) error {
	st, err := db.readStmt(ctx, q)
	if err != nil {
		return wrapQuery(q, err)
	}
	return wrapQuery(q, st.GetContext(ctx, dst, args...))
}

func (db *DB) readStmt(ctx context.Context, q Query) (*sqlx.Stmt, error) {
	if v, ok := db.stmts.Load(q.name); ok {
		return v.(*sqlx.Stmt), nil
	}
	st, err := db.R.PreparexContext(ctx, db.Q.SQL(q))
	if err != nil {
		return nil, err
	}
	if v, loaded := db.stmts.LoadOrStore(q.name, st); loaded {
		st.Close()
		return v.(*sqlx.Stmt), nil
	}
	return st, nil
}

func (db *DB) closeStatements() {
	db.stmts.Range(func(k, v any) bool {
		v.(*sqlx.Stmt).Close()
		db.stmts.Delete(k)
		return true
	})
}
