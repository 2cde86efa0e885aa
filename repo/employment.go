package repo

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// EmploymentRecord is one row of the employment register: who (by the blind
// index of the ID number) worked where from when.
type EmploymentRecord struct {
	IDNumberIdx string
	Employer    string
	FromDate    string // YYYY-MM-DD, or "" when unknown
}

var (
	qEmploymentLatest = NamedQuery("employment-latest")
	qEmploymentUpdate = NamedQuery("employment-update")
	qEmploymentInsert = NamedQuery("employment-insert")
	qEmploymentClear  = NamedQuery("employment-clear")
)

// LatestEmployer returns the most recent employer on record for an ID number's
// blind index; sql.ErrNoRows when the register has none.
func (db *DB) LatestEmployer(ctx context.Context, q sqlx.QueryerContext, idNumberIdx string) (string, error) {
	var employer string
	err := db.get(ctx, q, &employer, qEmploymentLatest, idNumberIdx)
	return employer, err
}

// ImportEmployment loads records in one transaction: a record for the same person
// and from-date as an existing one replaces its employer; replace first empties
// the register. It returns how many rows were added and how many updated.
func (db *DB) ImportEmployment(ctx context.Context, recs []EmploymentRecord, replace bool, now time.Time) (added, updated int, err error) {
	err = db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
		added, updated = 0, 0
		if replace {
			if _, err := db.exec(ctx, tx, qEmploymentClear); err != nil {
				return err
			}
		}
		for _, r := range recs {
			ok, err := affectedOne(db.exec(ctx, tx, qEmploymentUpdate, r.Employer, now, r.IDNumberIdx, r.FromDate))
			if err != nil {
				return err
			}
			if ok {
				updated++
				continue
			}
			if _, err := db.exec(ctx, tx, qEmploymentInsert, r.IDNumberIdx, r.Employer, r.FromDate, now); err != nil {
				return err
			}
			added++
		}
		return nil
	})
	return added, updated, err
}
