package server

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/redisguard"
	"skillcert/wechat"
)

// connectRedis opens SKILLCERT_REDIS_URL (nil, nil when it is not set) and checks
// that Redis answers, so a wrong URL stops the start instead of every request.
func connectRedis(ctx context.Context, url string) (*redis.Client, error) {
	if url == "" {
		return nil, nil
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("SKILLCERT_REDIS_URL: %w", err)
	}
	// Short timeouts: while Redis hangs, callers fall back to the database
	// instead of waiting (unless the URL sets its own).
	if opt.DialTimeout == 0 {
		opt.DialTimeout = time.Second
	}
	if opt.ReadTimeout == 0 {
		opt.ReadTimeout = time.Second
	}
	if opt.WriteTimeout == 0 {
		opt.WriteTimeout = time.Second
	}
	opt.MaxRetries = -1 // the guard decides when to try again
	rdb := redis.NewClient(opt)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("SKILLCERT_REDIS_URL: %w", err)
	}
	return rdb, nil
}

// newWeChat builds the WeChat adapter, its access tokens kept in Redis when rdb
// is set (shared by replicas) and in memory otherwise. Without any WeChat app
// configured it returns nil: sign-in then answers 503.
func newWeChat(cfg WeChatConfig, rdb *redis.Client, guard *redisguard.Guard, log *slog.Logger) (*wechat.Client, error) {
	if cfg.MPAppID == "" && cfg.OAAppID == "" {
		log.Warn("WECHAT_MP_APPID is not set: candidate sign-in is unavailable")
		return nil, nil
	}
	var cache wechat.Cache = wechat.NewMemoryCache()
	if rdb != nil {
		// Tokens of a stand-in API (WECHAT_API_BASE) never mix with WeChat's own.
		prefix := "skillcert:wechat:"
		if cfg.APIBase != "" {
			prefix += cfg.APIBase + ":"
		}
		cache = wechat.NewFallbackCache(wechat.NewRedisCache(rdb, prefix), cache, guard)
	}
	c, err := wechat.New(wechat.Config{
		MPAppID: cfg.MPAppID, MPSecret: cfg.MPSecret,
		OAAppID: cfg.OAAppID, OASecret: cfg.OASecret, OAToken: cfg.OAToken, OAAESKey: cfg.OAAESKey,
		APIBase: cfg.APIBase, MPToken: cfg.MPToken, MPAESKey: cfg.MPAESKey,
	}, cache)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// coreWeChat turns a possibly nil client into core's interface (a nil interface,
// not a typed nil, when WeChat is not configured).
func coreWeChat(c *wechat.Client) core.WeChat {
	if c == nil {
		return nil
	}
	return c
}

// coreFace is the WeChat face verification as core's verifier; nil (a nil
// interface) when the mini-program is not configured.
func coreFace(c *wechat.Client) core.FaceVerifier {
	if c == nil || !c.HasMiniProgram() {
		return nil
	}
	return wechat.FaceVerifier{C: c}
}

// closeRedis closes the Redis client, if any.
func (a *App) closeRedis() {
	if a.Redis != nil {
		_ = a.Redis.Close()
	}
}

// redisOrNil is a.Redis as an interface that is nil (not a typed nil) without Redis.
func (a *App) redisOrNil() redis.UniversalClient {
	if a.Redis == nil {
		return nil
	}
	return a.Redis
}

// coreOAWeb is the official account's web sign-in for core (a nil interface
// when no official account is configured).
func coreOAWeb(c *wechat.Client) core.OAWeb {
	if !c.HasOfficialAccount() {
		return nil
	}
	return c
}

// contentSecurity adapts the WeChat client to core's ContentSecurity.
type contentSecurity struct{ c *wechat.Client }

func (s contentSecurity) CheckText(ctx context.Context, t core.TextCheck) (domain.ContentCheck, error) {
	v, err := s.c.CheckText(ctx, wechat.TextCheck{OpenID: t.OpenID, Scene: t.Scene, Content: t.Content})
	return domain.ContentCheck(v), err
}

func (s contentSecurity) CheckMediaAsync(ctx context.Context, m core.MediaCheck) (string, error) {
	return s.c.CheckMediaAsync(ctx, wechat.MediaCheck{OpenID: m.OpenID, Scene: m.Scene, URL: m.URL})
}

// coreSecurity is core's content security over c (nil without a mini-program).
func coreSecurity(c *wechat.Client) core.ContentSecurity {
	if c == nil || !c.HasMiniProgram() {
		return nil
	}
	return contentSecurity{c}
}
