package repo

import (
	"context"
	"database/sql"
	"skillcert/domain"
	"time"

	"github.com/jmoiron/sqlx"
)

var (
	qRegReopen      = NamedQuery("registration-reopen")
	qRoundInsert    = NamedQuery("registration-round-insert")
	qRoundCount     = NamedQuery("registration-round-count")
	qRounds         = NamedQuery("registration-rounds")
	qWatchFind      = NamedQuery("seat-watch-find")
	qWatchInsert    = NamedQuery("seat-watch-insert")
	qWatchDelete    = NamedQuery("seat-watch-delete")
	qWatchPending   = NamedQuery("seat-watch-pending")
	qWatchNotified  = NamedQuery("seat-watch-notified")
	qRemindDrafts   = NamedQuery("reminder-drafts-due")
	qRemindReturned = NamedQuery("reminder-returned-due")
	qDraftsOfPlan   = NamedQuery("drafts-of-plan")
)

// ReopenRegistration turns a cancelled registration back into a draft inside tx
// (made with codeID and the ID number bound now); ok is false when it is no
// longer cancelled. A unique violation means the ID number holds another
// registration of the plan.
func (db *DB) ReopenRegistration(ctx context.Context, tx *sqlx.Tx, id, codeID int64, idNumberIdx string, now time.Time) (bool, error) {
	res, err := db.exec(ctx, tx, qRegReopen, sql.NullInt64{Int64: codeID, Valid: codeID != 0}, idNumberIdx, now, id)
	return affectedOne(res, err)
}

// Round is an earlier round of a registration, ended by a cancellation.
type Round struct {
	RoundNo     int           `db:"round_no"`
	Status      domain.Status `db:"status"`
	Basis       string        `db:"basis"`
	SubmittedAt sql.NullTime  `db:"submitted_at"`
	ReviewedAt  sql.NullTime  `db:"reviewed_at"`
	ReviewNote  string        `db:"review_note"`
	CancelledAt sql.NullTime  `db:"cancelled_at"`
	ReopenedAt  time.Time     `db:"reopened_at"`
}

// InsertRound keeps the round a registration ends as it is reopened, numbered
// after the ones kept before (the caller holds the registration's row lock).
func (db *DB) InsertRound(ctx context.Context, tx *sqlx.Tx, r Registration, now time.Time) error {
	var n int
	if err := db.get(ctx, tx, &n, qRoundCount, r.ID); err != nil {
		return err
	}
	_, err := db.exec(ctx, tx, qRoundInsert, r.ID, n+1, r.Status, r.Basis, r.SubmittedAt,
		r.ReviewedAt, r.ReviewNote, r.CancelledAt, now)
	return err
}

// Rounds lists a registration's earlier rounds, first first.
func (db *DB) Rounds(ctx context.Context, q sqlx.QueryerContext, registrationID int64) ([]Round, error) {
	out := []Round{}
	err := db.sel(ctx, q, &out, qRounds, registrationID)
	return out, err
}

// SeatWatch is a pending "有空位提醒我" of a plan.
type SeatWatch struct {
	ID          int64     `db:"id"`
	CandidateID int64     `db:"candidate_id"`
	CreatedAt   time.Time `db:"created_at"`
}

// HasSeatWatch reports whether the candidate has a pending watch of the plan.
func (db *DB) HasSeatWatch(ctx context.Context, q sqlx.QueryerContext, planID, candidateID int64) (bool, error) {
	var id int64
	err := db.get(ctx, q, &id, qWatchFind, planID, candidateID)
	if IsNoRows(err) {
		return false, nil
	}
	return err == nil, err
}

// InsertSeatWatch adds a pending watch.
func (db *DB) InsertSeatWatch(ctx context.Context, tx *sqlx.Tx, planID, candidateID int64, now time.Time) error {
	_, err := db.exec(ctx, tx, qWatchInsert, planID, candidateID, now)
	return err
}

// DeleteSeatWatch removes the candidate's pending watch of a plan.
func (db *DB) DeleteSeatWatch(ctx context.Context, tx *sqlx.Tx, planID, candidateID int64) error {
	_, err := db.exec(ctx, tx, qWatchDelete, planID, candidateID)
	return err
}

// PendingSeatWatches lists a plan's pending watches in the order they were asked.
func (db *DB) PendingSeatWatches(ctx context.Context, q sqlx.QueryerContext, planID int64) ([]SeatWatch, error) {
	out := []SeatWatch{}
	err := db.sel(ctx, q, &out, qWatchPending, planID)
	return out, err
}

// MarkSeatWatchNotified closes a watch; ok is false when another process did.
func (db *DB) MarkSeatWatchNotified(ctx context.Context, tx *sqlx.Tx, id int64, now time.Time) (bool, error) {
	res, err := db.exec(ctx, tx, qWatchNotified, now, id)
	return affectedOne(res, err)
}

// DueRegistration is a registration a reminder may be due for.
type DueRegistration struct {
	RegistrationID int64  `db:"registration_id"`
	CandidateID    int64  `db:"candidate_id"`
	PlanID         int64  `db:"plan_id"`
	RegDeadline    string `db:"reg_deadline"`
}

// DraftsDueForDeadline pages the drafts of published plans whose deadline is day
// (YYYY-MM-DD), after id afterID.
func (db *DB) DraftsDueForDeadline(ctx context.Context, day string, afterID int64, limit int) ([]DueRegistration, error) {
	out := []DueRegistration{}
	err := db.sel(ctx, db.R, &out, qRemindDrafts, day, afterID, limit)
	return out, err
}

// ReturnedNotResubmitted pages the registrations returned at or before a time
// (and after since) and still returned, after id afterID.
func (db *DB) ReturnedNotResubmitted(ctx context.Context, before, since time.Time, afterID int64, limit int) ([]DueRegistration, error) {
	out := []DueRegistration{}
	err := db.sel(ctx, db.R, &out, qRemindReturned, before, since, afterID, limit)
	return out, err
}

// DraftsOfPlan pages the drafts on a plan, after id afterID.
func (db *DB) DraftsOfPlan(ctx context.Context, q sqlx.QueryerContext, planID, afterID int64, limit int) ([]DueRegistration, error) {
	out := []DueRegistration{}
	err := db.sel(ctx, q, &out, qDraftsOfPlan, planID, afterID, limit)
	return out, err
}
