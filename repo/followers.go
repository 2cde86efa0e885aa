package repo

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
)

// Recipient is who a notification is for: the candidate's mini-program openid and
// unionid (to find an official-account follower), and name.
type Recipient struct {
	OpenID  string `db:"openid"`
	UnionID string `db:"unionid"`
	Name    string `db:"name"`
}

// Follower links an official-account follower to a candidate: by CandidateID
// (the chat's binding) or by UnionID.
type Follower struct {
	OAOpenID    string
	UnionID     string // "" when unknown
	CandidateID int64  // 0 when not bound
}

var (
	qNotifyRecipient     = NamedQuery("notify-recipient")
	qFollowerByCandidate = NamedQuery("follower-by-candidate")
	qFollowerByUnionID   = NamedQuery("follower-by-unionid")
	qFollowerGone        = NamedQuery("follower-gone")
	qFollowerSelect      = NamedQuery("follower-upsert-select")
	qFollowerInsert      = NamedQuery("follower-insert")
	qFollowerUpdate      = NamedQuery("follower-update")
)

// NotifyRecipient reads the candidate's openid, unionid and name.
func (db *DB) NotifyRecipient(ctx context.Context, q sqlx.QueryerContext, candidateID int64) (Recipient, error) {
	var r Recipient
	err := db.get(ctx, q, &r, qNotifyRecipient, candidateID)
	return r, err
}

// FollowerOpenID returns the official-account openid of a follower linked to the
// candidate — bound to it, or else sharing its unionid — or "" when none.
func (db *DB) FollowerOpenID(ctx context.Context, q sqlx.QueryerContext, candidateID int64, unionID string) (string, error) {
	var id string
	err := db.get(ctx, q, &id, qFollowerByCandidate, candidateID)
	if err == nil || !IsNoRows(err) || unionID == "" {
		return id, ignoreNoRows(err)
	}
	err = db.get(ctx, q, &id, qFollowerByUnionID, unionID)
	return id, ignoreNoRows(err)
}

// FollowerGone records that an official-account user no longer follows (WeChat
// answered 43004 to a template message).
func (db *DB) FollowerGone(ctx context.Context, x sqlx.ExecerContext, oaOpenID string, now time.Time) error {
	_, err := db.exec(ctx, x, qFollowerGone, now, now, oaOpenID)
	return err
}

// UpsertFollower records a (re)subscribed follower and, when given, its unionid
// and candidate binding; fields left empty keep their stored value.
func (db *DB) UpsertFollower(ctx context.Context, f Follower, now time.Time) error {
	union := sql.NullString{String: f.UnionID, Valid: f.UnionID != ""}
	cand := sql.NullInt64{Int64: f.CandidateID, Valid: f.CandidateID != 0}
	bound := sql.NullTime{Time: now, Valid: cand.Valid}
	upsert := func(tx *sqlx.Tx) error {
		var id int64
		err := db.get(ctx, tx, &id, qFollowerSelect, f.OAOpenID)
		if IsNoRows(err) {
			_, err = db.exec(ctx, tx, qFollowerInsert, f.OAOpenID, union, cand, now, bound, now, now)
			return err
		}
		if err != nil {
			return err
		}
		_, err = db.exec(ctx, tx, qFollowerUpdate, union, cand, now, bound, now, id)
		return err
	}
	err := db.WithSQLTx(ctx, upsert)
	if IsUniqueViolation(err) { // inserted meanwhile by a concurrent call: update it
		err = db.WithSQLTx(ctx, upsert)
	}
	return err
}

func ignoreNoRows(err error) error {
	if IsNoRows(err) {
		return nil
	}
	return err
}
