package server_test

import (
	"net/http"
	"strings"
	"testing"

	"skillcert/internal/testenv"
	"skillcert/server"
)

// Demo mode is on only with SKILLCERT_DEMO, no WECHAT_* variable and SQLite; it
// listens on loopback unless SKILLCERT_DEMO_PUBLIC, and its console cookies work
// over plain HTTP unless told otherwise.
func TestDemoModeConfig(t *testing.T) {
	load := func(env map[string]string) (server.Config, error) {
		return server.LoadConfig(func(k string) string { return env[k] })
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		demo bool
		addr string
	}{
		{"defaults", nil, true, "127.0.0.1:8080"},
		{"port only", map[string]string{"SKILLCERT_ADDR": ":18080"}, true, "127.0.0.1:18080"},
		{"localhost", map[string]string{"SKILLCERT_ADDR": "localhost:9000"}, true, "localhost:9000"},
		{"IPv6 loopback", map[string]string{"SKILLCERT_ADDR": "[::1]:9000"}, true, "[::1]:9000"},
		{"a mini-program app id", map[string]string{"WECHAT_MP_APPID": "wx123"}, false, ":8080"},
		{"only a WeChat API base", map[string]string{"WECHAT_API_BASE": "http://127.0.0.1:9090"}, false, ":8080"},
		{"only an OA token", map[string]string{"WECHAT_OA_TOKEN": "t"}, false, ":8080"},
		{"only a WeChat timeout", map[string]string{"WECHAT_TIMEOUT": "3s"}, false, ":8080"},
		{"MySQL", map[string]string{"SKILLCERT_DB": "root@tcp(127.0.0.1:3306)/skillcert"}, false, ":8080"},
		{"MySQL URL", map[string]string{"SKILLCERT_DB": "mysql://root@127.0.0.1:3306/skillcert"}, false, ":8080"},
		{"SKILLCERT_DEMO=false", map[string]string{"SKILLCERT_DEMO": "false"}, false, ":8080"},
		{"public", map[string]string{"SKILLCERT_DEMO_PUBLIC": "true", "SKILLCERT_ADDR": "0.0.0.0:8080"}, true, "0.0.0.0:8080"},
	} {
		cfg, err := load(tc.env)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if cfg.DemoMode != tc.demo || cfg.Addr != tc.addr {
			t.Errorf("%s: demo mode %v on %q, want %v on %q", tc.name, cfg.DemoMode, cfg.Addr, tc.demo, tc.addr)
		}
		if cfg.Console.CookieSecure == tc.demo || cfg.AccessLog == tc.demo {
			t.Errorf("%s: Secure cookies %v, access log %v in demo mode %v", tc.name, cfg.Console.CookieSecure, cfg.AccessLog, tc.demo)
		}
	}
	// A non-loopback address in demo mode stops the start, naming the way out.
	for _, addr := range []string{"0.0.0.0:8080", "[::]:8080", "192.168.1.10:8080", "example.com:80"} {
		_, err := load(map[string]string{"SKILLCERT_ADDR": addr})
		if err == nil || !strings.Contains(err.Error(), "SKILLCERT_ADDR") || !strings.Contains(err.Error(), "SKILLCERT_DEMO_PUBLIC") {
			t.Errorf("demo mode on %s: %v", addr, err)
		}
	}
	// Outside demo mode the same address is fine.
	if cfg, err := load(map[string]string{"SKILLCERT_ADDR": "0.0.0.0:8080", "SKILLCERT_DEMO": "0"}); err != nil || cfg.Addr != "0.0.0.0:8080" {
		t.Errorf("not demo: %+v %v", cfg.Addr, err)
	}
	// Explicit settings win.
	if cfg, _ := load(map[string]string{"SKILLCERT_CONSOLE_SECURE_COOKIE": "true", "SKILLCERT_ACCESS_LOG": "true"}); !cfg.DemoMode ||
		!cfg.Console.CookieSecure || !cfg.AccessLog {
		t.Error("SKILLCERT_CONSOLE_SECURE_COOKIE=true or SKILLCERT_ACCESS_LOG=true ignored in demo mode")
	}
	// From the process environment, any WECHAT_ variable counts, known or not.
	t.Setenv("WECHAT_SOMETHING_NEW", "x")
	for _, k := range []string{"SKILLCERT_DEMO", "SKILLCERT_DB", "SKILLCERT_ADDR"} {
		t.Setenv(k, "")
	}
	if cfg, err := server.LoadConfig(nil); err != nil || cfg.DemoMode {
		t.Errorf("WECHAT_SOMETHING_NEW set: demo mode %v (%v)", cfg.DemoMode, err)
	}
}

// The production path (WeChat configured, demo data on): no demo mode, but the
// front page and the API index answer, on both engines.
func TestFrontPageAndAPIIndex(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{Demo: true, DemoPlans: 20,
			Env: map[string]string{"SKILLCERT_METRICS_TOKEN": "metrics-token-for-the-tests-0001"}})
		if app.Cfg.DemoMode || app.DemoMode != nil {
			t.Fatal("demo mode with WECHAT_* set")
		}
		c := app.Client()
		r := c.Get(t, "/")
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("GET /: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		for _, want := range []string{`lang="zh-CN"`, "职业技能等级认定", `href="/web/"`, "考生网页版", `href="/console/"`,
			`href="/api/v1/"`, `href="/docs/API.md"`, "当前可报名的评价计划"} {
			if !strings.Contains(string(r.Body), want) {
				t.Fatalf("front page lacks %q:\n%s", want, r.Body)
			}
		}
		if strings.Contains(string(r.Body), "演示模式") {
			t.Fatal("front page claims demo mode")
		}
		var idx struct {
			Contract string `json:"contract"`
			Routes   []struct {
				Method, Path string
			} `json:"routes"`
		}
		c.Get(t, "/api/v1/").JSON(t, &idx)
		has := map[string]bool{}
		for _, rt := range idx.Routes {
			has[rt.Method+" "+rt.Path] = true
		}
		for _, want := range []string{"POST /api/v1/auth/login", "POST /api/v1/registration-codes/lookup",
			"POST /api/v1/registrations/:id/submit", "GET /api/v1/plans"} {
			if !has[want] {
				t.Fatalf("API index lacks %s: %+v", want, idx.Routes)
			}
		}
		if has["GET /api/v1/"] || idx.Contract != "/docs/API.md" {
			t.Fatalf("API index: %+v", idx)
		}
		if r := c.Get(t, idx.Contract); r.Status != http.StatusOK || !strings.Contains(string(r.Body), "/api/v1/registration-codes/lookup") {
			t.Fatalf("contract: %d", r.Status)
		}
		if r := c.Get(t, "/demo/outbox"); r.Status != http.StatusNotFound {
			t.Fatalf("/demo/outbox outside demo mode: %d", r.Status)
		}
		mreq, _ := http.NewRequest(http.MethodGet, app.URL+"/metrics", nil)
		mreq.Header.Set("Authorization", "Bearer metrics-token-for-the-tests-0001")
		if r := c.Send(t, mreq); !strings.Contains(string(r.Body), "skillcert_demo_mode 0") {
			t.Fatal("metrics lack skillcert_demo_mode 0")
		}
	})
}
