package repo

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

var (
	qConsoleBulkLock         = NamedQuery("console-bulk-lock")
	qConsoleBulkDecide       = NamedQuery("console-bulk-decide")
	qConsoleBulkSeatsFree    = NamedQuery("console-bulk-seats-free")
	qConsoleBulkPendingIDs   = NamedQuery("console-bulk-pending-ids")
	qConsoleBulkPendingCount = NamedQuery("console-bulk-pending-count")
)

// PendingRow is a registration of a bulk batch that still awaits review.
type PendingRow struct {
	ID          int64 `db:"id"`
	CandidateID int64 `db:"candidate_id"`
}

// LockPending returns (and on MySQL locks) those of ids that belong to the plan
// and still await review, in id order.
func (db *DB) LockPending(ctx context.Context, tx *sqlx.Tx, planID int64, ids []int64) ([]PendingRow, error) {
	out := []PendingRow{}
	if len(ids) == 0 {
		return out, nil
	}
	err := db.selIn(ctx, tx, &out, qConsoleBulkLock, planID, ids)
	return out, err
}

// BulkDecision is one reviewer's decision applied to a set of registrations.
type BulkDecision struct {
	To       string // the new status
	SeatHeld bool
	Record   ReviewRecord
}

// DecidePending applies d to the registrations ids of the plan that still await
// review, in one statement, and returns how many it changed.
func (db *DB) DecidePending(ctx context.Context, tx *sqlx.Tx, planID int64, ids []int64, d BulkDecision, now time.Time) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	res, err := db.execIn(ctx, tx, qConsoleBulkDecide, d.To, d.SeatHeld, now, d.Record.ReviewedBy, d.Record.Note,
		d.Record.ReturnFields, now, planID, ids)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// FreeSeats gives n seats of a plan back inside tx (and records the change).
func (db *DB) FreeSeats(ctx context.Context, tx *sqlx.Tx, planID int64, n int, now time.Time) error {
	if n <= 0 {
		return nil
	}
	if _, err := db.exec(ctx, tx, qConsoleBulkSeatsFree, n, n, now, now, now, planID); err != nil {
		return err
	}
	return db.RecordPlanChange(ctx, tx, planID, now)
}

// PendingIDs returns up to limit ids of the plan's registrations awaiting review
// that match f (its Status is ignored), in id order.
func (db *DB) PendingIDs(ctx context.Context, f ReviewFilter, limit int) ([]int64, error) {
	out := []int64{}
	err := db.sel(ctx, db.R, &out, qConsoleBulkPendingIDs, append(f.pendingArgs(), limit)...)
	return out, err
}

// CountPending counts the plan's registrations awaiting review that match f
// (its Status is ignored).
func (db *DB) CountPending(ctx context.Context, f ReviewFilter) (int, error) {
	var n int
	err := db.get(ctx, db.R, &n, qConsoleBulkPendingCount, f.pendingArgs()...)
	return n, err
}

func (f ReviewFilter) pendingArgs() []any {
	a := f.args()
	return append([]any{a[0]}, a[3:]...)
}
