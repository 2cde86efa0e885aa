package console_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"skillcert/internal/testenv"
)

func TestPlanLifecycleValidatesEveryFieldAndShowsCandidatesAtOnce(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		w.a.Get(t, "/console/plans/new")
		bad := planForm("P-1")
		bad.Set("level", "6")
		bad.Set("seats_total", "0")
		bad.Set("contact_phone", "12345")
		bad.Set("eval_start", "2020-01-01")
		bad.Set("plan_name", "")
		must(t, w.a.Post(t, "/console/plans", bad), 400, "评价等级不正确", "最大允许报名人数应为1至",
			"联系电话应为", "评价开始日期不能早于报名截止日期", "请填写评价计划名称")

		id := createPlan(t, w.a, "P-1", false)
		// A draft is not visible to candidates.
		api := w.app.Client()
		if r := api.Get(t, "/api/v1/plans/"+id); r.Status != 404 {
			t.Fatalf("draft visible: %d", r.Status)
		}
		must(t, w.a.Get(t, "/console/plans/"+id), 200, "草稿", "发布")
		must(t, w.a.Post(t, "/console/plans/"+id+"/publish", nil), 303)
		if r := api.Get(t, "/api/v1/plans/"+id); r.Status != 200 || !strings.Contains(string(r.Body), "电工") {
			t.Fatalf("published plan not visible at once: %d %s", r.Status, r.Body)
		}
		// The same number cannot be used twice.
		w.a.Get(t, "/console/plans/new")
		must(t, w.a.Post(t, "/console/plans", planForm("P-1")), 400, "评价计划编号已存在")

		// Edit: the change reaches candidates at once.
		w.a.Get(t, "/console/plans/"+id+"/edit")
		f := planForm("P-1")
		f.Set("address", "天河区新校区")
		must(t, w.a.Post(t, "/console/plans/"+id, f), 303)
		if r := api.Get(t, "/api/v1/plans/"+id); !strings.Contains(string(r.Body), "天河区新校区") {
			t.Fatalf("edit not visible: %s", r.Body)
		}
		// With seats taken and a submitted registration: no fewer seats, no other level.
		if _, err := w.app.DB.W.Exec("UPDATE plans SET seats_taken = 5 WHERE id = ?", id); err != nil {
			t.Fatal(err)
		}
		seedSubmitted(t, w.app, id)
		w.a.Get(t, "/console/plans/"+id+"/edit")
		f.Set("seats_total", "4")
		f.Set("level", "3")
		must(t, w.a.Post(t, "/console/plans/"+id, f), 400, "最大允许报名人数不能少于5", "不能修改评价等级")
		must(t, w.a.Get(t, "/console/plans/"+id+"/edit"), 200, "等级不能修改", "已占用 5 个名额")
		f.Set("seats_total", "5")
		f.Set("level", "4")
		must(t, w.a.Post(t, "/console/plans/"+id, f), 303)

		// Close: registration stops; candidates see 已截止.
		w.a.Get(t, "/console/plans/"+id)
		must(t, w.a.Post(t, "/console/plans/"+id+"/close", nil), 303)
		if r := api.Get(t, "/api/v1/plans/"+id); !strings.Contains(string(r.Body), `"status":"closed"`) {
			t.Fatalf("closed plan: %s", r.Body)
		}
		must(t, w.a.Post(t, "/console/plans/"+id+"/close", nil), 409, "只有已发布的计划可以关闭")
		must(t, w.admin.Get(t, "/console/audit"), 200, "新建评价计划", "发布评价计划", "修改评价计划", "关闭评价计划", "inst-a")
	})
}

// seedSubmitted inserts a candidate and a submitted registration of the plan
// directly (the registration API belongs to another area).
func seedSubmitted(t *testing.T, app *testenv.App, planID string) {
	t.Helper()
	now := "2026-01-01 00:00:00"
	res, err := app.DB.W.Exec(`INSERT INTO candidates (openid, name, created_at, updated_at) VALUES (?, '张三', ?, ?)`,
		testenv.NewOpenID(), now, now)
	if err != nil {
		t.Fatal(err)
	}
	cid, _ := res.LastInsertId()
	if _, err := app.DB.W.Exec(`INSERT INTO registrations (plan_id, candidate_id, id_number_idx, status, seat_held,
		submitted_at, created_at, updated_at) VALUES (?, ?, ?, 'submitted', 1, ?, ?, ?)`,
		planID, cid, testenv.NewOpenID(), now, now, now); err != nil {
		t.Fatal(err)
	}
}

var codeCell = regexp.MustCompile(`<code>([A-Z0-9]{8})</code>`)

func TestCodesGenerateUniqueListRevokeAndExpire(t *testing.T) {
	w := newWorld(t, testenv.NewDSN(t, "sqlite"), nil)
	id := createPlan(t, w.a, "C-1", true)
	w.a.Get(t, "/console/plans/"+id+"/codes")
	must(t, w.a.Post(t, "/console/plans/"+id+"/codes", url.Values{"count": {"201"}}), 400, "生成数量应为1至200")
	must(t, w.a.Post(t, "/console/plans/"+id+"/codes", url.Values{"count": {"2"}, "expires": {"2001-01-01"}}), 400, "有效期不能早于今天")
	must(t, w.a.Post(t, "/console/plans/"+id+"/codes", url.Values{"count": {"40"}}), 303)
	p := w.a.Get(t, "/console/plans/"+id+"/codes")
	must(t, p, 200, "共 40 条", "有效", "不限")
	seen := map[string]bool{}
	for _, m := range codeCell.FindAllStringSubmatch(p.Body, -1) {
		if seen[m[1]] || strings.ContainsAny(m[1], "01OIL") {
			t.Fatalf("bad or repeated code %s", m[1])
		}
		seen[m[1]] = true
	}
	if len(seen) != 40 {
		t.Fatalf("%d codes shown", len(seen))
	}
	var codeID string
	if err := w.app.DB.R.Get(&codeID, "SELECT MIN(id) FROM registration_codes WHERE plan_id = ?", id); err != nil {
		t.Fatal(err)
	}
	must(t, w.a.Post(t, "/console/plans/"+id+"/codes/"+codeID+"/revoke", nil), 303)
	must(t, w.a.Get(t, "/console/plans/"+id+"/codes"), 200, "已作废")
	must(t, w.a.Post(t, "/console/plans/"+id+"/codes/"+codeID+"/revoke", nil), 404)
	must(t, w.admin.Get(t, "/console/audit"), 200, "生成报名码", "作废报名码", "生成 40 个")
}

func TestAuthorizationBetweenInstitutionsSupervisorsAndAdmins(t *testing.T) {
	w := newWorld(t, testenv.NewDSN(t, "sqlite"), nil)
	id := createPlan(t, w.a, "AZ-1", true)
	w.a.Get(t, "/console/plans/"+id+"/codes")
	w.a.Post(t, "/console/plans/"+id+"/codes", url.Values{"count": {"1"}})
	var codeID string
	if err := w.app.DB.R.Get(&codeID, "SELECT MIN(id) FROM registration_codes WHERE plan_id = ?", id); err != nil {
		t.Fatal(err)
	}

	// Another institution: every page and action of the plan is 404.
	w.b.Get(t, "/console/plans")
	for _, p := range []string{"", "/edit", "/codes"} {
		must(t, w.b.Get(t, "/console/plans/"+id+p), 404)
	}
	for _, p := range []string{"/publish", "/close", "/codes", "/codes/" + codeID + "/revoke", ""} {
		must(t, w.b.Post(t, "/console/plans/"+id+p, planForm("AZ-1")), 404)
	}
	if strings.Contains(w.b.Get(t, "/console/plans").Body, "AZ-1") {
		t.Fatal("another institution lists the plan")
	}

	// The supervisor of the plan's region reads it, cannot act.
	must(t, w.sup.Get(t, "/console/plans"), 200, "AZ-1", "广州市第一技师学院")
	must(t, w.sup.Get(t, "/console/plans/"+id), 200, "AZ-1")
	for _, p := range []string{"/publish", "/close", "/codes", ""} {
		must(t, w.sup.Post(t, "/console/plans/"+id+p, planForm("AZ-1")), 403)
	}
	must(t, w.sup.Get(t, "/console/plans/"+id+"/codes"), 403)
	must(t, w.sup.Get(t, "/console/feedback"), 200, "暂无反馈")
	// The supervisor of another region does not see it.
	must(t, w.other.Get(t, "/console/plans/"+id), 404)
	if strings.Contains(w.other.Get(t, "/console/plans").Body, "AZ-1") {
		t.Fatal("supervisor of another region lists the plan")
	}
	// Admin pages are for admins only.
	for _, p := range []string{"/console/audit", "/console/users", "/console/institutions"} {
		must(t, w.a.Get(t, p), 403)
		must(t, w.sup.Get(t, p), 403)
	}
	must(t, w.admin.Post(t, "/console/plans/"+id+"/close", nil), 403)
	// Not signed in: sent to the login page.
	if p := w.app.Console().Get(t, "/console/plans/"+id); p.Status != 303 || !strings.HasPrefix(p.Location, "/console/login?next=") {
		t.Fatalf("anonymous: %d %q", p.Status, p.Location)
	}
}

func TestAdminCreatesInstitutionsAndAccounts(t *testing.T) {
	w := newWorld(t, testenv.NewDSN(t, "sqlite"), nil)
	w.admin.Get(t, "/console/institutions")
	must(t, w.admin.Post(t, "/console/institutions", url.Values{"name": {"佛山市技师学院"}}), 303)
	must(t, w.admin.Post(t, "/console/institutions", url.Values{"name": {"佛山市技师学院"}}), 400, "该评价机构已存在")
	w.admin.Get(t, "/console/users")
	must(t, w.admin.Post(t, "/console/users", url.Values{"username": {"x"}, "password": {"short"}, "role": {"institution"}}), 400,
		"用户名应为3至32个字符", "密码至少10个字符", "须选择所属评价机构")
	must(t, w.admin.Post(t, "/console/users", url.Values{"username": {"inst-c"}, "password": {"Another-passw0rd"},
		"role": {"institution"}, "institution_id": {path("%d", w.instB)}}), 303)
	c := w.app.Console()
	c.Login(t, "inst-c", "Another-passw0rd")
	must(t, c.Get(t, "/console/plans"), 200, "深圳市第二技师学院")
	var uid string
	if err := w.app.DB.R.Get(&uid, "SELECT id FROM staff_users WHERE username = 'inst-c'"); err != nil {
		t.Fatal(err)
	}
	w.admin.Get(t, "/console/users")
	must(t, w.admin.Post(t, "/console/users/"+uid+"/disable", nil), 303)
	if p := c.Get(t, "/console/plans"); p.Status != 303 {
		t.Fatalf("disabled account still signed in: %d", p.Status)
	}
	must(t, w.admin.Get(t, "/console/audit"), 200, "创建账号", "停用账号", "新增评价机构")
	if w.app.Logs.Contains("Another-passw0rd") {
		t.Fatal("password in logs")
	}
}

func TestEditingDatesOrPlaceTellsRegisteredCandidates(t *testing.T) {
	w := newWorld(t, testenv.NewDSN(t, "sqlite"), nil)
	id, _ := openPlan(t, w, "CH-1", testenv.Registrant{Name: "陈一"}, testenv.Registrant{Name: "李二"})
	w.a.Get(t, "/console/plans/"+id+"/edit")
	f := planForm("CH-1")
	f.Set("contact_name", "黄老师") // not something candidates are told about
	must(t, w.a.Post(t, "/console/plans/"+id, f), 303)
	if n := count(t, w.app, "SELECT COUNT(*) FROM outbox WHERE event_kind = 'plan.changed'"); n != 0 {
		t.Fatalf("%d plan.changed events for a contact change", n)
	}
	w.a.Get(t, "/console/plans/"+id+"/edit")
	f.Set("eval_end", f.Get("eval_start"))
	f.Set("address", "黄埔区新校区2号楼")
	must(t, w.a.Post(t, "/console/plans/"+id, f), 303)
	var payloads []string
	if err := w.app.DB.R.Select(&payloads, "SELECT payload FROM outbox WHERE event_kind = 'plan.changed' AND plan_id = ?", id); err != nil {
		t.Fatal(err)
	}
	if len(payloads) != 2 || !strings.Contains(payloads[0], "考试地点改为广州市天河区黄埔区新校区2号楼") || !strings.Contains(payloads[0], "评价结束日期改为") {
		t.Fatalf("plan.changed events: %v", payloads)
	}
}

// Issue 15 point 9: the plan list filters by phase (报名中, 已截止, 有待审核)
// and sorts by activity, on both engines.
func TestPlanListPhasesAndActivity(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		open := createPlan(t, w.a, "PF-OPEN", true)
		ended := createPlan(t, w.a, "PF-ENDED", true)
		createPlan(t, w.a, "PF-DRAFT", false)
		pending := createPlan(t, w.a, "PF-PEND", true)
		registerIn(t, w, pending, "甲一")
		if _, err := w.app.DB.W.Exec("UPDATE plans SET reg_start = '2020-01-01', reg_deadline = '2020-01-10', eval_start = '2020-01-15', eval_end = '2020-01-16' WHERE id = ?", ended); err != nil {
			t.Fatal(err)
		}
		// Every plan was last changed long ago and PF-PEND's registration a day
		// later; PF-OPEN then gets a registration now: the most active plan.
		// (plans.activity_at, migration 00027, is set with them as the writes would.)
		if _, err := w.app.DB.W.Exec("UPDATE plans SET updated_at = '2026-01-01 00:00:00', activity_at = '2026-01-01 00:00:00'"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.app.DB.W.Exec("UPDATE registrations SET updated_at = '2026-01-02 00:00:00'"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.app.DB.W.Exec("UPDATE plans SET activity_at = '2026-01-02 00:00:00' WHERE id = ?", pending); err != nil {
			t.Fatal(err)
		}
		registerIn(t, w, open, "乙二")

		listed := func(query string) []string {
			t.Helper()
			p := w.a.Get(t, "/console/plans?"+query)
			must(t, p, 200)
			var out []string
			for _, m := range regexp.MustCompile(`>(PF-[A-Z]+)<`).FindAllStringSubmatch(p.Body, -1) {
				out = append(out, m[1])
			}
			return out
		}
		for _, c := range []struct{ query, want string }{
			{"", "PF-PEND PF-DRAFT PF-ENDED PF-OPEN"},
			{"phase=open", "PF-PEND PF-OPEN"},
			{"phase=ended", "PF-ENDED"},
			{"phase=pending", "PF-PEND PF-OPEN"},
			{"phase=pending&q=" + url.QueryEscape("PF-PEND"), "PF-PEND"},
			{"sort=activity", "PF-OPEN PF-PEND PF-DRAFT PF-ENDED"},
			{"phase=open&sort=activity", "PF-OPEN PF-PEND"},
			{"phase=bogus&sort=bogus", "PF-PEND PF-DRAFT PF-ENDED PF-OPEN"},
		} {
			if got := strings.Join(listed(c.query), " "); got != c.want {
				t.Errorf("/console/plans?%s lists %q, want %q", c.query, got, c.want)
			}
		}
		// The chosen filters stay selected, and the page links keep them.
		must(t, w.a.Get(t, "/console/plans?phase=pending&sort=activity"), 200,
			`<option value="pending" selected>有待审核</option>`, `<option value="activity" selected>最近有动态</option>`)
	})
}

// Issue 26 item 2: the 最近有动态 order reads plans.activity_at (00027), kept
// by the writes; after plan edits, submits, reviews and a cancel it lists the
// plans in the order the old per-plan key gave (the latest of the plan's own
// update and its registrations' changes), paging by key on both engines.
func TestPlanActivityOrderAsBefore(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		var ids []string
		for i := range 5 {
			ids = append(ids, createPlan(t, w.a, fmt.Sprintf("PA-%c", 'A'+i), true))
		}
		regs := registerIn(t, w, ids[1], "甲一", "乙二")
		registerIn(t, w, ids[3], "丙三")
		time.Sleep(2 * time.Millisecond)
		must(t, w.a.Post(t, "/console/plans/"+ids[1]+"/registrations/"+fmt.Sprint(regs[0])+"/review", url.Values{"action": {"approve"}}), 303)
		time.Sleep(2 * time.Millisecond)
		w.a.Get(t, "/console/plans/"+ids[0]+"/edit")
		must(t, w.a.Post(t, "/console/plans/"+ids[0], planForm("PA-A")), 303)
		time.Sleep(2 * time.Millisecond)
		must(t, w.a.Post(t, "/console/plans/"+ids[3]+"/registrations/"+fmt.Sprint(lastReg(t, w, ids[3]))+"/review",
			url.Values{"action": {"return"}, "reason": {"材料不全"}, "fields": {"social_insurance"}}), 303)

		// The old key, computed per plan as console-plan-list did before 00027.
		var want []string
		if err := w.app.DB.R.Select(&want, `SELECT p.plan_no FROM plans p ORDER BY COALESCE(
			(SELECT MAX(r.updated_at) FROM registrations r WHERE r.plan_id = p.id AND r.updated_at > p.updated_at),
			p.updated_at) DESC, p.id DESC`); err != nil {
			t.Fatal(err)
		}
		listed := func(query string) []string {
			t.Helper()
			p := w.admin.Get(t, "/console/plans?sort=activity&"+query)
			must(t, p, 200)
			var out []string
			for _, m := range regexp.MustCompile(`>(PA-[A-Z])<`).FindAllStringSubmatch(p.Body, -1) {
				out = append(out, m[1])
			}
			return out
		}
		if got := strings.Join(listed(""), " "); got != strings.Join(want, " ") {
			t.Fatalf("最近有动态 lists %q, the old order is %q", got, strings.Join(want, " "))
		}
		if want[0] != "PA-D" || want[1] != "PA-A" {
			t.Fatalf("the latest activity should be PA-D's return, then PA-A's edit: %v", want)
		}
		// Paged by key: after the second plan, and back before the fourth.
		var second, fourth int64
		if err := w.app.DB.R.Get(&second, "SELECT id FROM plans WHERE plan_no = ?", want[1]); err != nil {
			t.Fatal(err)
		}
		if err := w.app.DB.R.Get(&fourth, "SELECT id FROM plans WHERE plan_no = ?", want[3]); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(listed(fmt.Sprintf("before=%d", second)), " "); got != strings.Join(want[2:], " ") {
			t.Errorf("after %s: %q, want %q", want[1], got, strings.Join(want[2:], " "))
		}
		if got := strings.Join(listed(fmt.Sprintf("after=%d", fourth)), " "); got != strings.Join(want[:3], " ") {
			t.Errorf("before %s: %q, want %q", want[3], got, strings.Join(want[:3], " "))
		}
	})
}

// lastReg is the newest registration of a plan.
func lastReg(t *testing.T, w *world, planID string) int64 {
	t.Helper()
	var id int64
	if err := w.app.DB.R.Get(&id, "SELECT MAX(id) FROM registrations WHERE plan_id = ?", planID); err != nil {
		t.Fatal(err)
	}
	return id
}
