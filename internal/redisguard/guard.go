// Package redisguard keeps track of whether Redis answers, so that every user of
// Redis (rate limits, callback nonces, chat de-duplication, WeChat tokens) falls
// back to its second store while Redis is down, counts each fallback, and goes
// back to Redis by itself once it answers again: no restart.
//
// While Redis is marked down, callers skip it (no connection attempt, no wait)
// except for one probe every ProbeEvery; a probe that succeeds marks it up.
package redisguard

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultProbeEvery is how often a Redis marked down is tried again.
const DefaultProbeEvery = 2 * time.Second

// Guard is the health of one Redis. The zero value is not usable: use New.
type Guard struct {
	log        *slog.Logger
	probeEvery time.Duration

	mu       sync.Mutex
	down     bool
	since    time.Time
	nextTry  time.Time
	lastErr  string
	probing  bool
	fallback atomic.Uint64
}

// New returns a Guard that reports state changes to log (slog.Default when nil).
func New(log *slog.Logger) *Guard {
	if log == nil {
		log = slog.Default()
	}
	return &Guard{log: log, probeEvery: DefaultProbeEvery}
}

// SetProbeEvery changes how often a Redis marked down is tried (tests shorten it).
func (g *Guard) SetProbeEvery(d time.Duration) {
	g.mu.Lock()
	g.probeEvery = d
	g.mu.Unlock()
}

// Use tells whether the caller should try Redis now: always while it is up;
// while it is down, only one caller per ProbeEvery (the probe).
func (g *Guard) Use() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.down {
		return true
	}
	now := time.Now()
	if g.probing || now.Before(g.nextTry) {
		return false
	}
	g.probing = true
	g.nextTry = now.Add(g.probeEvery)
	return true
}

// Failed records that a Redis call failed with err (redis.Nil and the caller's
// own cancellation are not failures) and reports whether it was a Redis
// failure, in which case the caller falls back.
func (g *Guard) Failed(ctx context.Context, op string, err error) bool {
	if err == nil || errors.Is(err, redis.Nil) || ctx.Err() != nil {
		g.mu.Lock()
		g.probing = false
		g.mu.Unlock()
		return false
	}
	g.mu.Lock()
	was := g.down
	g.down, g.probing, g.lastErr = true, false, err.Error()
	if !was {
		g.since = time.Now()
		g.nextTry = g.since.Add(g.probeEvery)
	}
	g.mu.Unlock()
	if !was {
		g.log.Error("redis unavailable: falling back to the database", "op", op, "err", err)
	}
	return true
}

// Succeeded records a Redis call that worked: a Redis marked down is up again.
func (g *Guard) Succeeded() {
	g.mu.Lock()
	was := g.down
	g.down, g.probing = false, false
	since := g.since
	g.mu.Unlock()
	if was {
		g.log.Info("redis available again", "down_for", time.Since(since).Round(time.Millisecond).String())
	}
}

// Fallback counts one operation served by the second store.
func (g *Guard) Fallback() { g.fallback.Add(1) }

// Fallbacks is how many operations were served by the second store so far.
func (g *Guard) Fallbacks() uint64 { return g.fallback.Load() }

// State reports whether Redis is marked down, since when, and the last error.
func (g *Guard) State() (down bool, since time.Time, lastErr string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.down, g.since, g.lastErr
}

// Do runs viaRedis when Redis is to be used, and viaFallback when it is not or
// when viaRedis failed because of Redis (counting the fallback). A nil guard
// means there is no Redis: viaFallback runs alone, uncounted.
func Do[T any](ctx context.Context, g *Guard, op string, viaRedis, viaFallback func() (T, error)) (T, error) {
	if g == nil || viaRedis == nil {
		return viaFallback()
	}
	if g.Use() {
		v, err := viaRedis()
		if err == nil || errors.Is(err, redis.Nil) {
			g.Succeeded()
			return v, err
		}
		if !g.Failed(ctx, op, err) {
			return v, err
		}
	}
	g.Fallback()
	return viaFallback()
}
