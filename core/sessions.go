package core

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"sync"
	"time"

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

// NewSession opens a session for a candidate and returns its opaque token.
func (c *Core) NewSession(ctx context.Context, candidateID int64) (token string, expires time.Time, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", time.Time{}, domain.Internal(err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	now := c.now().UTC().Truncate(time.Microsecond)
	expires = now.Add(SessionTTL)
	if err := c.db.InsertSession(ctx, c.db.W, HashToken(token), candidateID, now, expires); err != nil {
		return "", time.Time{}, domain.Internal(err)
	}
	return token, expires, nil
}

// Authenticate returns the candidate of a session token, or an unauthorized error.
// A valid session is remembered for SessionCacheTTL, so most requests skip the
// database; a logout on this replica forgets it at once.
func (c *Core) Authenticate(ctx context.Context, token string) (int64, error) {
	if token == "" {
		return 0, errUnauthorized
	}
	hash, now := HashToken(token), c.now().UTC()
	if id, ok := c.sessions.get(hash, now); ok {
		return id, nil
	}
	s, err := c.db.LookupSession(ctx, hash, now)
	if repo.IsNoRows(err) {
		return 0, errUnauthorized
	}
	if err != nil {
		return 0, domain.Internal(err)
	}
	c.sessions.put(hash, s, now)
	return s.CandidateID, nil
}

// EndSession revokes a session token (logout).
func (c *Core) EndSession(ctx context.Context, token string) error {
	hash := HashToken(token)
	c.sessions.forget(hash)
	if err := c.db.RevokeSession(ctx, hash, c.now().UTC()); err != nil {
		return domain.Internal(err)
	}
	return nil
}

// SessionCacheTTL is how long a replica trusts a session it has looked up: a
// logout on another replica takes effect here within this time. Expiry is
// always checked against the session's own end.
const SessionCacheTTL = 10 * time.Second

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
