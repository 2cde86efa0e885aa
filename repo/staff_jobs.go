package repo

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// StaffJob is one piece of staff work run in the background (a results import):
// its progress in rows and, when refused, the refused rows as JSON.
type StaffJob struct {
	ID         int64        `db:"id"`
	Kind       string       `db:"kind"`
	PlanID     int64        `db:"plan_id"`
	StaffID    int64        `db:"staff_id"`
	Status     string       `db:"status"` // running, done, failed
	Total      int          `db:"total"`
	Done       int          `db:"done"`
	Refused    string       `db:"refused"`
	Error      string       `db:"error"`
	CreatedAt  time.Time    `db:"created_at"`
	UpdatedAt  time.Time    `db:"updated_at"`
	FinishedAt sql.NullTime `db:"finished_at"`
	LockKey    string       `db:"-"` // held while running (InsertStaffJob)
}

var (
	qStaffJobInsert   = NamedQuery("staff-job-insert")
	qStaffJobProgress = NamedQuery("staff-job-progress")
	qStaffJobFinish   = NamedQuery("staff-job-finish")
	qStaffJobGet      = NamedQuery("staff-job-get")
	qStaffJobRelease  = NamedQuery("staff-job-release-stale")
	qStaffJobHolding  = NamedQuery("staff-job-holding")
)

// JobRunningError refuses a job whose lock key a running job holds.
type JobRunningError struct{ JobID int64 }

func (e *JobRunningError) Error() string { return fmt.Sprintf("staff job %d holds the lock", e.JobID) }

// InsertStaffJob records a running job of total rows and returns its id. A
// job with a LockKey holds it until FinishStaffJob: while another job that
// wrote within staleAfter holds the same key, the insert is refused with a
// *JobRunningError naming it (one lock on every replica: a unique index). A
// holder silent for longer was cut off (a crash) and loses the key.
func (db *DB) InsertStaffJob(ctx context.Context, j StaffJob, now time.Time, staleAfter time.Duration) (int64, error) {
	refused := j.Refused
	if refused == "" {
		refused = "[]"
	}
	var lock sql.NullString
	if j.LockKey != "" {
		lock = sql.NullString{String: j.LockKey, Valid: true}
		if _, err := db.exec(ctx, db.W, qStaffJobRelease, j.LockKey, now.Add(-staleAfter)); err != nil {
			return 0, err
		}
	}
	res, err := db.exec(ctx, db.W, qStaffJobInsert, j.Kind, j.PlanID, j.StaffID, j.Total, refused, now, now, lock)
	if err != nil {
		if lock.Valid && IsUniqueViolation(err) {
			var holder int64
			if gerr := db.get(ctx, db.W, &holder, qStaffJobHolding, j.LockKey); gerr != nil {
				if IsNoRows(gerr) { // it finished in between: the caller may try again
					return 0, &JobRunningError{}
				}
				return 0, gerr
			}
			return 0, &JobRunningError{JobID: holder}
		}
		return 0, err
	}
	return res.LastInsertId()
}

// StaffJobProgress records how many rows a job has written so far.
func (db *DB) StaffJobProgress(ctx context.Context, on sqlx.ExecerContext, id int64, done int, now time.Time) error {
	_, err := db.exec(ctx, on, qStaffJobProgress, done, now, id)
	return err
}

// FinishStaffJob closes a job as done or failed, with the rows written and the error.
func (db *DB) FinishStaffJob(ctx context.Context, id int64, status string, done int, errText string, now time.Time) error {
	_, err := db.exec(ctx, db.W, qStaffJobFinish, status, done, errText, now, now, id)
	return err
}

// StaffJob reads one job (sql.ErrNoRows, wrapped, when absent).
func (db *DB) StaffJob(ctx context.Context, id int64) (StaffJob, error) {
	var j StaffJob
	err := db.get(ctx, db.W, &j, qStaffJobGet, id)
	return j, err
}
