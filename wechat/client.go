package wechat

import (
	"context"
	"fmt"

	sdkcache "github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/miniprogram"
	"github.com/silenceper/wechat/v2/miniprogram/auth"
	mpconfig "github.com/silenceper/wechat/v2/miniprogram/config"
	"github.com/silenceper/wechat/v2/miniprogram/security"
	"github.com/silenceper/wechat/v2/miniprogram/subscribe"
	"github.com/silenceper/wechat/v2/officialaccount"
	oaconfig "github.com/silenceper/wechat/v2/officialaccount/config"
	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/sirupsen/logrus"
)

// App names one of the two WeChat apps a Client talks for.
type App int

// The apps.
const (
	AppMiniProgram App = iota + 1
	AppOfficialAccount
)

// String returns "miniprogram" or "officialaccount".
func (a App) String() string {
	switch a {
	case AppMiniProgram:
		return "miniprogram"
	case AppOfficialAccount:
		return "officialaccount"
	}
	return fmt.Sprintf("app(%d)", int(a))
}

// Client is the adapter over the silenceper/wechat SDK. It is safe for concurrent
// use. Every method returns nil or an *Error (see Classify); methods that use an
// access token drop it and retry once when WeChat rejects it.
//
// Context: Code2Session and PhoneNumber pass ctx to the SDK. SendSubscribe,
// SendTemplate and SendCustomText go through SDK methods that take no context:
// ctx is checked before each attempt, and each HTTP exchange is bounded by the
// configured timeout, but a send already on the wire is not interrupted by ctx.
type Client struct {
	cfg   Config
	cache Cache

	mp     *miniprogram.MiniProgram
	mpAuth *auth.Auth
	mpSub  *subscribe.Subscribe
	mpSec  *security.Security

	oa     *officialaccount.OfficialAccount
	oaTpl  *message.Template
	oaKefu *message.Manager
}

func init() { quietSDKLogging() }

// quietSDKLogging keeps the SDK (which logs through the global logrus logger, at
// debug level with whole message bodies in its message server) from logging
// anything below warnings.
func quietSDKLogging() {
	if logrus.IsLevelEnabled(logrus.InfoLevel) {
		logrus.SetLevel(logrus.WarnLevel)
	}
}

// New builds a Client. A nil cache means NewMemoryCache (one token per process);
// pass a RedisCache so replicas share one token per app. Tokens are stable tokens
// (/cgi-bin/stable_token), so replicas and other services fetching their own
// never invalidate each other. New also calls InstallHTTPClient(cfg.APIBase,
// cfg.Timeout), which is process-wide.
func New(cfg Config, cache Cache) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := InstallHTTPClient(cfg.APIBase, cfg.Timeout); err != nil {
		return nil, err
	}
	quietSDKLogging()
	if cache == nil {
		cache = NewMemoryCache()
	}
	c := &Client{cfg: cfg, cache: cache}
	if cfg.MPAppID != "" {
		c.mp = miniprogram.NewMiniProgram(&mpconfig.Config{
			AppID:       cfg.MPAppID,
			AppSecret:   cfg.MPSecret,
			Cache:       cache,
			UseStableAK: true,
		})
		c.mpAuth = auth.NewAuth(c.mp.GetContext())
		c.mpSub = subscribe.NewSubscribe(c.mp.GetContext())
		c.mpSec = security.NewSecurity(c.mp.GetContext())
	}
	if cfg.OAAppID != "" {
		c.oa = officialaccount.NewOfficialAccount(&oaconfig.Config{
			AppID:          cfg.OAAppID,
			AppSecret:      cfg.OASecret,
			Token:          cfg.OAToken,
			EncodingAESKey: cfg.OAAESKey,
			Cache:          cache,
			UseStableAK:    true,
		})
		// The SDK's getters fill their fields lazily without a lock: fill them
		// here, once, so concurrent callers of OfficialAccount() only read them.
		c.oaTpl = c.oa.GetTemplate()
		c.oaKefu = c.oa.GetCustomerMessageManager()
		c.oa.GetBasic()
		c.oa.GetMenu()
		c.oa.GetOauth()
		c.oa.GetUser()
		c.oa.GetMaterial()
		c.oa.GetJs()
	}
	return c, nil
}

// OfficialAccount returns the SDK's official-account object (nil when no OA is
// configured), for the message server: oa.GetServer(req, w) per request. It
// shares the Client's token cache. Its getters used by New (template, customer
// message, basic, menu, oauth, user, material, js) are pre-filled and safe to call
// concurrently; other getters of the SDK are not.
func (c *Client) OfficialAccount() *officialaccount.OfficialAccount { return c.oa }

// HasOfficialAccount tells whether an official account is configured.
func (c *Client) HasOfficialAccount() bool { return c != nil && c.oa != nil }

// tokenCacheKey is the key under which the SDK's stable-token handle caches the
// token of app (see credential.StableAccessToken).
func (c *Client) tokenCacheKey(app App) (string, bool) {
	switch app {
	case AppMiniProgram:
		if c.mp != nil {
			return fmt.Sprintf("%s_stable_access_token_%s", credential.CacheKeyMiniProgramPrefix, c.cfg.MPAppID), true
		}
	case AppOfficialAccount:
		if c.oa != nil {
			return fmt.Sprintf("%s_stable_access_token_%s", credential.CacheKeyOfficialAccountPrefix, c.cfg.OAAppID), true
		}
	}
	return "", false
}

// InvalidateToken drops the cached access token of app, so the next call fetches
// one (a stable token: WeChat returns the current one if it is still valid, a new
// one otherwise; it never forces a refresh that would cut off other replicas).
// Client methods do this by themselves on 40001/40014/42001/41001. ctx reaches
// caches that take one (RedisCache).
func (c *Client) InvalidateToken(ctx context.Context, app App) error {
	key, ok := c.tokenCacheKey(app)
	if !ok {
		return notConfigured(app)
	}
	if err := sdkcache.DeleteContext(ctx, c.cache, key); err != nil {
		return toError(err)
	}
	return nil
}

// withToken runs fn and, when WeChat rejects the access token, drops the cached
// token and runs fn once more.
func (c *Client) withToken(ctx context.Context, app App, fn func() error) error {
	if err := ctx.Err(); err != nil {
		return toError(err)
	}
	err := fn()
	if err == nil {
		return nil
	}
	e := toError(err)
	if e.Class != ClassTokenInvalid {
		return e
	}
	if ierr := c.InvalidateToken(ctx, app); ierr != nil {
		return e
	}
	if err := ctx.Err(); err != nil {
		return toError(err)
	}
	if err := fn(); err != nil {
		return toError(err)
	}
	return nil
}

func notConfigured(app App) *Error {
	return &Error{Class: ClassBadRequest, Msg: app.String() + " is not configured"}
}

// validCode accepts what wx.login and getPhoneNumber hand out (letters, digits,
// '-', '_'). The SDK pastes the login code into the query string unescaped, so
// anything else could smuggle parameters into the request.
func validCode(code string) bool {
	if code == "" || len(code) > 256 {
		return false
	}
	for i := 0; i < len(code); i++ {
		b := code[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_') {
			return false
		}
	}
	return true
}

func invalidCode(code string) *Error {
	if code == "" {
		return &Error{Class: ClassInvalidCode, Msg: "missing code (not sent to WeChat)"}
	}
	return &Error{Class: ClassInvalidCode, Msg: "malformed code (not sent to WeChat)"}
}
