package repo

import (
	"context"
	"database/sql"
	"time"
)

// CertRegistration is a registration shown in certificate progress.
type CertRegistration struct {
	ID        int64  `db:"id"`
	PlanID    int64  `db:"plan_id"`
	CertNo    string `db:"cert_no"`
	CertStage string `db:"cert_stage"`
}

// ExamResult is one subject's recorded result.
type ExamResult struct {
	RegistrationID int64           `db:"registration_id"`
	Subject        string          `db:"subject"`
	Result         string          `db:"result"`
	Score          sql.NullFloat64 `db:"score"`
}

// StageReached is when a registration's certificate reached a stage.
type StageReached struct {
	RegistrationID int64     `db:"registration_id"`
	Stage          string    `db:"stage"`
	ReachedAt      time.Time `db:"reached_at"`
}

// CertHolder is the candidate's name and sealed ID number, for the national
// certificate query hint.
type CertHolder struct {
	Name        string         `db:"name"`
	IDNumberEnc sql.NullString `db:"id_number_enc"`
}

// ReminderDue is an approved registration whose evaluation starts on a date.
type ReminderDue struct {
	RegistrationID int64  `db:"id"`
	CandidateID    int64  `db:"candidate_id"`
	PlanID         int64  `db:"plan_id"`
	EvalStart      string `db:"eval_start"`
}

var (
	qCertRegistrations = NamedQuery("cert-registrations")
	qCertResults       = NamedQuery("cert-results")
	qCertStages        = NamedQuery("cert-stages")
	qCertHolder        = NamedQuery("cert-holder")
	qRemindersDue      = NamedQuery("reminders-due")
)

// CertRegistrations lists a candidate's approved registrations that reached
// evaluation by the Beijing date today (or already have results or a stage).
func (db *DB) CertRegistrations(ctx context.Context, candidateID int64, today string) ([]CertRegistration, error) {
	out := []CertRegistration{}
	err := db.sel(ctx, db.R, &out, qCertRegistrations, candidateID, today)
	return out, err
}

// ExamResults lists the results of registrations.
func (db *DB) ExamResults(ctx context.Context, registrationIDs []int64) ([]ExamResult, error) {
	var out []ExamResult
	err := db.selectIn(ctx, &out, qCertResults, registrationIDs)
	return out, err
}

// StagesReached lists the stage events of registrations, oldest first.
func (db *DB) StagesReached(ctx context.Context, registrationIDs []int64) ([]StageReached, error) {
	var out []StageReached
	err := db.selectIn(ctx, &out, qCertStages, registrationIDs)
	return out, err
}

// GetCertHolder reads a candidate's name and sealed ID number.
func (db *DB) GetCertHolder(ctx context.Context, candidateID int64) (CertHolder, error) {
	var h CertHolder
	err := db.get(ctx, db.R, &h, qCertHolder, candidateID)
	return h, err
}

// RemindersDue lists up to limit approved registrations of live plans starting
// on evalStart that have no exam reminder yet.
func (db *DB) RemindersDue(ctx context.Context, evalStart string, limit int) ([]ReminderDue, error) {
	var out []ReminderDue
	err := db.sel(ctx, db.R, &out, qRemindersDue, evalStart, limit)
	return out, err
}

// selectIn runs a block whose only parameter is an IN (?) list; no ids, no rows.
func (db *DB) selectIn(ctx context.Context, dest any, q Query, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if err := db.selIn(ctx, db.R, dest, q, ids); err != nil {
		return err
	}
	db.countRows(dest)
	return nil
}
