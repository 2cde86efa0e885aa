package ratelimit_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"skillcert/internal/testenv"
	"skillcert/ratelimit"
)

// testClock is a settable clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// testRedis is the shared Redis (testenv.SharedRedis).
func testRedis(t *testing.T) *redis.Client { return testenv.SharedRedis(t) }

func TestLimiter(t *testing.T) {
	run := func(t *testing.T, newLimiter func(now func() time.Time) *ratelimit.Limiter) {
		ctx := context.Background()
		clock := &testClock{t: time.Date(2026, 3, 10, 2, 0, 10, 0, time.UTC)}
		l := newLimiter(clock.now)
		bucket := "test:" + testenv.NewCode()

		// Every attempt counted: three pass, the fourth waits for the window's end.
		for i := 0; i < 3; i++ {
			if ok, _, err := l.Limit(ctx, bucket, 3, time.Minute); err != nil || !ok {
				t.Fatalf("attempt %d refused: %v", i+1, err)
			}
		}
		ok, retry, err := l.Limit(ctx, bucket, 3, time.Minute)
		if err != nil || ok || retry != 50*time.Second {
			t.Fatalf("fourth attempt: ok=%v retry=%s err=%v", ok, retry, err)
		}
		if blocked, retry, err := l.Blocked(ctx, bucket, 3, time.Minute); err != nil || !blocked || retry != 50*time.Second {
			t.Fatalf("Blocked = %v %s %v", blocked, retry, err)
		}
		// Other buckets are independent; the next window starts from zero.
		if ok, _, err := l.Limit(ctx, bucket+"-other", 3, time.Minute); err != nil || !ok {
			t.Fatalf("another bucket refused: %v", err)
		}
		clock.add(50 * time.Second)
		if blocked, _, err := l.Blocked(ctx, bucket, 3, time.Minute); err != nil || blocked {
			t.Fatalf("blocked in the next window: %v", err)
		}

		// Failures only: Blocked before, Limit after each failure.
		guess := bucket + "-guess"
		for i := 0; i < 2; i++ {
			if blocked, _, err := l.Blocked(ctx, guess, 2, 10*time.Minute); err != nil || blocked {
				t.Fatalf("blocked after %d failures: %v", i, err)
			}
			if _, _, err := l.Limit(ctx, guess, 2, 10*time.Minute); err != nil {
				t.Fatal(err)
			}
		}
		if blocked, retry, err := l.Blocked(ctx, guess, 2, 10*time.Minute); err != nil || !blocked || retry <= 0 || retry > 10*time.Minute {
			t.Fatalf("after 2 failures: blocked=%v retry=%s err=%v", blocked, retry, err)
		}
	}
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		db := testenv.OpenDB(t, dsn)
		run(t, func(now func() time.Time) *ratelimit.Limiter { return ratelimit.New(db, nil, nil, now) })
	})
	t.Run("redis", func(t *testing.T) {
		rdb := testRedis(t)
		run(t, func(now func() time.Time) *ratelimit.Limiter { return ratelimit.New(nil, rdb, nil, now) })
	})
}

func TestRateLimitedError(t *testing.T) {
	e := ratelimit.RateLimited("rate_limited", "操作过于频繁", 200*time.Millisecond)
	if e.RetryAfter != time.Second || e.Code != "rate_limited" {
		t.Fatalf("RateLimited = %+v", e)
	}
}
