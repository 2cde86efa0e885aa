package repo

import (
	"context"
	"database/sql"
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
}

var (
	qStaffJobInsert   = NamedQuery("staff-job-insert")
	qStaffJobProgress = NamedQuery("staff-job-progress")
	qStaffJobFinish   = NamedQuery("staff-job-finish")
	qStaffJobGet      = NamedQuery("staff-job-get")
)

// InsertStaffJob records a running job of total rows and returns its id.
func (db *DB) InsertStaffJob(ctx context.Context, j StaffJob, now time.Time) (int64, error) {
	refused := j.Refused
	if refused == "" {
		refused = "[]"
	}
	res, err := db.exec(ctx, db.W, qStaffJobInsert, j.Kind, j.PlanID, j.StaffID, j.Total, refused, now, now)
	if err != nil {
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
