package console_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/internal/testenv"
)

func TestLoginLockoutHoldsForConfiguredTime(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{Env: map[string]string{
			"SKILLCERT_CONSOLE_MAX_FAILURES": "3", "SKILLCERT_CONSOLE_LOCKOUT": "20m"}})
		app.CreateStaff(t, "root", domain.RoleAdmin, 0, "")
		start := time.Now()
		app.Clock.Set(start)
		c := app.Console()
		c.Get(t, "/console/login")
		const wrong = "Wrong-passw0rd-xyz"
		for i := 0; i < 2; i++ {
			must(t, c.Post(t, "/console/login", url.Values{"username": {"root"}, "password": {wrong}}), 401, "用户名或密码错误")
		}
		must(t, c.Post(t, "/console/login", url.Values{"username": {"root"}, "password": {wrong}}), 429, "账号已锁定", "20分钟")
		// Locked: the right password is refused for the whole lockout.
		for _, after := range []time.Duration{0, 19 * time.Minute} {
			app.Clock.Set(start.Add(after))
			must(t, c.Post(t, "/console/login", url.Values{"username": {"root"}, "password": {testenv.StaffPassword}}), 429, "账号已锁定")
		}
		app.Clock.Set(start.Add(20*time.Minute + time.Second))
		p := c.Post(t, "/console/login", url.Values{"username": {"root"}, "password": {testenv.StaffPassword}})
		if p.Status != 303 || p.Location != "/console/plans" || !c.HasCookie("skillcert_console") {
			t.Fatalf("login after lockout: %d %q", p.Status, p.Location)
		}
		// Unknown users get the same answer as a wrong password.
		anon := app.Console()
		anon.Get(t, "/console/login")
		must(t, anon.Post(t, "/console/login", url.Values{"username": {"nobody"}, "password": {wrong}}), 401, "用户名或密码错误")
		for _, secret := range []string{wrong, testenv.StaffPassword} {
			if app.Logs.Contains(secret) {
				t.Fatalf("a password reached the logs")
			}
		}
		must(t, c.Get(t, "/console/audit?action=login_failed"), 200, "登录失败", "该地址锁定中")
	})
}

func TestSessionCookieIsHttpOnlySecureSameSiteAndStoredHashed(t *testing.T) {
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{})
	app.CreateStaff(t, "root", domain.RoleAdmin, 0, "")
	c := app.Console()
	c.Get(t, "/console/login")
	p := c.Post(t, "/console/login", url.Values{"username": {"root"}, "password": {testenv.StaffPassword}})
	ck := strings.Join(p.Header.Values("Set-Cookie"), "\n")
	for _, want := range []string{"skillcert_console=", "HttpOnly", "Secure", "SameSite=Lax", "Path=/console"} {
		if !strings.Contains(ck, want) {
			t.Fatalf("session cookie lacks %s: %s", want, ck)
		}
	}
	token := ck[strings.Index(ck, "skillcert_console=")+len("skillcert_console="):]
	token = token[:strings.Index(token, ";")]
	var n int
	if err := app.DB.R.Get(&n, "SELECT COUNT(*) FROM staff_sessions WHERE token_hash = ?", token); err != nil || n != 0 {
		t.Fatalf("the raw token is stored (%d, %v)", n, err)
	}
	must(t, c.Get(t, "/console/plans"), 200, "评价计划")
	// Logout ends the session on the server, not just in the browser.
	kept := c.Clone()
	must(t, c.Post(t, "/console/logout", nil), 303)
	for _, cl := range []*testenv.ConsoleClient{c, kept} {
		if p := cl.Get(t, "/console/plans"); p.Status != 303 || !strings.HasPrefix(p.Location, "/console/login") {
			t.Fatalf("after logout: %d %q", p.Status, p.Location)
		}
	}
}

func TestFormPostWithoutValidCSRFTokenFails(t *testing.T) {
	w := newWorld(t, testenv.NewDSN(t, "sqlite"), nil)
	w.a.Get(t, "/console/plans/new")
	for _, token := range []string{"", "forged-token"} {
		f := planForm("CSRF1")
		f.Set("csrf", token)
		must(t, w.a.Post(t, "/console/plans", f), 403, "页面已过期")
	}
	// Another user's token does not work either.
	f := planForm("CSRF1")
	f.Set("csrf", w.b.CSRF)
	must(t, w.a.Post(t, "/console/plans", f), 403)
	// The login form is protected too.
	anon := w.app.Console()
	must(t, anon.Post(t, "/console/login", url.Values{"username": {"inst-a"}, "password": {testenv.StaffPassword}, "csrf": {""}}), 403)
	var n int
	if err := w.app.DB.R.Get(&n, "SELECT COUNT(*) FROM plans"); err != nil || n != 0 {
		t.Fatalf("a plan was created without a token: %d %v", n, err)
	}
}
