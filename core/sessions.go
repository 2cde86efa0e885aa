package core

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"sync"
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
	c.sessions.put(hash, repo.Session{CandidateID: candidateID, ExpiresAt: expires}, now)
	return token, expires, nil
}

// AuthenticateSession returns the candidate of a session token, or an unauthorized error.
// A valid session is remembered for SessionCacheTTL, so most requests skip the
// database; a logout on this replica forgets it at once. With Redis, a
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
			return id, nil
		}
		c.sessions.forget(hash)
		if err == nil {
			return 0, errUnauthorized
		}
		c.log.Warn("session revocations unreadable; checking the database", "err", err)
	}
	s, ok, err := c.sessionLookups.lookup(ctx, hash, now)
	if err != nil {
		return 0, domain.Internal(err)
	}
	if !ok {
		return 0, errUnauthorized
	}
	c.sessions.put(hash, s, now)
	return s.CandidateID, nil
}

// EndSession revokes a session token (logout): in the database, then, with
// Redis, in the revocations every replica checks. If Redis cannot be told, the
// other replicas refuse the token within SessionCacheTTL.
func (c *Core) EndSession(ctx context.Context, token string) error {
	hash := HashToken(token)
	c.sessions.forget(hash)
	if err := c.db.RevokeSession(ctx, hash, c.now().UTC()); err != nil {
		return domain.Internal(err)
	}
	if err := c.revocations.revoke(ctx, hash); err != nil {
		c.log.Warn("session revocation not shared through Redis; other replicas refuse the token within the session cache's time", "err", err)
	}
	return nil
}

// SessionCacheTTL is how long a replica trusts a session it has looked up
// without Redis: a logout on another replica takes effect here within this
// time. Expiry is always checked against the session's own end.
const SessionCacheTTL = 10 * time.Second

// revocations are the session revocations shared by the replicas: in Redis
// when one is configured (a key per revoked token, kept as long as a replica
// may remember the session), else none (the zero value).
type revocations struct {
	rdb redis.UniversalClient
}

// revocationKey is the Redis key that marks a token (by hash) as revoked.
func revocationKey(hash string) string { return "skillcert:session:revoked:" + hash }

func (r revocations) revoke(ctx context.Context, hash string) error {
	if r.rdb == nil {
		return nil
	}
	return r.rdb.Set(ctx, revocationKey(hash), "1", 2*SessionCacheTTL).Err()
}

func (r revocations) revoked(ctx context.Context, hash string) (bool, error) {
	if r.rdb == nil {
		return false, nil
	}
	n, err := r.rdb.Exists(ctx, revocationKey(hash)).Result()
	return n > 0, err
}

// sessionCacheMax bounds the remembered sessions; past it the cache starts over.
const sessionCacheMax = 100000

// sessionCache remembers valid sessions by token hash.
type sessionCache struct {
	mu sync.Mutex
	m  map[string]cachedSession
}

type cachedSession struct {
	repo.Session
	until time.Time // trusted until
}

func (sc *sessionCache) get(hash string, now time.Time) (int64, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	s, ok := sc.m[hash]
	if !ok || !now.Before(s.until) || !now.Before(s.ExpiresAt) {
		return 0, false
	}
	return s.CandidateID, true
}

func (sc *sessionCache) put(hash string, s repo.Session, now time.Time) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.m == nil || len(sc.m) >= sessionCacheMax {
		sc.m = make(map[string]cachedSession)
	}
	sc.m[hash] = cachedSession{Session: s, until: now.Add(SessionCacheTTL)}
}

func (sc *sessionCache) forget(hash string) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	delete(sc.m, hash)
}
