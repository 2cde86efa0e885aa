package core

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
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
func (c *Core) Authenticate(ctx context.Context, token string) (int64, error) {
	if token == "" {
		return 0, errUnauthorized
	}
	id, err := c.db.LookupSession(ctx, HashToken(token), c.now().UTC())
	if repo.IsNoRows(err) {
		return 0, errUnauthorized
	}
	if err != nil {
		return 0, domain.Internal(err)
	}
	return id, nil
}

// EndSession revokes a session token (logout).
func (c *Core) EndSession(ctx context.Context, token string) error {
	if err := c.db.RevokeSession(ctx, HashToken(token), c.now().UTC()); err != nil {
		return domain.Internal(err)
	}
	return nil
}
