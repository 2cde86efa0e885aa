package server

import (
	"net"
	"os"
	"strings"
)

// weChatVars are the WECHAT_* variables skillcert reads; any of them set turns
// demo mode off (the os.Environ scan in anyWeChatEnv also catches others).
var weChatVars = []string{"WECHAT_MP_APPID", "WECHAT_MP_SECRET", "WECHAT_OA_APPID", "WECHAT_OA_SECRET",
	"WECHAT_OA_TOKEN", "WECHAT_OA_AES_KEY", "WECHAT_API_BASE", "WECHAT_TIMEOUT", "WECHAT_MP_TOKEN", "WECHAT_MP_AES_KEY"}

// anyWeChatEnv tells whether any WECHAT_* variable has a value: in the process
// environment when getenv is nil (every WECHAT_ name, known or not), else among
// weChatVars through getenv.
func anyWeChatEnv(getenv func(string) string) bool {
	if getenv == nil {
		for _, kv := range os.Environ() {
			if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "WECHAT_") && strings.TrimSpace(v) != "" {
				return true
			}
		}
		return false
	}
	for _, k := range weChatVars {
		if strings.TrimSpace(getenv(k)) != "" {
			return true
		}
	}
	return false
}

// applyDemoDefaults adjusts the settings of demo mode: it listens on loopback
// only (unless SKILLCERT_DEMO_PUBLIC), since its sign-in accepts anyone as
// anyone, its console cookies work over plain HTTP unless
// SKILLCERT_CONSOLE_SECURE_COOKIE says otherwise, and it keeps no access log
// unless SKILLCERT_ACCESS_LOG says so.
func applyDemoDefaults(r *envReader, c *Config) {
	if strings.TrimSpace(r.get("SKILLCERT_CONSOLE_SECURE_COOKIE")) == "" {
		c.Console.CookieSecure = false
	}
	if strings.TrimSpace(r.get("SKILLCERT_WEB_SECURE_COOKIE")) == "" {
		c.Web.CookieSecure = false
	}
	// One JSON line per request would scroll the start-up guide away.
	if strings.TrimSpace(r.get("SKILLCERT_ACCESS_LOG")) == "" {
		c.AccessLog = false
	}
	if c.DemoPublic {
		return
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		r.fail("SKILLCERT_ADDR", c.Addr, "want host:port or :port")
		return
	}
	switch {
	case host == "":
		c.Addr = net.JoinHostPort("127.0.0.1", port)
	case isLoopbackHost(host):
	default:
		r.fail("SKILLCERT_ADDR", c.Addr, "demo mode signs anyone in as anyone, so it listens on loopback only "+
			"(127.0.0.1:PORT); set SKILLCERT_DEMO_PUBLIC=true to listen there anyway, or SKILLCERT_DEMO=false")
	}
}

// isLoopbackHost tells whether host is localhost or a loopback IP.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
