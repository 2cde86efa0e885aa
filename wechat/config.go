package wechat

import (
	"fmt"
	"time"
)

// Config holds the credentials of the mini-program (MP) and the official account
// (OA). Either app may be left out (empty app id); calls that need it then fail
// with ClassBadRequest.
type Config struct {
	MPAppID  string // WECHAT_MP_APPID
	MPSecret string // WECHAT_MP_SECRET
	OAAppID  string // WECHAT_OA_APPID
	OASecret string // WECHAT_OA_SECRET
	OAToken  string // WECHAT_OA_TOKEN: the message server's signature token
	OAAESKey string // WECHAT_OA_AES_KEY: EncodingAESKey for safe (AES) mode
	// MPToken and MPAESKey are the mini-program's message push settings (消息推送:
	// WECHAT_MP_TOKEN, WECHAT_MP_AES_KEY), where WeChat posts the verdicts of
	// asynchronous media checks (wxa_media_check).
	MPToken  string
	MPAESKey string
	// APIBase, when set, routes every SDK call to this base URL instead of
	// https://api.weixin.qq.com (WECHAT_API_BASE; e.g. a wechat/fake server).
	APIBase string
	// Timeout bounds each HTTP exchange with WeChat (WECHAT_TIMEOUT, a Go duration;
	// DefaultTimeout when zero).
	Timeout time.Duration
}

// LoadConfig reads the WECHAT_* variables through getenv (os.Getenv in main).
func LoadConfig(getenv func(string) string) (Config, error) {
	cfg := Config{
		MPAppID:  getenv("WECHAT_MP_APPID"),
		MPSecret: getenv("WECHAT_MP_SECRET"),
		OAAppID:  getenv("WECHAT_OA_APPID"),
		OASecret: getenv("WECHAT_OA_SECRET"),
		OAToken:  getenv("WECHAT_OA_TOKEN"),
		OAAESKey: getenv("WECHAT_OA_AES_KEY"),
		MPToken:  getenv("WECHAT_MP_TOKEN"),
		MPAESKey: getenv("WECHAT_MP_AES_KEY"),
		APIBase:  getenv("WECHAT_API_BASE"),
	}
	if s := getenv("WECHAT_TIMEOUT"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return Config{}, fmt.Errorf("wechat: WECHAT_TIMEOUT %q is not a positive duration", s)
		}
		cfg.Timeout = d
	}
	return cfg, cfg.Validate()
}

// Validate checks that each configured app has its secret and that the AES key,
// when given, has WeChat's 43 characters.
func (c Config) Validate() error {
	if c.MPAppID == "" && c.OAAppID == "" {
		return fmt.Errorf("wechat: neither WECHAT_MP_APPID nor WECHAT_OA_APPID is set")
	}
	if c.MPAppID != "" && c.MPSecret == "" {
		return fmt.Errorf("wechat: WECHAT_MP_SECRET is required with WECHAT_MP_APPID")
	}
	if c.OAAppID != "" && c.OASecret == "" {
		return fmt.Errorf("wechat: WECHAT_OA_SECRET is required with WECHAT_OA_APPID")
	}
	if c.OAAESKey != "" && len(c.OAAESKey) != 43 {
		return fmt.Errorf("wechat: WECHAT_OA_AES_KEY must have 43 characters")
	}
	if c.MPAESKey != "" && len(c.MPAESKey) != 43 {
		return fmt.Errorf("wechat: WECHAT_MP_AES_KEY must have 43 characters")
	}
	return nil
}

// String shows the app ids and the API base but never the secrets, the token or
// the AES key, so a Config can be logged.
func (c Config) String() string {
	return fmt.Sprintf("wechat.Config{MPAppID:%q OAAppID:%q APIBase:%q Timeout:%s secrets:%s}",
		c.MPAppID, c.OAAppID, c.APIBase, c.Timeout, "REDACTED")
}
