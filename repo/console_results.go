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
	qConsoleResultInsert  = NamedQuery("console-result-insert")
	qConsoleCertEvent     = NamedQuery("console-cert-event-insert")
	qConsoleResultsDelete = NamedQuery("console-results-delete-subject")
	qConsoleCertSetMany   = NamedQuery("console-cert-set-many")
	qConsoleCertLatest    = NamedQuery("console-cert-events-latest")
)

// PlanResults returns every recorded result of a plan's registrations.
func (db *DB) PlanResults(ctx context.Context, q sqlx.QueryerContext, planID int64) ([]PlanResult, error) {
	out := []PlanResult{}
	err := db.sel(ctx, q, &out, qConsoleResultsOfPlan, planID)
	return out, err
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
		if _, err := db.execIn(ctx, tx, qConsoleResultsDelete, subj, ids); err != nil {
			return err
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

// CertChange is one registration's certificate number and stage, and the
// progress event's note, written by a results import.
type CertChange struct {
	RegistrationID int64
	CertNo, Stage  string
	Note           string
}

// SetCertificates writes many registrations' certificate numbers and stages
// inside tx in one UPDATE (a CASE per column; the block's one WHEN is repeated
// once per registration).
func (db *DB) SetCertificates(ctx context.Context, tx *sqlx.Tx, cs []CertChange, now time.Time) error {
	if len(cs) == 0 {
		return nil
	}
	when := strings.TrimSuffix(strings.Repeat("WHEN ? THEN ? ", len(cs)), " ")
	text := strings.ReplaceAll(db.Q.SQL(qConsoleCertSetMany), "WHEN ? THEN ?", when)
	ids := make([]int64, len(cs))
	args := make([]any, 0, 4*len(cs)+2)
	for i, c := range cs {
		ids[i] = c.RegistrationID
		args = append(args, c.RegistrationID, c.CertNo)
	}
	for _, c := range cs {
		args = append(args, c.RegistrationID, c.Stage)
	}
	args = append(args, now, ids)
	q, qargs, err := sqlx.In(text, args...)
	if err != nil {
		return wrapQuery(qConsoleCertSetMany, err)
	}
	_, err = tx.ExecContext(ctx, q, qargs...)
	return wrapQuery(qConsoleCertSetMany, err)
}

// InsertCertEvents appends one certificate progress event per change inside tx
// in one multi-row INSERT and returns each registration's new event id (the
// registration's latest event, read in the same transaction).
func (db *DB) InsertCertEvents(ctx context.Context, tx *sqlx.Tx, cs []CertChange, at time.Time, by int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(cs))
	if len(cs) == 0 {
		return out, nil
	}
	var b strings.Builder
	b.WriteString(db.Q.SQL(qConsoleCertEvent))
	byArg := sql.NullInt64{Int64: by, Valid: by != 0}
	args := make([]any, 0, 5*len(cs))
	ids := make([]int64, len(cs))
	for i, c := range cs {
		if i > 0 {
			b.WriteString(", (?, ?, ?, ?, ?)")
		}
		args = append(args, c.RegistrationID, c.Stage, c.Note, at, byArg)
		ids[i] = c.RegistrationID
	}
	if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
		return nil, wrapQuery(qConsoleCertEvent, err)
	}
	var latest []struct {
		RegistrationID int64 `db:"registration_id"`
		ID             int64 `db:"id"`
	}
	if err := db.selIn(ctx, tx, &latest, qConsoleCertLatest, ids); err != nil {
		return nil, err
	}
	for _, l := range latest {
		out[l.RegistrationID] = l.ID
	}
	return out, nil
}
