package repo

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

var (
	qSessionInsert    = NamedQuery("session-insert")
	qSessionLookup    = NamedQuery("session-lookup")
	qSessionRevoke    = NamedQuery("session-revoke")
	qSessionRevokeAll = NamedQuery("session-revoke-all")
)

// InsertSession stores a session by the hash of its token.
func (db *DB) InsertSession(ctx context.Context, x sqlx.ExecerContext, tokenHash string, candidateID int64, now, expires time.Time) error {
	_, err := x.ExecContext(ctx, db.Q.SQL(qSessionInsert), tokenHash, candidateID, now, expires)
	return err
}

// LookupSession returns the candidate of a valid session; sql.ErrNoRows when the
// token is unknown, revoked or expired.
func (db *DB) LookupSession(ctx context.Context, tokenHash string, now time.Time) (int64, error) {
	var id int64
	err := db.getPrepared(ctx, &id, qSessionLookup, tokenHash, now)
	return id, err
}

// RevokeSession ends one session.
func (db *DB) RevokeSession(ctx context.Context, tokenHash string, now time.Time) error {
	_, err := db.W.ExecContext(ctx, db.Q.SQL(qSessionRevoke), now, tokenHash)
	return err
}

// RevokeCandidateSessions ends every session of a candidate.
func (db *DB) RevokeCandidateSessions(ctx context.Context, candidateID int64, now time.Time) error {
	_, err := db.W.ExecContext(ctx, db.Q.SQL(qSessionRevokeAll), now, candidateID)
	return err
}
