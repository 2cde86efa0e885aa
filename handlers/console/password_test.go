package console_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"skillcert/internal/testenv"
)

// Issue 15, point 8: staff change their own password; an admin resets one (a
// one-time password that must be changed at the next sign-in) and unlocks a
// locked account; each is audited.
func TestStaffPasswordChangeResetAndUnlock(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)

		// Own change: the current password is checked, the new one validated.
		w.a.Get(t, "/console/password")
		must(t, w.a.Post(t, "/console/password", url.Values{"current": {"wrong-password-1"}, "new": {"new-password-2026"},
			"confirm": {"new-password-2026"}}), 400, "当前密码不正确")
		must(t, w.a.Post(t, "/console/password", url.Values{"current": {testenv.StaffPassword}, "new": {"short"},
			"confirm": {"short"}}), 400, "密码至少10个字符")
		other := w.app.Console()
		other.Login(t, "inst-a", testenv.StaffPassword)
		must(t, w.a.Post(t, "/console/password", url.Values{"current": {testenv.StaffPassword}, "new": {"new-password-2026"},
			"confirm": {"new-password-2026"}}), 303)
		must(t, w.a.Get(t, "/console/plans"), 200) // this session goes on
		if p := other.Get(t, "/console/plans"); p.Status != 303 || !strings.HasPrefix(p.Location, "/console/login") {
			t.Fatalf("another session survived the change: %d %s", p.Status, p.Location)
		}
		fresh := w.app.Console()
		fresh.Login(t, "inst-a", "new-password-2026")

		// Admin reset: a one-time password, shown once; old sessions end; the
		// account must choose a new password before anything else.
		var id int64
		if err := w.app.DB.R.Get(&id, "SELECT id FROM staff_users WHERE username = 'inst-b'"); err != nil {
			t.Fatal(err)
		}
		w.admin.Get(t, "/console/users")
		p := w.admin.Post(t, path("/console/users/%d/reset-password", id), nil)
		must(t, p, 200, "一次性密码", "inst-b")
		i := strings.Index(p.Body, `<code class="otp">`)
		if i < 0 {
			t.Fatal("no one-time password on the page")
		}
		otp := p.Body[i+len(`<code class="otp">`):]
		otp = otp[:strings.Index(otp, "<")]
		if p := w.b.Get(t, "/console/plans"); p.Status != 303 {
			t.Fatalf("the reset account's session survived: %d", p.Status)
		}
		b := w.app.Console()
		b.Login(t, "inst-b", otp)
		if p := b.Get(t, "/console/plans"); p.Status != 303 || !strings.HasPrefix(p.Location, "/console/password") {
			t.Fatalf("after a reset the account is not sent to change its password: %d %s", p.Status, p.Location)
		}
		must(t, b.Get(t, "/console/password"), 200, "管理员已重置您的密码")
		must(t, w.admin.Get(t, "/console/users"), 200, "待改密码")
		must(t, b.Post(t, "/console/password", url.Values{"current": {otp}, "new": {"b-own-password-1"},
			"confirm": {"b-own-password-1"}}), 303)
		must(t, b.Get(t, "/console/plans"), 200)
		// Only admins reset; never their own account.
		must(t, w.a.Post(t, path("/console/users/%d/reset-password", id), nil), 403)

		// Unlock: five wrong passwords lock inst-b; the admin lifts the lock.
		for range 5 {
			c := w.app.Console()
			c.Get(t, "/console/login")
			c.Post(t, "/console/login", url.Values{"username": {"inst-b"}, "password": {"wrong-password-9"}})
		}
		c := w.app.Console()
		c.Get(t, "/console/login")
		must(t, c.Post(t, "/console/login", url.Values{"username": {"inst-b"}, "password": {"b-own-password-1"}}), 429, "账号已锁定")
		w.admin.Get(t, "/console/users")
		must(t, w.admin.Get(t, "/console/users"), 200, "解除锁定")
		must(t, w.admin.Post(t, path("/console/users/%d/unlock", id), nil), 303)
		c.Login(t, "inst-b", "b-own-password-1")

		var actions []string
		if err := w.app.DB.R.Select(&actions, "SELECT action FROM audit_log WHERE action IN ('staff.password_change', 'staff.password_reset', 'staff.unlock') ORDER BY id"); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(actions, ","); got != "staff.password_change,staff.password_reset,staff.password_change,staff.unlock" {
			t.Fatalf("audited: %s", got)
		}
		var details []string
		if err := w.app.DB.R.Select(&details, "SELECT detail FROM audit_log"); err != nil {
			t.Fatal(err)
		}
		for _, d := range details {
			if strings.Contains(d, otp) || strings.Contains(d, "new-password-2026") {
				t.Fatalf("a password reached the audit log: %q", d)
			}
		}
		_ = time.Second
	})
}

// Issue 15, point 10: a form posted with a stale or missing CSRF token says the
// page expired, not that the account lacks the right.
func TestStaleFormSaysPageExpired(t *testing.T) {
	w := newWorld(t, "", nil)
	p := w.a.Post(t, "/console/password", url.Values{"csrf": {"stale"}, "current": {"x"}})
	if p.Status != 403 || !strings.Contains(p.Body, "页面已过期") || strings.Contains(p.Body, "没有权限") {
		t.Fatalf("stale form: %d %s", p.Status, excerpt(p.Body))
	}
}
