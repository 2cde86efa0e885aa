package repo

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

var (
	qSessionInsert = NamedQuery("session-insert")
	qSessionLookup = NamedQuery("session-lookup")
	qSessionRevoke = NamedQuery("session-revoke")
	qSessionMany   = NamedQuery("session-lookup-many")
)

// Session is a valid candidate session.
type Session struct {
	CandidateID int64     `db:"candidate_id"`
	ExpiresAt   time.Time `db:"expires_at"`
}

// InsertSession stores a session by the hash of its token.
func (db *DB) InsertSession(ctx context.Context, x sqlx.ExecerContext, tokenHash string, candidateID int64, now, expires time.Time) error {
	_, err := db.exec(ctx, x, qSessionInsert, tokenHash, candidateID, now, expires)
	return err
}

// LookupSession returns a valid session; sql.ErrNoRows when the token is
// unknown, revoked or expired.
func (db *DB) LookupSession(ctx context.Context, tokenHash string, now time.Time) (Session, error) {
	var s Session
	err := db.getPrepared(ctx, &s, qSessionLookup, tokenHash, now)
	return s, err
}

// LookupSessions returns the valid sessions among several token hashes, by
// hash; an unknown, revoked or expired token is absent.
func (db *DB) LookupSessions(ctx context.Context, tokenHashes []string, now time.Time) (map[string]Session, error) {
	var rows []struct {
		TokenHash string `db:"token_hash"`
		Session
	}
	if err := db.selIn(ctx, db.R, &rows, qSessionMany, tokenHashes, now); err != nil {
		return nil, err
	}
	out := make(map[string]Session, len(rows))
	for _, r := range rows {
		out[r.TokenHash] = r.Session
	}
	return out, nil
}

// RevokeSession ends one session.
func (db *DB) RevokeSession(ctx context.Context, tokenHash string, now time.Time) error {
	_, err := db.exec(ctx, db.W, qSessionRevoke, now, tokenHash)
	return err
}
