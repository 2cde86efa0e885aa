package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/redis/go-redis/v9"

	"skillcert/internal/redisguard"
)

// CallbackNonceTTL is how long a callback's (timestamp, nonce) is remembered:
// longer than the window in which its timestamp is accepted (5 minutes each way).
const CallbackNonceTTL = 11 * time.Minute

// ClaimCallbackNonce tells whether a signed official-account callback may be
// served: true the first time its (timestamp, nonce) is seen, and again for the
// same pair with the same body (WeChat retries a push it got no answer to by
// sending the very same request); false for the same pair with another body,
// which is a captured URL replayed with a forged message. Pairs are kept in
// Redis when configured (the database while it is down), else in the database.
func (c *Core) ClaimCallbackNonce(ctx context.Context, timestamp, nonce string, body []byte) (bool, error) {
	sum := sha256.Sum256(body)
	digest := hex.EncodeToString(sum[:])
	key := "oa-nonce:" + timestamp + ":" + nonce
	if len(key) > 150 {
		k := sha256.Sum256([]byte(key))
		key = "oa-nonce-h:" + hex.EncodeToString(k[:])
	}
	var viaRedis func() (string, error)
	if c.rdb != nil {
		viaRedis = func() (string, error) {
			rkey := "skillcert:" + key
			ok, err := c.rdb.SetNX(ctx, rkey, digest, CallbackNonceTTL).Result()
			if err != nil || ok {
				return digest, err
			}
			v, err := c.rdb.Get(ctx, rkey).Result()
			if errors.Is(err, redis.Nil) { // expired between the two calls
				return digest, nil
			}
			return v, err
		}
	}
	recorded, err := redisguard.Do(ctx, c.redisGuard, "oa nonce", viaRedis, func() (string, error) {
		now := c.dbNow()
		first, rec, err := c.db.ClaimOANonce(ctx, key, digest, now)
		if err == nil && first && rand.IntN(200) == 0 {
			_ = c.db.PruneOANonces(ctx, now.Add(-time.Hour)) // best effort
		}
		return rec, err
	})
	if err != nil {
		return false, err
	}
	return recorded == digest, nil
}
