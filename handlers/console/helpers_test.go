package console_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/internal/testenv"
)

// world is a test server with two institutions, their staff, a supervisor of
// 广州市, a supervisor of another region and an admin, each signed in.
type world struct {
	app              *testenv.App
	instA, instB     int64
	a, b, sup, other *testenv.ConsoleClient
	admin            *testenv.ConsoleClient
}

func newWorld(t *testing.T, dsn string, env map[string]string) *world {
	t.Helper()
	app := testenv.Start(t, dsn, testenv.Options{Env: env})
	w := &world{app: app}
	t.Cleanup(func() {
		if t.Failed() {
			for _, line := range strings.Split(app.Logs.String(), "\n") {
				if strings.Contains(line, `"level":"ERROR"`) {
					t.Log(line)
				}
			}
		}
	})
	w.instA = app.CreateInstitution(t, "广州市第一技师学院").ID
	w.instB = app.CreateInstitution(t, "深圳市第二技师学院").ID
	app.CreateStaff(t, "inst-a", domain.RoleInstitution, w.instA, "")
	app.CreateStaff(t, "inst-b", domain.RoleInstitution, w.instB, "")
	app.CreateStaff(t, "sup-gz", domain.RoleSupervisor, 0, "广州市")
	app.CreateStaff(t, "sup-sz", domain.RoleSupervisor, 0, "深圳市")
	app.CreateStaff(t, "admin1", domain.RoleAdmin, 0, "")
	for _, x := range []struct {
		c    **testenv.ConsoleClient
		user string
	}{{&w.a, "inst-a"}, {&w.b, "inst-b"}, {&w.sup, "sup-gz"}, {&w.other, "sup-sz"}, {&w.admin, "admin1"}} {
		*x.c = app.Console()
		(*x.c).Login(t, x.user, testenv.StaffPassword)
	}
	return w
}

// planForm is a valid plan form starting registration today.
func planForm(no string) url.Values {
	today := time.Now().In(domain.Beijing)
	d := func(days int) string { return today.AddDate(0, 0, days).Format("2006-01-02") }
	return url.Values{
		"plan_no": {no}, "plan_name": {"2026年电工（四级/中级工）职业技能等级认定"}, "occupation_name": {"电工"},
		"work_type": {"无"}, "level": {"4"}, "seats_total": {"30"}, "city": {"广州市"}, "district": {"天河区"},
		"address": {"天河区龙洞东路1号实训楼"}, "reg_start": {d(-1)}, "reg_deadline": {d(10)},
		"eval_start": {d(15)}, "eval_end": {d(16)}, "contact_name": {"林老师"}, "contact_phone": {"020-87000000"},
		"supervision_region": {"广州市"},
	}
}

var planLocation = regexp.MustCompile(`^/console/plans/(\d+)\?ok=created$`)

// createPlan creates a plan through the form and returns its id.
func createPlan(t *testing.T, c *testenv.ConsoleClient, no string, publish bool) string {
	t.Helper()
	c.Get(t, "/console/plans/new")
	p := c.Post(t, "/console/plans", planForm(no))
	m := planLocation.FindStringSubmatch(p.Location)
	if p.Status != 303 || m == nil {
		t.Fatalf("create plan: %d %q %s", p.Status, p.Location, p.Body)
	}
	if publish {
		c.Get(t, "/console/plans/"+m[1])
		if p := c.Post(t, "/console/plans/"+m[1]+"/publish", nil); p.Status != 303 {
			t.Fatalf("publish: %d %s", p.Status, p.Body)
		}
	}
	return m[1]
}

// must fails unless the page has the status and holds every text.
func must(t *testing.T, p *testenv.Page, status int, texts ...string) {
	t.Helper()
	if p.Status != status {
		t.Fatalf("status %d, want %d: %s", p.Status, status, excerpt(p.Body))
	}
	for _, s := range texts {
		if !strings.Contains(p.Body, s) {
			t.Fatalf("page lacks %q: %s", s, excerpt(p.Body))
		}
	}
}

func excerpt(s string) string {
	if i := strings.Index(s, "<main>"); i >= 0 {
		s = s[i:]
	}
	if len(s) > 3000 {
		s = s[:3000]
	}
	return s
}

func path(format string, a ...any) string { return fmt.Sprintf(format, a...) }
