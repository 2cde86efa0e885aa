package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"skillcert/server"
)

// In demo mode the web sign-in page offers the stand-in's one-click scan: the
// stand-in posts the scan (signed and encrypted) to this server's callback and
// the browser is signed in.
func TestDemoModeWebOneClickSignIn(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"SKILLCERT_DB": dir + "/demo.db", "SKILLCERT_DATA_DIR": dir, "SKILLCERT_DEMO_PLANS": "20",
		"SKILLCERT_ADDR": "127.0.0.1:0", "SKILLCERT_PASSWORD_COST": "4"}
	cfg, err := server.LoadConfig(func(k string) string { return env[k] })
	if err != nil || !cfg.DemoMode || cfg.Web.CookieSecure {
		t.Fatalf("demo config: mode %v, Secure web cookies %v, %v", cfg.DemoMode, cfg.Web.CookieSecure, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	app, err := server.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{Guide: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- app.ServeListener(ctx, ln) }()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("server did not stop")
		}
	}()
	base := "http://" + ln.Addr().String()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var page string
	for i := 0; i < 100; i++ {
		res, err := c.Get(base + "/web/login?next=/web/register")
		if err == nil {
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			page = string(b)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(page, "演示：一键扫码登录") {
		t.Fatalf("no one-click sign-in on the demo sign-in page:\n%s", page)
	}
	i := strings.Index(page, `name="csrf" value="`)
	token := page[i+len(`name="csrf" value="`):]
	token = token[:strings.Index(token, `"`)]
	res, err := c.PostForm(base+"/web/login/demo", url.Values{"csrf": {token}, "next": {"/web/register"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/web/register?ok=signedin" {
		t.Fatalf("one-click sign-in: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res, err = c.Get(base + "/web/register")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(b), "请输入8位报名码") {
		t.Fatalf("after the one-click sign-in: %d", res.StatusCode)
	}
}
