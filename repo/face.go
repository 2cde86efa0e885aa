package repo

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
)

// IsDeadlock tells whether err is MySQL giving up a transaction on a lock
// (deadlock 1213, lock wait timeout 1205): the transaction may be retried.
func IsDeadlock(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && (me.Number == 1213 || me.Number == 1205)
}

// FaceSession is one row of face_verifications: a verification session and how
// it ended. The ID number is sealed (pii.Sealer); no face data is ever stored.
type FaceSession struct {
	ID             int64        `db:"id"`
	CandidateID    int64        `db:"candidate_id"`
	Purpose        string       `db:"purpose"` // verify | claim
	Name           string       `db:"name"`
	IDType         string       `db:"id_type"`
	IDNumberEnc    string       `db:"id_number_enc"`
	IDNumberIdx    string       `db:"id_number_idx"`
	ConsentVersion string       `db:"consent_version"`
	OutSeqNo       string       `db:"out_seq_no"`
	VerifyID       string       `db:"verify_id"`
	Method         string       `db:"method"`
	State          string       `db:"state"` // pending | passed | failed | mismatch | not_done | invalid | refused
	ResultCode     int          `db:"result_code"`
	CreatedAt      time.Time    `db:"created_at"`
	ExpiresAt      time.Time    `db:"expires_at"`
	FinishedAt     sql.NullTime `db:"finished_at"`
}

// Verification is how and when a candidate's identity was verified.
type Verification struct {
	Method     string    `db:"method"`
	VerifiedAt time.Time `db:"verified_at"`
}

// LockingRegistration is a registration that was ever submitted.
type LockingRegistration struct {
	ID     int64 `db:"id"`
	PlanID int64 `db:"plan_id"`
}

var (
	qFaceInsert          = NamedQuery("face-insert")
	qFaceByVerifyID      = NamedQuery("face-get-by-verify-id")
	qFaceFinish          = NamedQuery("face-finish")
	qFaceSetState        = NamedQuery("face-set-state")
	qCandidateLock       = NamedQuery("candidate-lock")
	qCandidateByIDLock   = NamedQuery("candidate-id-by-id-number-lock")
	qCandidateVerify     = NamedQuery("candidate-verify")
	qCandidateRelease    = NamedQuery("candidate-release-identity")
	qVerificationDelete  = NamedQuery("candidate-verification-delete")
	qVerificationInsert  = NamedQuery("candidate-verification-insert")
	qVerificationGet     = NamedQuery("candidate-verification-get")
	qRegsCancelDrafts    = NamedQuery("registrations-cancel-drafts")
	qRegsLockingOf       = NamedQuery("registrations-locking-of")
	qRegMove             = NamedQuery("registration-move")
	qRegFlag             = NamedQuery("registration-flag")
	qPlanRequireVerified = NamedQuery("plan-require-verified")
	qPlanRequireDelete   = NamedQuery("plan-require-verified-delete")
	qPlanRequireInsert   = NamedQuery("plan-require-verified-insert")
)

// InsertFaceSession records a new pending session.
func (db *DB) InsertFaceSession(ctx context.Context, s FaceSession) (int64, error) {
	res, err := db.exec(ctx, db.W, qFaceInsert, s.CandidateID, s.Purpose, s.Name, s.IDType,
		s.IDNumberEnc, s.IDNumberIdx, s.ConsentVersion, s.OutSeqNo, s.VerifyID, s.Method, s.CreatedAt, s.ExpiresAt)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// FaceSessionByVerifyID reads a session by WeChat's verify id; sql.ErrNoRows when unknown.
func (db *DB) FaceSessionByVerifyID(ctx context.Context, verifyID string) (FaceSession, error) {
	var s FaceSession
	err := db.get(ctx, db.R, &s, qFaceByVerifyID, verifyID)
	return s, err
}

// FinishFaceSession ends a pending session with state; false when it had ended.
func (db *DB) FinishFaceSession(ctx context.Context, x sqlx.ExecerContext, id int64, state string, code int, now time.Time) (bool, error) {
	res, err := db.exec(ctx, x, qFaceFinish, state, code, now, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// SetFaceSessionState overwrites the state of an ended session (e.g. refused).
func (db *DB) SetFaceSessionState(ctx context.Context, id int64, state string) error {
	_, err := db.exec(ctx, db.W, qFaceSetState, state, id)
	return err
}

// LockCandidate locks a candidate's row in tx (MySQL; SQLite has one writer).
func (db *DB) LockCandidate(ctx context.Context, tx *sqlx.Tx, id int64) error {
	var got int64
	return db.get(ctx, tx, &got, qCandidateLock, id)
}

// LockCandidateByIDNumber finds and locks the candidate an ID number is bound
// to; sql.ErrNoRows when none.
func (db *DB) LockCandidateByIDNumber(ctx context.Context, tx *sqlx.Tx, idx string) (int64, error) {
	var id int64
	err := db.get(ctx, tx, &id, qCandidateByIDLock, idx)
	return id, err
}

// VerifyCandidate binds v to a candidate as a verified identity and records how
// (a unique violation when the number is bound to another candidate).
func (db *DB) VerifyCandidate(ctx context.Context, tx *sqlx.Tx, id int64, v CandidateIdentity, method string, sessionID int64, now time.Time) error {
	if _, err := db.exec(ctx, tx, qCandidateVerify, v.Name, v.IDType, v.IDNumberEnc, v.IDNumberIdx,
		v.Gender, v.BirthDate, now, now, id); err != nil {
		return err
	}
	if _, err := db.exec(ctx, tx, qVerificationDelete, id); err != nil {
		return err
	}
	_, err := db.exec(ctx, tx, qVerificationInsert, id, method, sessionID, now)
	return err
}

// ReleaseIdentity clears an unverified candidate's binding of the ID number idx;
// false when the binding changed meanwhile (or is verified).
func (db *DB) ReleaseIdentity(ctx context.Context, tx *sqlx.Tx, id int64, idx string, now time.Time) (bool, error) {
	res, err := db.exec(ctx, tx, qCandidateRelease, now, id, idx)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil || n != 1 {
		return false, err
	}
	_, err = db.exec(ctx, tx, qVerificationDelete, id)
	return true, err
}

// CandidateVerification reads how a candidate was verified; sql.ErrNoRows when not.
func (db *DB) CandidateVerification(ctx context.Context, q sqlx.QueryerContext, id int64) (Verification, error) {
	var v Verification
	err := db.get(ctx, q, &v, qVerificationGet, id)
	return v, err
}

// CancelDrafts cancels every draft of a candidate and returns how many.
func (db *DB) CancelDrafts(ctx context.Context, tx *sqlx.Tx, candidateID int64, now time.Time) (int64, error) {
	res, err := db.exec(ctx, tx, qRegsCancelDrafts, now, now, candidateID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// LockingRegistrationsOf lists a candidate's ever-submitted registrations.
func (db *DB) LockingRegistrationsOf(ctx context.Context, tx *sqlx.Tx, candidateID int64) ([]LockingRegistration, error) {
	var out []LockingRegistration
	err := db.sel(ctx, tx, &out, qRegsLockingOf, candidateID)
	return out, err
}

// MoveRegistration gives a registration to another candidate (a unique
// violation when that candidate already has one in the plan).
func (db *DB) MoveRegistration(ctx context.Context, tx *sqlx.Tx, regID, from, to int64, now time.Time) (bool, error) {
	res, err := db.exec(ctx, tx, qRegMove, to, now, regID, from)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FlagRegistration marks a registration for the institution's attention.
func (db *DB) FlagRegistration(ctx context.Context, tx *sqlx.Tx, regID int64, kind, detail string, now time.Time) error {
	_, err := db.exec(ctx, tx, qRegFlag, regID, kind, detail, now)
	if IsUniqueViolation(err) {
		return nil // flagged already
	}
	return err
}

// PlanRequiresVerified tells whether a plan takes submissions only from verified identities.
func (db *DB) PlanRequiresVerified(ctx context.Context, q sqlx.QueryerContext, planID int64) (bool, error) {
	var v bool
	err := db.get(ctx, q, &v, qPlanRequireVerified, planID)
	if IsNoRows(err) {
		return false, nil
	}
	return v, err
}

// SetPlanRequiresVerified records the plan's setting.
func (db *DB) SetPlanRequiresVerified(ctx context.Context, planID int64, on bool, staffID int64, now time.Time) error {
	return db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := db.exec(ctx, tx, qPlanRequireDelete, planID); err != nil {
			return err
		}
		_, err := db.exec(ctx, tx, qPlanRequireInsert, planID, on, sql.NullInt64{Int64: staffID, Valid: staffID != 0}, now)
		return err
	})
}

// IdentityMark is what the console shows of a registration's identity: whether
// its candidate is verified, and the claim flag, if any.
type IdentityMark struct {
	ID          int64  `db:"id"`
	VerifyState string `db:"verify_state"`
	Flag        string `db:"flag"`
}

var qRegMarksOf = NamedQuery("registration-marks-of")

// IdentityMarksOf returns the marks of some registrations by id (a page's rows).
func (db *DB) IdentityMarksOf(ctx context.Context, ids []int64) (map[int64]IdentityMark, error) {
	var rows []IdentityMark
	if err := db.selectIn(ctx, &rows, qRegMarksOf, ids); err != nil {
		return nil, err
	}
	out := make(map[int64]IdentityMark, len(rows))
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}
