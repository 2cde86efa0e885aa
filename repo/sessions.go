package repo

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"skillcert/feed"
)

var (
	qSessionInsert = NamedQuery("session-insert")
	qSessionLookup = NamedQuery("session-lookup")
	qSessionRevoke = NamedQuery("session-revoke")
	qSessionMany   = NamedQuery("session-lookup-many")

	qRevocationInsert = NamedQuery("session-revocation-insert")
	qRevocationsAfter = NamedQuery("session-revocations-after")
	qRevocationsIn    = NamedQuery("session-revocations-in")
	qRevocationBounds = NamedQuery("session-revocations-bounds")
	qRevocationIDs    = NamedQuery("session-revocations-ids")
	qRevocationPrune  = NamedQuery("session-revocations-prune")
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

// RevokeSession ends one session, and records it in the revocation feed in the
// same transaction.
func (db *DB) RevokeSession(ctx context.Context, tokenHash string, now time.Time) error {
	return db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
		res, err := db.exec(ctx, tx, qSessionRevoke, now, tokenHash)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // unknown or already ended: nothing to tell
		}
		return db.recordRevocations(ctx, tx, []string{tokenHash}, now)
	})
}

// SessionRevocation is one entry of the session revocation feed: the session
// of token hash TokenHash has ended.
type SessionRevocation struct {
	ID        int64  `db:"id"`
	TokenHash string `db:"token_hash"`
}

// recordRevocations adds ended sessions to the feed the replicas follow. Every
// repo write that ends candidate sessions calls it in its transaction: a
// sign-out, an account's merge, a privacy deletion.
func (db *DB) recordRevocations(ctx context.Context, x sqlx.ExecerContext, hashes []string, now time.Time) error {
	for _, h := range hashes {
		if _, err := db.exec(ctx, x, qRevocationInsert, h, now.UTC()); err != nil {
			return err
		}
	}
	return nil
}

var revocationFeed = feedQueries{after: qRevocationsAfter, in: qRevocationsIn, bounds: qRevocationBounds,
	ids: qRevocationIDs, prune: qRevocationPrune}

// SessionRevocationFeed is the session revocation feed, for package feed to follow.
func (db *DB) SessionRevocationFeed() feed.Source[SessionRevocation] {
	return feedSource(db, revocationFeed, func(e SessionRevocation) int64 { return e.ID })
}

// PruneSessionRevocations deletes the feed entries recorded before t.
func (db *DB) PruneSessionRevocations(ctx context.Context, t time.Time) (int64, error) {
	return feedPrune(ctx, db, revocationFeed, t)
}
