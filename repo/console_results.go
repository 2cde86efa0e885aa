package repo

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// PlanResult is one recorded subject outcome of a plan's registration.
type PlanResult struct {
	RegistrationID int64           `db:"registration_id"`
	Subject        string          `db:"subject"`
	Result         string          `db:"result"`
	Score          sql.NullFloat64 `db:"score"`
}

var (
	qConsoleResultsOfPlan = NamedQuery("console-results-of-plan")
	qConsoleResultDelete  = NamedQuery("console-result-delete")
	qConsoleResultInsert  = NamedQuery("console-result-insert")
	qConsoleCertSet       = NamedQuery("console-cert-set")
	qConsoleCertEvent     = NamedQuery("console-cert-event-insert")
	qConsoleResultsDelete = NamedQuery("console-results-delete-subject")
)

// PlanResults returns every recorded result of a plan's registrations.
func (db *DB) PlanResults(ctx context.Context, q sqlx.QueryerContext, planID int64) ([]PlanResult, error) {
	out := []PlanResult{}
	err := db.sel(ctx, q, &out, qConsoleResultsOfPlan, planID)
	return out, err
}

// SetExamResult records (or replaces) one subject's outcome inside tx.
func (db *DB) SetExamResult(ctx context.Context, tx *sqlx.Tx, r PlanResult, now time.Time) error {
	if _, err := db.exec(ctx, tx, qConsoleResultDelete, r.RegistrationID, r.Subject); err != nil {
		return err
	}
	_, err := db.exec(ctx, tx, qConsoleResultInsert, r.RegistrationID, r.Subject, r.Result, r.Score, now)
	return err
}

// SetExamResults records (or replaces) many outcomes inside tx: one DELETE per
// subject and one multi-row INSERT, whatever the number of rows.
func (db *DB) SetExamResults(ctx context.Context, tx *sqlx.Tx, rows []PlanResult, now time.Time) error {
	if len(rows) == 0 {
		return nil
	}
	bySubject := map[string][]int64{}
	for _, r := range rows {
		bySubject[r.Subject] = append(bySubject[r.Subject], r.RegistrationID)
	}
	for subj, ids := range bySubject {
		q, args, err := sqlx.In(db.Q.SQL(qConsoleResultsDelete), subj, ids)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return wrapQuery(qConsoleResultsDelete, err)
		}
	}
	// The one-row INSERT block, its VALUES tuple repeated once per row.
	var b strings.Builder
	b.WriteString(db.Q.SQL(qConsoleResultInsert))
	args := make([]any, 0, len(rows)*5)
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", (?, ?, ?, ?, ?)")
		}
		args = append(args, r.RegistrationID, r.Subject, r.Result, r.Score, now)
	}
	_, err := tx.ExecContext(ctx, b.String(), args...)
	return wrapQuery(qConsoleResultInsert, err)
}

// SetCertificate writes a registration's certificate number and stage inside tx.
func (db *DB) SetCertificate(ctx context.Context, tx *sqlx.Tx, regID int64, certNo, stage string, now time.Time) error {
	_, err := db.exec(ctx, tx, qConsoleCertSet, certNo, stage, now, regID)
	return err
}

// InsertCertEvent appends a certificate progress event inside tx and returns its id.
func (db *DB) InsertCertEvent(ctx context.Context, tx *sqlx.Tx, regID int64, stage, note string, at time.Time, by int64) (int64, error) {
	res, err := db.exec(ctx, tx, qConsoleCertEvent, regID, stage, note, at, sql.NullInt64{Int64: by, Valid: by != 0})
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}
