package repo

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// OABindCode is a usable one-time bind code of the official-account chat.
type OABindCode struct {
	ID          int64 `db:"id"`
	CandidateID int64 `db:"candidate_id"`
}

// OAFollowerLink is what the chat needs of a follower: the candidate it is bound
// to (0 when none) and its unionid ("" when unknown).
type OAFollowerLink struct {
	CandidateID int64  `db:"candidate_id"`
	UnionID     string `db:"unionid"`
}

var (
	qOABindInsert  = NamedQuery("oa-bind-code-insert")
	qOABindRetire  = NamedQuery("oa-bind-code-retire")
	qOABindLive    = NamedQuery("oa-bind-code-live")
	qOABindFind    = NamedQuery("oa-bind-code-find")
	qOABindUse     = NamedQuery("oa-bind-code-use")
	qOABindPrune   = NamedQuery("oa-bind-code-prune")
	qOAFollowerGet = NamedQuery("oa-follower-get")
	qOAByUnionID   = NamedQuery("oa-candidate-by-unionid")
	qOABound       = NamedQuery("oa-bound")
)

// RetireOABindCodes ends the candidate's codes that are still usable.
func (db *DB) RetireOABindCodes(ctx context.Context, tx *sqlx.Tx, candidateID int64, now time.Time) error {
	_, err := db.exec(ctx, tx, qOABindRetire, now, candidateID, now)
	return err
}

// OABindCodeLive tells whether a usable code has the blind index idx.
func (db *DB) OABindCodeLive(ctx context.Context, tx *sqlx.Tx, idx string, now time.Time) (bool, error) {
	var n int
	err := db.get(ctx, tx, &n, qOABindLive, idx, now)
	return n > 0, err
}

// InsertOABindCode stores a new code (its blind index) valid until expires.
func (db *DB) InsertOABindCode(ctx context.Context, tx *sqlx.Tx, candidateID int64, idx string, expires, now time.Time) error {
	_, err := db.exec(ctx, tx, qOABindInsert, candidateID, idx, expires, now)
	return err
}

// FindOABindCode finds the usable code with blind index idx; sql.ErrNoRows when none.
func (db *DB) FindOABindCode(ctx context.Context, q sqlx.QueryerContext, idx string, now time.Time) (OABindCode, error) {
	var c OABindCode
	err := db.get(ctx, q, &c, qOABindFind, idx, now)
	return c, err
}

// UseOABindCode marks a code used by a follower; false when it was used already.
func (db *DB) UseOABindCode(ctx context.Context, x sqlx.ExecerContext, id int64, oaOpenID string, now time.Time) (bool, error) {
	res, err := db.exec(ctx, x, qOABindUse, now, oaOpenID, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// PruneOABindCodes deletes codes that expired before cutoff.
func (db *DB) PruneOABindCodes(ctx context.Context, cutoff time.Time) error {
	_, err := db.exec(ctx, db.W, qOABindPrune, cutoff)
	return err
}

// OAFollower reads the link of an official-account follower; sql.ErrNoRows when
// the follower was never seen.
func (db *DB) OAFollower(ctx context.Context, oaOpenID string) (OAFollowerLink, error) {
	var f OAFollowerLink
	err := db.get(ctx, db.R, &f, qOAFollowerGet, oaOpenID)
	return f, err
}

// CandidateIDByUnionID finds the candidate with a unionid; sql.ErrNoRows when none.
func (db *DB) CandidateIDByUnionID(ctx context.Context, unionID string) (int64, error) {
	var id int64
	err := db.get(ctx, db.R, &id, qOAByUnionID, unionID)
	return id, err
}

// OABound tells whether a follower of the official account is linked to the
// candidate (bound to it, or sharing its unionid).
func (db *DB) OABound(ctx context.Context, candidateID int64) (bool, error) {
	var n int
	err := db.get(ctx, db.R, &n, qOABound, candidateID, candidateID)
	return n > 0, err
}
