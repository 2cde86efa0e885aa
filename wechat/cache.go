package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	sdkcache "github.com/silenceper/wechat/v2/cache"
)

// Cache holds access tokens. It has the method set of the SDK's cache.Cache, so
// any implementation can be handed to the SDK. A timeout <= 0 means the value is
// already stale: it is not stored (and any previous value is removed).
type Cache interface {
	Get(key string) interface{}
	Set(key string, val interface{}, timeout time.Duration) error
	IsExist(key string) bool
	Delete(key string) error
}

var (
	_ sdkcache.Cache        = (*MemoryCache)(nil)
	_ sdkcache.ContextCache = (*RedisCache)(nil)
)

// MemoryCache is a mutex-guarded in-process cache with expiry: the default, one
// token per app per process. (The SDK's own memory cache reads its map without the
// lock.)
type MemoryCache struct {
	mu    sync.Mutex
	items map[string]memoryItem
	now   func() time.Time
}

type memoryItem struct {
	val     interface{}
	expires time.Time
}

// NewMemoryCache returns an empty MemoryCache.
func NewMemoryCache() *MemoryCache {
	return &MemoryCache{items: map[string]memoryItem{}, now: time.Now}
}

// Get returns the value of key, or nil when it is absent or expired.
func (m *MemoryCache) Get(key string) interface{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := m.items[key]
	if !ok {
		return nil
	}
	if !m.now().Before(it.expires) {
		delete(m.items, key)
		return nil
	}
	return it.val
}

// Set stores val under key for timeout.
func (m *MemoryCache) Set(key string, val interface{}, timeout time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if timeout <= 0 {
		delete(m.items, key)
		return nil
	}
	m.items[key] = memoryItem{val: val, expires: m.now().Add(timeout)}
	return nil
}

// IsExist reports whether key holds a value that has not expired.
func (m *MemoryCache) IsExist(key string) bool {
	return m.Get(key) != nil
}

// Delete removes key.
func (m *MemoryCache) Delete(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.items, key)
	return nil
}

// RedisCache keeps tokens in Redis (go-redis v9) so that every replica shares one
// access token per app. Values are stored as strings and Get returns strings
// (which is what the SDK stores); other values are stored as JSON text.
type RedisCache struct {
	rdb       redis.UniversalClient
	prefix    string
	opTimeout time.Duration
}

// NewRedisCache returns a cache over rdb (a *redis.Client, or a cluster or ring
// client) whose keys all start with prefix (for example "skillcert:wechat:").
func NewRedisCache(rdb redis.UniversalClient, prefix string) *RedisCache {
	return &RedisCache{rdb: rdb, prefix: prefix, opTimeout: 3 * time.Second}
}

// ctx bounds one Redis operation by opTimeout (the SDK calls the cache without
// a context).
func (r *RedisCache) ctx(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, r.opTimeout)
}

// Get returns the string stored under key, or nil when it is absent or Redis
// cannot be reached (the SDK then fetches a token from WeChat).
func (r *RedisCache) Get(key string) interface{} { return r.GetContext(context.Background(), key) }

// GetContext is Get with a context.
func (r *RedisCache) GetContext(ctx context.Context, key string) interface{} {
	v, err := r.get(ctx, key)
	if err != nil {
		return nil
	}
	return v
}

// get is Get that tells a missing key (nil, nil) from Redis failing.
func (r *RedisCache) get(ctx context.Context, key string) (interface{}, error) {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	v, err := r.rdb.Get(ctx, r.prefix+key).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return v, nil
}

// Set stores val under key with the expiry timeout. Errors from Redis are returned
// (the SDK then fails the call, which classifies as retry-later).
func (r *RedisCache) Set(key string, val interface{}, timeout time.Duration) error {
	return r.SetContext(context.Background(), key, val, timeout)
}

// SetContext is Set with a context.
func (r *RedisCache) SetContext(ctx context.Context, key string, val interface{}, timeout time.Duration) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	if timeout <= 0 {
		return r.rdb.Del(ctx, r.prefix+key).Err()
	}
	var s string
	switch v := val.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		s = string(b)
	}
	return r.rdb.Set(ctx, r.prefix+key, s, timeout).Err()
}

// IsExist reports whether key exists.
func (r *RedisCache) IsExist(key string) bool { return r.IsExistContext(context.Background(), key) }

// IsExistContext is IsExist with a context.
func (r *RedisCache) IsExistContext(ctx context.Context, key string) bool {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	n, err := r.rdb.Exists(ctx, r.prefix+key).Result()
	return err == nil && n > 0
}

// Delete removes key; a missing key is not an error.
func (r *RedisCache) Delete(key string) error { return r.DeleteContext(context.Background(), key) }

// DeleteContext is Delete with a context.
func (r *RedisCache) DeleteContext(ctx context.Context, key string) error {
	ctx, cancel := r.ctx(ctx)
	defer cancel()
	err := r.rdb.Del(ctx, r.prefix+key).Err()
	if errors.Is(err, redis.Nil) {
		return nil
	}
	return err
}
