package repo

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
)

// Candidate is one row of candidates. IDNumberEnc and PhoneEnc are sealed
// (pii.Sealer); open them only to show the candidate their own data or to mask.
type Candidate struct {
	ID              int64          `db:"id"`
	OpenID          string         `db:"openid"`
	UnionID         sql.NullString `db:"unionid"`
	Name            string         `db:"name"`
	IDType          string         `db:"id_type"`
	IDNumberEnc     sql.NullString `db:"id_number_enc"`
	IDNumberIdx     sql.NullString `db:"id_number_idx"`
	Gender          string         `db:"gender"`
	BirthDate       string         `db:"birth_date"`
	VerifyState     string         `db:"verify_state"`
	IdentityBoundAt sql.NullTime   `db:"identity_bound_at"`
	PhoneEnc        sql.NullString `db:"phone_enc"`
	CreatedAt       time.Time      `db:"created_at"`
	UpdatedAt       time.Time      `db:"updated_at"`
}

// CandidateIdentity is what binding an identity writes.
type CandidateIdentity struct {
	Name        string
	IDType      string
	IDNumberEnc string // sealed
	IDNumberIdx string // blind index
	Gender      string
	BirthDate   string
	VerifyState string
}

var (
	qCandidateGet         = NamedQuery("candidate-get")
	qCandidateGetMany     = NamedQuery("candidate-get-many")
	qCandidateByOpenID    = NamedQuery("candidate-id-by-openid")
	qCandidateInsert      = NamedQuery("candidate-insert")
	qCandidateSetUnionID  = NamedQuery("candidate-set-unionid")
	qCandidateByIDNumber  = NamedQuery("candidate-id-by-id-number")
	qCandidateSetIdentity = NamedQuery("candidate-set-identity")
	qCandidateSetPhone    = NamedQuery("candidate-set-phone")
	qCandidateLockingRegs = NamedQuery("candidate-locking-registrations")
	qConsentInsert        = NamedQuery("consent-insert")
)

// GetCandidate reads a candidate; sql.ErrNoRows when there is none.
func (db *DB) GetCandidate(ctx context.Context, q sqlx.QueryerContext, id int64) (Candidate, error) {
	var c Candidate
	err := db.get(ctx, q, &c, qCandidateGet, id)
	return c, err
}

// GetCandidates reads the candidates of ids that exist, in no particular
// order, in one statement.
func (db *DB) GetCandidates(ctx context.Context, q sqlx.QueryerContext, ids []int64) ([]Candidate, error) {
	out := []Candidate{}
	if len(ids) == 0 {
		return out, nil
	}
	err := db.selIn(ctx, q, &out, qCandidateGetMany, ids)
	return out, err
}

// CandidateIDByOpenID finds a candidate by WeChat openid; sql.ErrNoRows when new.
func (db *DB) CandidateIDByOpenID(ctx context.Context, openID string) (int64, error) {
	var id int64
	err := db.get(ctx, db.R, &id, qCandidateByOpenID, openID)
	return id, err
}

// InsertCandidate creates a candidate for an openid (a unique violation when
// another request created it first).
func (db *DB) InsertCandidate(ctx context.Context, openID, unionID string, now time.Time) (int64, error) {
	res, err := db.exec(ctx, db.W, qCandidateInsert, openID, nullString(unionID), now, now)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// SetCandidateUnionID records the unionid WeChat gave for a candidate.
func (db *DB) SetCandidateUnionID(ctx context.Context, id int64, unionID string, now time.Time) error {
	_, err := db.exec(ctx, db.W, qCandidateSetUnionID, unionID, now, id)
	return err
}

// CandidateIDByIDNumber finds the candidate an ID number (by blind index) is
// bound to; sql.ErrNoRows when none.
func (db *DB) CandidateIDByIDNumber(ctx context.Context, q sqlx.QueryerContext, idx string) (int64, error) {
	var id int64
	err := db.get(ctx, q, &id, qCandidateByIDNumber, idx)
	return id, err
}

// SetCandidateIdentity binds an identity to a candidate inside tx (a unique
// violation when the ID number is bound to another candidate).
func (db *DB) SetCandidateIdentity(ctx context.Context, tx *sqlx.Tx, id int64, v CandidateIdentity, now time.Time) error {
	_, err := db.exec(ctx, tx, qCandidateSetIdentity, v.Name, v.IDType, v.IDNumberEnc, v.IDNumberIdx,
		v.Gender, v.BirthDate, v.VerifyState, now, now, id)
	return err
}

// SetCandidatePhone stores a candidate's sealed phone and its blind index.
// It also fills the phone of the candidate's editable registrations that have
// none, in the same transaction.
func (db *DB) SetCandidatePhone(ctx context.Context, id int64, phoneEnc, phoneIdx string, now time.Time) error {
	return db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := db.exec(ctx, tx, qCandidateSetPhone, phoneEnc, phoneIdx, now, id); err != nil {
			return err
		}
		_, err := db.exec(ctx, tx, qRegFillPhone, phoneEnc, now, id)
		return err
	})
}

var qRegFillPhone = NamedQuery("registration-fill-phone")

// CountLockingRegistrations counts a candidate's registrations that were ever
// submitted (submitted, approved, returned, rejected): they lock the identity.
func (db *DB) CountLockingRegistrations(ctx context.Context, q sqlx.QueryerContext, candidateID int64) (int, error) {
	var n int
	err := db.get(ctx, q, &n, qCandidateLockingRegs, candidateID)
	return n, err
}

// InsertConsent records that a candidate accepted a version of a text (kind:
// e.g. "privacy") inside tx.
func (db *DB) InsertConsent(ctx context.Context, tx *sqlx.Tx, candidateID int64, kind, version string, now time.Time) error {
	_, err := db.exec(ctx, tx, qConsentInsert, candidateID, kind, version, now)
	return err
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
