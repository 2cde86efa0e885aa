// Package ratelimit is skillcert's fixed-window rate limiter shared by every
// replica (Redis, or the database when Redis is absent or down), and the
// errors a refusal answers with. Core's operations use it; nothing here knows
// what is limited.
package ratelimit

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"skillcert/domain"
	"skillcert/internal/redisguard"
	"skillcert/repo"
)

// Limiter is a fixed-window rate limiter shared by every replica: counters live
// in Redis when one is configured, and in the rate_counters table otherwise or
// while Redis is down (the guard notices, counts each fallback and goes back to
// Redis when it answers again). Buckets name what is limited and for whom, e.g.
// "login:ip:203.0.113.7" or "code-guess:candidate:42". Windows are aligned on
// the Unix epoch.
//
// Two ways to use it:
//   - limit every attempt: call Limit before the operation and refuse when not allowed;
//   - limit failures only (code guessing): call Limit before the operation (it
//     reserves one count atomically, so parallel attempts cannot slip past the
//     limit) and Refund after a success.
type Limiter struct {
	sql   counterStore
	redis counterStore // nil without Redis
	guard *redisguard.Guard
	now   func() time.Time
	// refused counts refused attempts per limit (the bucket's first segment:
	// login, code-guess, …), for the operator's metrics.
	refused map[string]*atomic.Uint64
}

// LimitNames are the limits a Limiter counts refusals of (a bucket's first
// segment); refusals of any other bucket are counted as "other".
var LimitNames = []string{"login", "console-login", "code-guess", "feedback", "export", "face", "oa-bind-guess", "other"}

// counterStore keeps the counters of one window per bucket.
type counterStore interface {
	incr(ctx context.Context, bucket string, windowStart time.Time, window time.Duration) (int64, error)
	decr(ctx context.Context, bucket string, windowStart time.Time) error
	get(ctx context.Context, bucket string, windowStart time.Time) (int64, error)
}

// New returns a Limiter over Redis when rdb is not nil (falling back to
// the database while guard reports it down), else over the database. guard may
// be nil (one is made); now is the clock (time.Now when nil).
func New(db *repo.DB, rdb redis.UniversalClient, guard *redisguard.Guard, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	l := &Limiter{now: now, refused: map[string]*atomic.Uint64{}}
	for _, n := range LimitNames {
		l.refused[n] = new(atomic.Uint64)
	}
	if db != nil {
		l.sql = sqlCounters{db: db}
	}
	if rdb != nil {
		l.redis = redisCounters{rdb: rdb, prefix: "skillcert:rate:"}
		if guard == nil {
			guard = redisguard.New(nil)
		}
		l.guard = guard
	}
	return l
}

// errNoCounterStore is returned when Redis is down and there is no database.
var errNoCounterStore = errors.New("rate limiter: redis unavailable and no database")

// do runs one counter operation on Redis, or on the database while Redis is
// down or when there is none.
func do[T any](ctx context.Context, l *Limiter, op string, f func(counterStore) (T, error)) (T, error) {
	var viaRedis func() (T, error)
	if l.redis != nil {
		viaRedis = func() (T, error) { return f(l.redis) }
	}
	return redisguard.Do(ctx, l.guard, "rate "+op, viaRedis, func() (T, error) {
		if l.sql == nil {
			var zero T
			return zero, errNoCounterStore
		}
		return f(l.sql)
	})
}

// window returns the start of the current window and the time left in it.
func (l *Limiter) window(window time.Duration) (time.Time, time.Duration) {
	now := l.now().UTC()
	start := now.Truncate(window)
	return start, start.Add(window).Sub(now)
}

// Limit counts one event in bucket's current window. allowed is false once more
// than limit events were counted in it; retryAfter is then the time until the
// window ends. The count and the comparison are one atomic step.
func (l *Limiter) Limit(ctx context.Context, bucket string, limit int, window time.Duration) (allowed bool, retryAfter time.Duration, err error) {
	start, left := l.window(window)
	n, err := do(ctx, l, "incr", func(s counterStore) (int64, error) { return s.incr(ctx, bucket, start, window) })
	if err != nil {
		return false, 0, err
	}
	if n > int64(limit) {
		l.countRefusal(bucket)
		return false, left, nil
	}
	return true, 0, nil
}

func (l *Limiter) countRefusal(bucket string) {
	name, _, _ := strings.Cut(bucket, ":")
	c, ok := l.refused[name]
	if !ok {
		c = l.refused["other"]
	}
	if c != nil { // nil in a Limiter not made by NewLimiter
		c.Add(1)
	}
}

// Refusals returns the attempts refused so far by each limit (LimitNames), in
// this process.
func (l *Limiter) Refusals() map[string]uint64 {
	out := make(map[string]uint64, len(l.refused))
	for n, c := range l.refused {
		out[n] = c.Load()
	}
	return out
}

// Refund takes back one event counted by Limit in bucket's current window (an
// attempt that turned out not to count, such as a correct code).
func (l *Limiter) Refund(ctx context.Context, bucket string, window time.Duration) error {
	start, _ := l.window(window)
	_, err := do(ctx, l, "decr", func(s counterStore) (struct{}, error) {
		return struct{}{}, s.decr(ctx, bucket, start)
	})
	return err
}

// Blocked reports, without counting, whether bucket already has limit events in
// its current window, and if so how long until the window ends.
func (l *Limiter) Blocked(ctx context.Context, bucket string, limit int, window time.Duration) (blocked bool, retryAfter time.Duration, err error) {
	start, left := l.window(window)
	n, err := do(ctx, l, "get", func(s counterStore) (int64, error) { return s.get(ctx, bucket, start) })
	if err != nil {
		return false, 0, err
	}
	if n >= int64(limit) {
		l.countRefusal(bucket)
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

// ErrLimitsUnavailable is the 503 of an operation whose limit cannot be
// checked at all (Redis and the database both down): refused, never let through
// unlimited.
func ErrLimitsUnavailable() *domain.Error {
	e := domain.NewError(domain.KindUnavailable, "unavailable", "服务暂时不可用，请稍后再试")
	e.RetryAfter = 5 * time.Second
	return e
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

func (s sqlCounters) decr(ctx context.Context, bucket string, start time.Time) error {
	return s.db.DecrRate(ctx, bucket, start)
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

// decrScript lowers a counter that exists and is above zero.
var decrScript = redis.NewScript(`
local v = tonumber(redis.call('GET', KEYS[1]) or '0')
if v > 0 then return redis.call('DECR', KEYS[1]) end
return 0`)

func (r redisCounters) decr(ctx context.Context, bucket string, start time.Time) error {
	return decrScript.Run(ctx, r.rdb, []string{r.key(bucket, start)}).Err()
}

func (r redisCounters) get(ctx context.Context, bucket string, start time.Time) (int64, error) {
	n, err := r.rdb.Get(ctx, r.key(bucket, start)).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	return n, err
}
