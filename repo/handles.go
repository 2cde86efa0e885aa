package repo

import (
	"context"

	"github.com/jmoiron/sqlx"
)

//go:generate go run ../internal/repogen

// The repo's queries as methods of three handle types, so that callers (core)
// name neither sqlx nor a pool. Each exported method of DB whose second
// parameter is a database handle has a twin, generated in methods_gen.go, on
// the type that can run it:
//
//	sqlx.QueryerContext → Reader (and so Writer and Tx, which embed it)
//	sqlx.ExecerContext, sqlx.ExtContext → Writer (and so Tx)
//	*sqlx.Tx → Tx
//
// The handles are small values (a DB pointer and the sqlx handle): a method
// call costs what the DB method it wraps costs.

// Reader runs the read queries on one handle: the read pool (DB.Read), the
// writer connection (a Writer's), or a transaction (a Tx's, which sees the
// transaction's own writes).
type Reader struct {
	db *DB
	q  sqlx.QueryerContext
}

// Writer runs single statements outside a transaction on the writer pool
// (DB.Write), and reads there too: a read through a Writer sees what was just
// written without waiting for a read connection, and on SQLite it runs on the
// one writer connection. Tx embeds a Writer over its transaction.
type Writer struct {
	Reader
	x sqlx.ExtContext
}

// Tx is a transaction opened by DB.WithTx: every read and write query, plus
// the ones that need a transaction (row locks, several statements that must
// commit together).
type Tx struct {
	Writer
	tx *sqlx.Tx
}

// Read returns the reader over the read pool: plain reads outside a
// transaction.
func (db *DB) Read() Reader { return Reader{db: db, q: db.R} }

// Write returns the writer over the writer pool, for a single statement that
// needs no transaction and for a read that must see a write just made.
func (db *DB) Write() Writer { return Writer{Reader: Reader{db: db, q: db.W}, x: db.W} }

func (db *DB) wrapTx(tx *sqlx.Tx) Tx {
	return Tx{Writer: Writer{Reader: Reader{db: db, q: tx}, x: tx}, tx: tx}
}

// WithTx runs fn in a transaction on the writer pool; it commits when fn returns
// nil and rolls back otherwise (a panic rolls back too). The error of Commit is
// returned.
func (db *DB) WithTx(ctx context.Context, fn func(tx Tx) error) error {
	return db.WithSQLTx(ctx, func(tx *sqlx.Tx) error { return fn(db.wrapTx(tx)) })
}

// InSavepoint runs fn inside the savepoint name of this transaction (see the
// package function InSavepoint for fnErr and txErr).
func (t Tx) InSavepoint(ctx context.Context, name string, fn func(tx Tx) error) (fnErr, txErr error) {
	return InSavepoint(ctx, t.tx, name, func(*sqlx.Tx) error { return fn(t) })
}

// SQL returns the bare sqlx transaction, for tools and tests that write SQL of
// their own inside a Tx (core does not call it: internal/layering checks).
func (t Tx) SQL() *sqlx.Tx { return t.tx }
