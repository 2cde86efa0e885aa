package repo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

var (
	qOAMergeRegistrations  = NamedQuery("oa-merge-registrations")
	qOAMergeFree           = NamedQuery("oa-merge-free-account")
	qOAMergeTake           = NamedQuery("oa-merge-take-account")
	qOAMergeSessions       = NamedQuery("oa-merge-sessions")
	qOAMergeSessionsRevoke = NamedQuery("oa-merge-sessions-revoke")
)

// CandidateHasData tells whether a candidate holds anything of its own: an
// identity or a registration.
func (db *DB) CandidateHasData(ctx context.Context, tx *sqlx.Tx, id int64) (bool, Candidate, error) {
	c, err := db.GetCandidate(ctx, tx, id)
	if err != nil {
		return false, c, err
	}
	if c.IDNumberIdx.Valid && c.IDNumberIdx.String != "" {
		return true, c, nil
	}
	var n int
	if err := db.get(ctx, tx, &n, qOAMergeRegistrations, id); err != nil {
		return false, c, err
	}
	return n > 0, c, nil
}

// MergeIntoOACandidate moves the mini-program's sign-in (openid, unionid) of
// the empty candidate from to the candidate into made by the official-account
// door (openid "oa:…"), and revokes from's sessions: the mini-program signs in
// again as into. It returns the revoked sessions' hashes (for the caches).
func (db *DB) MergeIntoOACandidate(ctx context.Context, tx *sqlx.Tx, from, into int64, now time.Time) ([]string, error) {
	src, err := db.GetCandidate(ctx, tx, from)
	if err != nil {
		return nil, err
	}
	if _, err := db.exec(ctx, tx, qOAMergeFree, fmt.Sprintf("merged:%d:%d", into, from), now, from); err != nil {
		return nil, err
	}
	openID := src.OpenID
	if strings.HasPrefix(openID, "oa:") || strings.HasPrefix(openID, "merged:") {
		openID = "" // nothing to take: into keeps its own
	}
	if openID != "" {
		var union any
		if src.UnionID.Valid && src.UnionID.String != "" {
			union = src.UnionID.String
		}
		res, err := db.exec(ctx, tx, qOAMergeTake, openID, union, now, into)
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil, fmt.Errorf("merge: candidate %d is not the official account's", into)
		}
	}
	var hashes []string
	if err := db.sel(ctx, tx, &hashes, qOAMergeSessions, from); err != nil {
		return nil, err
	}
	if _, err := db.exec(ctx, tx, qOAMergeSessionsRevoke, now, from); err != nil {
		return nil, err
	}
	return hashes, db.recordRevocations(ctx, tx, hashes, now)
}
