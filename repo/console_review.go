package repo

import (
	"context"
	"database/sql"
	"skillcert/domain"
	"time"

	"github.com/jmoiron/sqlx"
)

// ReviewRow is a registration as the console lists it, with its candidate's
// identity (the ID number sealed). The console's queries read the columns
// the lists need: a registration field they do not select stays zero.
type ReviewRow struct {
	Registration
	CertNo      string         `db:"cert_no"`
	CertStage   string         `db:"cert_stage"`
	Name        string         `db:"name"`
	IDType      string         `db:"id_type"`
	IDNumberEnc sql.NullString `db:"id_number_enc"`
	Gender      string         `db:"gender"`
	BirthDate   string         `db:"birth_date"`
	// VerifyState is the candidate's verification state; only EachReviewRow
	// (the roster) reads it.
	VerifyState string `db:"verify_state"`
}

// ReviewFilter narrows a plan's registrations; zero values mean everything but drafts.
type ReviewFilter struct {
	PlanID      int64
	Status      domain.Status
	Name        string // part of the name
	IDNumberIdx string // the blind index of a full ID number
	IDTailIdx   string // the keyed hash of the ID number's last four characters
}

var (
	qConsoleRegList   = NamedQuery("console-reg-list")
	qConsoleRegCount  = NamedQuery("console-reg-count")
	qConsoleRegReview = NamedQuery("console-reg-review")
	qConsoleRegAll    = NamedQuery("console-reg-all")
	qConsoleRegOne    = NamedQuery("console-reg-one")
	qRegSetIDTail     = NamedQuery("registration-set-id-tail")
	qRegIDTailTodo    = NamedQuery("registration-id-tail-todo")
)

// GetReviewRow reads one registration of a plan as the list shows it;
// sql.ErrNoRows (wrapped) when the plan has no such registration.
func (db *DB) GetReviewRow(ctx context.Context, planID, id int64) (ReviewRow, error) {
	var r ReviewRow
	err := db.get(ctx, db.R, &r, qConsoleRegOne, id, planID)
	return r, err
}

// SetIDTail stores the keyed hash of a registration's ID number's last four
// characters (on x: inside the write that set its number, or the backfill).
func (db *DB) SetIDTail(ctx context.Context, x sqlx.ExecerContext, id int64, tailIdx string) error {
	_, err := db.exec(ctx, x, qRegSetIDTail, tailIdx, id)
	return err
}

// IDTailTodo is a registration whose tail hash is missing, with its candidate's
// sealed ID number.
type IDTailTodo struct {
	ID          int64  `db:"id"`
	IDNumberEnc string `db:"id_number_enc"`
}

// IDTailsTodo lists up to limit registrations after id afterID whose tail hash
// is missing, in id order.
func (db *DB) IDTailsTodo(ctx context.Context, afterID int64, limit int) ([]IDTailTodo, error) {
	out := []IDTailTodo{}
	err := db.sel(ctx, db.R, &out, qRegIDTailTodo, afterID, limit)
	return out, err
}

func (f ReviewFilter) args() []any {
	like := ""
	if f.Name != "" {
		like = "%" + likeText(f.Name) + "%"
	}
	return []any{f.PlanID, f.Status, f.Status, f.Name, like, f.IDNumberIdx, f.IDNumberIdx, f.IDTailIdx, f.IDTailIdx}
}

// ListReviewRows returns one page of a plan's registrations in submission order,
// and the total.
func (db *DB) ListReviewRows(ctx context.Context, f ReviewFilter, limit, offset int) ([]ReviewRow, int, error) {
	out := []ReviewRow{}
	if err := db.sel(ctx, db.R, &out, qConsoleRegList, append(f.args(), limit, offset)...); err != nil {
		return nil, 0, err
	}
	var n int
	err := db.get(ctx, db.R, &n, qConsoleRegCount, f.args()...)
	return out, n, err
}

// ReviewRecord is what a reviewer's decision writes beside the status.
type ReviewRecord struct {
	ReviewedBy   int64
	Note         string
	ReturnFields string // comma-separated form fields
}

// RecordReview writes the reviewer, time, note and returned fields inside tx.
func (db *DB) RecordReview(ctx context.Context, tx *sqlx.Tx, id int64, r ReviewRecord, now time.Time) error {
	_, err := db.exec(ctx, tx, qConsoleRegReview, now, r.ReviewedBy, r.Note, r.ReturnFields, id)
	return err
}

// EachReviewRow calls fn for every registration of the plan matching f, in the
// list's order, reading them as a stream (an export of a whole plan never holds
// its rows in memory). fn's error stops the walk.
func (db *DB) EachReviewRow(ctx context.Context, f ReviewFilter, fn func(ReviewRow) error) error {
	return eachRow(ctx, db, qConsoleRegAll, f.args(), func(r ReviewRow) error {
		db.rowsRead.Add(1)
		return fn(r)
	})
}

// eachRow runs a query on the reader and scans its rows one at a time into fn
// (the streamed exports). SQLite reads without a memory map (sqliteDSN), so
// the pages an export reads go through SQLite's bounded page cache and do not
// pile up in the process's resident set.
func eachRow[T any](ctx context.Context, db *DB, q Query, args []any, fn func(T) error) error {
	var on sqlx.QueryerContext = db.R
	rows, err := on.QueryxContext(ctx, db.Q.SQL(q), args...)
	if err != nil {
		return wrapQuery(q, err)
	}
	defer rows.Close()
	var v T // one scan target for every row (fn gets a copy): no allocation a row
	for rows.Next() {
		v = *new(T)
		if err := rows.StructScan(&v); err != nil {
			return wrapQuery(q, err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return wrapQuery(q, rows.Err())
}
