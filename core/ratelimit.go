package core

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/redis/go-redis/v9"

	"skillcert/domain"
	"skillcert/repo"
)

// Limiter is a fixed-window rate limiter shared by every replica: counters live
// in the rate_counters table, or in Redis when one is configured. Buckets name
// what is limited and for whom, e.g. "login:ip:203.0.113.7" or
// "code-guess:candidate:42". Windows are aligned on the Unix epoch.
//
// Two ways to use it:
//   - limit every attempt: call Limit before the operation and refuse when not allowed;
//   - limit failures only (code guessing): call Blocked before the operation and
//     refuse when blocked, and call Limit after each failure to count it.
type Limiter struct {
	store counterStore
	now   func() time.Time
}

// counterStore keeps the counters of one window per bucket.
type counterStore interface {
	incr(ctx context.Context, bucket string, windowStart time.Time, window time.Duration) (int64, error)
	get(ctx context.Context, bucket string, windowStart time.Time) (int64, error)
}

// NewLimiter returns a Limiter over Redis when rdb is not nil, else over the
// database. now is the clock (time.Now when nil).
func NewLimiter(db *repo.DB, rdb redis.UniversalClient, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	var s counterStore = sqlCounters{db: db}
	if rdb != nil {
		s = redisCounters{rdb: rdb, prefix: "skillcert:rate:"}
	}
	return &Limiter{store: s, now: now}
}

// window returns the start of the current window and the time left in it.
func (l *Limiter) window(window time.Duration) (time.Time, time.Duration) {
	now := l.now().UTC()
	start := now.Truncate(window)
	return start, start.Add(window).Sub(now)
}

// Limit counts one event in bucket's current window. allowed is false once more
// than limit events were counted in it; retryAfter is then the time until the
// window ends.
func (l *Limiter) Limit(ctx context.Context, bucket string, limit int, window time.Duration) (allowed bool, retryAfter time.Duration, err error) {
	start, left := l.window(window)
	n, err := l.store.incr(ctx, bucket, start, window)
	if err != nil {
		return false, 0, err
	}
	if n > int64(limit) {
		return false, left, nil
	}
	return true, 0, nil
}

// Blocked reports, without counting, whether bucket already has limit events in
// its current window, and if so how long until the window ends.
func (l *Limiter) Blocked(ctx context.Context, bucket string, limit int, window time.Duration) (blocked bool, retryAfter time.Duration, err error) {
	start, left := l.window(window)
	n, err := l.store.get(ctx, bucket, start)
	if err != nil {
		return false, 0, err
	}
	if n >= int64(limit) {
		return true, left, nil
	}
	return false, 0, nil
}

// RateLimited is the 429 error of a refused attempt, with its Retry-After.
func RateLimited(code, message string, retryAfter time.Duration) *domain.Error {
	if retryAfter < time.Second {
		retryAfter = time.Second
	}
	return &domain.Error{Kind: domain.KindRateLimited, Code: code, Message: message, RetryAfter: retryAfter}
}

// sqlCounters keeps counters in rate_counters; about one call in a hundred also
// deletes the windows that ended more than a day ago.
type sqlCounters struct{ db *repo.DB }

func (s sqlCounters) incr(ctx context.Context, bucket string, start time.Time, window time.Duration) (int64, error) {
	n, err := s.db.IncrRate(ctx, bucket, start)
	if err == nil && rand.IntN(100) == 0 {
		_ = s.db.PruneRates(ctx, start.Add(-window-24*time.Hour)) // best effort: the next prune catches up
	}
	return n, err
}

func (s sqlCounters) get(ctx context.Context, bucket string, start time.Time) (int64, error) {
	return s.db.GetRate(ctx, bucket, start)
}

// redisCounters keeps counters in Redis keys that expire after their window.
type redisCounters struct {
	rdb    redis.UniversalClient
	prefix string
}

func (r redisCounters) key(bucket string, start time.Time) string {
	return r.prefix + bucket + ":" + start.Format("20060102T150405")
}

func (r redisCounters) incr(ctx context.Context, bucket string, start time.Time, window time.Duration) (int64, error) {
	key := r.key(bucket, start)
	var incr *redis.IntCmd
	_, err := r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		incr = p.Incr(ctx, key)
		p.Expire(ctx, key, window+time.Minute)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return incr.Val(), nil
}

func (r redisCounters) get(ctx context.Context, bucket string, start time.Time) (int64, error) {
	n, err := r.rdb.Get(ctx, r.key(bucket, start)).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	return n, err
}
