package console_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/internal/testenv"
)

// loginFrom posts the login form as if from ip (the test server trusts loopback
// as its proxy).
func loginFrom(t *testing.T, c *testenv.ConsoleClient, ip, username, password string) *testenv.Page {
	t.Helper()
	c.Get(t, "/console/login")
	form := url.Values{"username": {username}, "password": {password}, "csrf": {c.CSRF}}
	req, err := http.NewRequest(http.MethodPost, c.Base+"/console/login", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	return c.Do(t, req)
}

// Wrong passwords lock out the address they came from, not the account: the
// owner elsewhere still signs in; each further failure doubles the lock; many
// failures from many addresses lock the account for everyone; an admin unlocks.
func TestLockoutPerAccountAndAddress(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{Env: map[string]string{
			"SKILLCERT_CONSOLE_MAX_FAILURES": "5", "SKILLCERT_CONSOLE_LOCKOUT": "15m",
			"SKILLCERT_CONSOLE_ACCOUNT_CEILING": "12", "SKILLCERT_TRUSTED_PROXIES": "127.0.0.1"}})
		app.CreateStaff(t, "root", domain.RoleAdmin, 0, "")
		inst := app.CreateInstitution(t, "测试评价机构")
		app.CreateStaff(t, "lingnan", domain.RoleInstitution, inst.ID, "")
		start := time.Now()
		app.Clock.Set(start)
		const wrong = "Wrong-passw0rd-xyz"
		attacker := app.Console()

		for i := 0; i < 4; i++ {
			must(t, loginFrom(t, attacker, "203.0.113.66", "lingnan", wrong), 401, "用户名或密码错误")
		}
		must(t, loginFrom(t, attacker, "203.0.113.66", "lingnan", wrong), 429, "15分钟")
		must(t, loginFrom(t, attacker, "203.0.113.66", "lingnan", testenv.StaffPassword), 429, "账号已锁定")
		// The owner, from the office, is not locked out.
		if p := loginFrom(t, app.Console(), "198.51.100.20", "lingnan", testenv.StaffPassword); p.Status != http.StatusSeeOther {
			t.Fatalf("owner from another address: %d %s", p.Status, excerpt(p.Body))
		}
		// After the lock, one more failure locks the attacker twice as long.
		app.Clock.Set(start.Add(16 * time.Minute))
		must(t, loginFrom(t, attacker, "203.0.113.66", "lingnan", wrong), 429, "30分钟")
		app.Clock.Set(start.Add(16*time.Minute + 29*time.Minute))
		must(t, loginFrom(t, attacker, "203.0.113.66", "lingnan", testenv.StaffPassword), 429, "账号已锁定")

		// Distributed guessing: failures from many addresses, each under 5, reach
		// the account's ceiling (12 in a row since the owner's success: the one
		// above and 11 more) and lock it for everyone.
		now := start.Add(time.Hour)
		app.Clock.Set(now)
		for i := 0; i < 11; i++ {
			ip := fmt.Sprintf("192.0.2.%d", i+1)
			p := loginFrom(t, attacker, ip, "lingnan", wrong)
			if i < 10 && p.Status != 401 || i == 10 && p.Status != 429 {
				t.Fatalf("distributed failure %d from %s: %d %s", i+1, ip, p.Status, excerpt(p.Body))
			}
		}
		must(t, loginFrom(t, app.Console(), "198.51.100.20", "lingnan", testenv.StaffPassword), 429, "账号已锁定")

		// An admin unlocks it (audited); the owner gets in at once.
		admin := app.Console()
		if p := loginFrom(t, admin, "198.51.100.30", "root", testenv.StaffPassword); p.Status != http.StatusSeeOther {
			t.Fatalf("admin login: %d", p.Status)
		}
		must(t, admin.Get(t, "/console/users"), 200, "解除锁定")
		var id int64
		if err := app.DB.R.Get(&id, "SELECT id FROM staff_users WHERE username = 'lingnan'"); err != nil {
			t.Fatal(err)
		}
		p := admin.Post(t, path("/console/users/%d/unlock", id), nil)
		if p.Status != http.StatusSeeOther {
			t.Fatalf("unlock: %d %s", p.Status, excerpt(p.Body))
		}
		must(t, admin.Get(t, p.Location), 200, "已解除该账号的登录锁定")
		if p := loginFrom(t, app.Console(), "198.51.100.20", "lingnan", testenv.StaffPassword); p.Status != http.StatusSeeOther {
			t.Fatalf("owner after unlock: %d %s", p.Status, excerpt(p.Body))
		}
		if p := loginFrom(t, app.Console(), "203.0.113.66", "lingnan", testenv.StaffPassword); p.Status != http.StatusSeeOther {
			t.Fatalf("the locked address after unlock: %d %s", p.Status, excerpt(p.Body))
		}
		must(t, admin.Get(t, "/console/audit?action=staff.unlock"), 200, "解除账号锁定")
		// Only admins unlock.
		inst1 := app.Console()
		loginFrom(t, inst1, "198.51.100.40", "lingnan", testenv.StaffPassword)
		inst1.Get(t, "/console/plans")
		if p := inst1.Post(t, path("/console/users/%d/unlock", id), nil); p.Status != http.StatusForbidden {
			t.Fatalf("unlock by an institution: %d", p.Status)
		}
	})
}
