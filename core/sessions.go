package core

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"github.com/redis/go-redis/v9"

	"skillcert/domain"
	"skillcert/repo"
)

// SessionTTL is how long a candidate session lasts.
const SessionTTL = 7 * 24 * time.Hour

// errUnauthorized is the one answer for a missing, unknown, expired or revoked token.
var errUnauthorized = domain.NewError(domain.KindUnauthorized, "unauthorized", "登录已失效，请重新登录")

// HashToken is how a session token is stored: never the token itself.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// StartSession opens a session for a candidate and returns its opaque token.
func (c *Core) StartSession(ctx context.Context, candidateID int64) (token string, expires time.Time, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", time.Time{}, domain.Internal(err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	now := c.now().UTC().Truncate(time.Microsecond)
	expires = now.Add(SessionTTL)
	hash := HashToken(token)
	if err := c.db.Write().InsertSession(ctx, hash, candidateID, now, expires); err != nil {
		return "", time.Time{}, domain.Internal(err)
	}
	// The replica that opens a session knows it valid: the first requests
	// made with it skip the lookup.
	c.sessions.put(hash, repo.Session{CandidateID: candidateID, ExpiresAt: expires}, now, time.Now())
	return token, expires, nil
}

// AuthenticateSession returns the candidate of a session token, or an unauthorized error.
// A valid session is remembered, so most requests skip the database. What a
// replica remembers is trusted while it follows the session revocation feed
// (sessionFeed): every sign-out, merge or privacy deletion, on any replica or
// by an operator's command, reaches it within about a second, and if the feed
// cannot be read for SessionFeedTrust every request reads the database again.
// A session is held for SessionHold at most before it is read again.
// A logout on this replica forgets the session at once. With Redis, a
// remembered session is also checked against the revocations every replica
// writes there, so a logout anywhere takes effect here at once (a Redis error
// sends the request to the database, which is never stale).
func (c *Core) AuthenticateSession(ctx context.Context, token string) (int64, error) {
	if token == "" {
		return 0, errUnauthorized
	}
	hash, now := HashToken(token), c.now().UTC()
	if id, ok := c.sessions.get(hash, now); ok {
		revoked, err := c.revocations.revoked(ctx, hash)
		if err == nil && !revoked {
			c.sessionStats.remembered.Add(1)
			return id, nil
		}
		c.sessions.forget(hash)
		if err == nil {
			return 0, errUnauthorized
		}
		c.log.Warn("session revocations unreadable; checking the database", "err", err)
	}
	readAt := time.Now()
	c.sessionStats.read.Add(1)
	s, ok, err := c.sessionLookups.lookup(ctx, hash, now)
	if err != nil {
		return 0, domain.Internal(err)
	}
	if !ok {
		return 0, errUnauthorized
	}
	c.sessions.put(hash, s, now, readAt)
	return s.CandidateID, nil
}

// EndSession revokes a session token (logout): in the database, with the
// revocation feed in the same transaction, then, with Redis, in the
// revocations every replica checks at once.
func (c *Core) EndSession(ctx context.Context, token string) error {
	hash := HashToken(token)
	c.sessions.forget(hash)
	if err := c.db.RevokeSession(ctx, hash, c.now().UTC()); err != nil {
		return domain.Internal(err)
	}
	c.sessionsEnded(ctx, []string{hash})
	return nil
}

// sessionsEnded is told, after the commit, of the sessions a write ended (the
// repo recorded them in the revocation feed): this replica forgets them at
// once, and with Redis every other replica refuses them at once too. Without
// Redis, or if Redis cannot be told, the others learn it from the feed.
func (c *Core) sessionsEnded(ctx context.Context, hashes []string) {
	for _, h := range hashes {
		c.sessions.forget(h)
	}
	for _, h := range hashes {
		if err := c.revocations.revoke(ctx, h); err != nil {
			c.log.Warn("session revocation not shared through Redis; other replicas refuse the token once they read the revocation feed", "err", err)
			return
		}
	}
}

// revocations are the session revocations shared by the replicas: in Redis
// when one is configured (a key per revoked token, kept longer than a replica
// can trust what it remembers without reading the feed), else none (the zero
// value).
type revocations struct {
	rdb redis.UniversalClient
}

// revocationKey is the Redis key that marks a token (by hash) as revoked.
func revocationKey(hash string) string { return "skillcert:session:revoked:" + hash }

// revocationKeep is how long Redis keeps a revocation.
const revocationKeep = 20 * time.Second

func (r revocations) revoke(ctx context.Context, hash string) error {
	if r.rdb == nil {
		return nil
	}
	return r.rdb.Set(ctx, revocationKey(hash), "1", revocationKeep).Err()
}

func (r revocations) revoked(ctx context.Context, hash string) (bool, error) {
	if r.rdb == nil {
		return false, nil
	}
	n, err := r.rdb.Exists(ctx, revocationKey(hash)).Result()
	return n > 0, err
}
