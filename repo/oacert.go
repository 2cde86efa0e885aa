package repo

import "context"

// OACertProgress is a registration's certificate progress as the chat shows it.
type OACertProgress struct {
	RegistrationID int64  `db:"id"`
	Status         string `db:"status"`
	CertStage      string `db:"cert_stage"`
	CertNo         string `db:"cert_no"`
	PlanNo         string `db:"plan_no"`
	OccupationName string `db:"occupation_name"`
	WorkType       string `db:"work_type"`
	Level          int    `db:"level"`
}

// OAExamResult is one subject's result of a registration.
type OAExamResult struct {
	RegistrationID int64  `db:"registration_id"`
	Subject        string `db:"subject"`
	Result         string `db:"result"`
}

var (
	qOACertProgress = NamedQuery("oa-cert-progress")
	qOACertResults  = NamedQuery("oa-cert-results")
)

// OACertProgress lists the certificate progress of a candidate's registrations
// (approved, or with a certificate stage), newest first, at most limit.
func (db *DB) OACertProgress(ctx context.Context, candidateID int64, limit int) ([]OACertProgress, error) {
	var out []OACertProgress
	err := db.R.SelectContext(ctx, &out, db.Q.SQL(qOACertProgress), candidateID, limit)
	return out, err
}

// OAExamResults lists the exam results of a candidate's registrations.
func (db *DB) OAExamResults(ctx context.Context, candidateID int64) ([]OAExamResult, error) {
	var out []OAExamResult
	err := db.R.SelectContext(ctx, &out, db.Q.SQL(qOACertResults), candidateID)
	return out, err
}
