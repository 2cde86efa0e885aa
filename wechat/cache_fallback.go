package wechat

import (
	"context"
	"time"

	"skillcert/internal/redisguard"
)

// FallbackCache keeps tokens in Redis while the guard reports it up, and in a
// process-local cache while it is down (each replica then holds its own token
// until Redis answers again, when the shared one takes over by itself).
type FallbackCache struct {
	redis *RedisCache
	local Cache
	guard *redisguard.Guard
}

var _ Cache = (*FallbackCache)(nil)

// NewFallbackCache returns a cache over redis that falls back to local.
func NewFallbackCache(redis *RedisCache, local Cache, guard *redisguard.Guard) *FallbackCache {
	return &FallbackCache{redis: redis, local: local, guard: guard}
}

func run[T any](f *FallbackCache, op string, viaRedis func(context.Context) (T, error), viaLocal func() (T, error)) (T, error) {
	ctx := context.Background()
	return redisguard.Do(ctx, f.guard, "wechat token "+op,
		func() (T, error) { return viaRedis(ctx) }, viaLocal)
}

// Get returns the value of key, or nil.
func (f *FallbackCache) Get(key string) interface{} {
	v, _ := run(f, "get", func(ctx context.Context) (interface{}, error) { return f.redis.get(ctx, key) },
		func() (interface{}, error) { return f.local.Get(key), nil })
	return v
}

// Set stores val under key for timeout.
func (f *FallbackCache) Set(key string, val interface{}, timeout time.Duration) error {
	_, err := run(f, "set", func(ctx context.Context) (struct{}, error) {
		return struct{}{}, f.redis.SetContext(ctx, key, val, timeout)
	}, func() (struct{}, error) { return struct{}{}, f.local.Set(key, val, timeout) })
	return err
}

// IsExist reports whether key holds a value.
func (f *FallbackCache) IsExist(key string) bool { return f.Get(key) != nil }

// Delete removes key.
func (f *FallbackCache) Delete(key string) error {
	_, err := run(f, "delete", func(ctx context.Context) (struct{}, error) {
		return struct{}{}, f.redis.DeleteContext(ctx, key)
	}, func() (struct{}, error) { return struct{}{}, f.local.Delete(key) })
	return err
}
