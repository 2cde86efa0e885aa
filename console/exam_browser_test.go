package console_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"

	"skillcert/domain"
	"skillcert/internal/browsertest"
	"skillcert/internal/testenv"
)

// TestExamConsolePages walks the exam pages in a real browser as an
// institution's staff would on exam day: add two sessions → arrange
// automatically → publish the tickets → check a candidate in by typed ticket
// number (twice) → the session's roster. Each page is checked with axe-core and
// saved under testdata/screens/exam/.
func TestExamConsolePages(t *testing.T) {
	ctx := browsertest.New(t, browsertest.Laptop)
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{})
	inst := app.CreateInstitution(t, "广州市第一技师学院")
	app.CreateStaff(t, "inst-a", domain.RoleInstitution, inst.ID, "")
	const dir = "testdata/screens/exam"

	// A plan with three approved candidates, made over HTTP.
	cc := app.Console()
	cc.Login(t, "inst-a", testenv.StaffPassword)
	today := app.Clock.Now().In(domain.Beijing)
	day := func(n int) string { return today.AddDate(0, 0, n).Format("2006-01-02") }
	cc.Get(t, "/console/plans/new")
	p := cc.Post(t, "/console/plans", url.Values{"plan_no": {"2601"}, "plan_name": {"2026年电工（四级/中级工）职业技能等级认定"},
		"occupation_name": {"电工"}, "work_type": {"无"}, "level": {"4"}, "seats_total": {"30"}, "city": {"广州市"},
		"district": {"天河区"}, "address": {"龙洞东路1号实训楼"}, "reg_start": {day(-1)}, "reg_deadline": {day(10)},
		"eval_start": {day(15)}, "eval_end": {day(16)}, "contact_name": {"林老师"}, "contact_phone": {"020-87000000"},
		"supervision_region": {"广州市"}})
	m := regexp.MustCompile(`/console/plans/(\d+)`).FindStringSubmatch(p.Location)
	if m == nil {
		t.Fatalf("create plan: %d %s", p.Status, p.Body)
	}
	planPath := "/console/plans/" + m[1]
	cc.Get(t, planPath)
	cc.Post(t, planPath+"/publish", nil)
	cc.Get(t, planPath+"/codes")
	cc.Post(t, planPath+"/codes", url.Values{"count": {"1"}})
	var code string
	if err := app.DB.R.Get(&code, "SELECT code FROM registration_codes WHERE plan_id = ?", m[1]); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"王小明", "李大华", "张三"} {
		reg := testenv.Register(t, app, code, testenv.Registrant{Name: name})
		rp := fmt.Sprintf("%s/registrations/%d", planPath, reg)
		cc.Get(t, rp)
		if p := cc.Post(t, rp+"/review", url.Values{"action": {"approve"}}); p.Status != 303 {
			t.Fatalf("approve: %d", p.Status)
		}
	}

	x := &b{t: t, ctx: ctx, base: app.URL}
	x.open("/console/login")
	x.fill(map[string]string{"username": "inst-a", "password": testenv.StaffPassword})
	x.click("button[type=submit]")
	x.open(planPath)
	x.click("a[href$='/exam']")
	x.sees("考场编排与准考证", "审核通过 3 人", "尚未添加考试场次", "准考证未发布")

	// Sessions: one bad, then two right.
	x.fill(map[string]string{"date": day(15), "start_time": "09:00", "end_time": "08:00", "room": "第1考场", "seats": "2"})
	x.click("form[action$='/exam/sessions'] button")
	x.sees("结束时间应晚于开始时间")
	browsertest.Screenshot(t, ctx, dir, "session_error")
	x.fill(map[string]string{"end_time": "10:30"})
	x.click("form[action$='/exam/sessions'] button")
	x.sees("考试场次已添加", "第1考场")
	x.fill(map[string]string{"date": day(15), "start_time": "09:00", "end_time": "10:30", "room": "第2考场", "seats": "2"})
	x.click("form[action$='/exam/sessions'] button")
	x.sees("第2考场", "未安排座位 3 人")

	// Arrange and publish.
	x.click("form[action$='/exam/arrange'] button")
	x.sees("考场座位已编排", "已全部安排座位", "2601-00001", "第2考场 1号", "待通知 3 人")
	x.click("form[action$='/exam/publish'] button")
	x.sees("准考证已发布", "已通知")
	browsertest.Screenshot(t, ctx, dir, "exam")
	browsertest.RequireAccessible(t, ctx, "exam arrangement")

	// Move one candidate.
	x.click("a[href*='/exam/move/']")
	x.sees("调整考场座位", "当前座位")
	browsertest.RequireAccessible(t, ctx, "move")
	browsertest.Screenshot(t, ctx, dir, "move")
	x.do(chromedp.SetValue(chromedp.CSS("select[name=session_id]"), sessionValue(t, ctx, "第2考场")))
	x.click("form button.primary")
	x.sees("座位已调整", "待通知 1 人", "重新发布准考证")

	// Check-in by typed ticket number, then again.
	x.click("a[href$='/checkin']")
	x.sees("考生签到", "准考证二维码或准考证号")
	browsertest.RequireAccessible(t, ctx, "check-in")
	x.do(chromedp.SetValue(chromedp.CSS("select[name=session]"), checkinSession(t, ctx, "第1考场")))
	x.fill(map[string]string{"code": "2601-00001"})
	x.click("#checkin-form button[type=submit]")
	x.sees("不在本场次，应到：理论", "第2考场")
	x.do(chromedp.SetValue(chromedp.CSS("select[name=session]"), checkinSession(t, ctx, "第2考场")))
	x.fill(map[string]string{"code": "2601-00001"})
	x.click("#checkin-form button[type=submit]")
	x.sees("签到成功", "考场座位", "第2考场")
	browsertest.Screenshot(t, ctx, dir, "checkin")
	x.fill(map[string]string{"code": "2601-00001"})
	x.click("#checkin-form button[type=submit]")
	x.sees("无需重复签到")
	x.fill(map[string]string{"code": "2601-99999"})
	x.click("#checkin-form button[type=submit]")
	x.sees("本评价计划没有该准考证号")

	// The session's roster.
	x.click("a[href*='/exam/sessions/']")
	x.sees("签到情况", "已签到 1 人", "场次未结束")
	browsertest.RequireAccessible(t, ctx, "session roster")
	browsertest.Screenshot(t, ctx, dir, "session")
}

// sessionValue is the option value of the move form's session whose label names room.
func sessionValue(t *testing.T, ctx context.Context, room string) string {
	return optionValue(t, ctx, "session_id", room)
}

// checkinSession is the option value of the check-in page's session in room.
func checkinSession(t *testing.T, ctx context.Context, room string) string {
	return optionValue(t, ctx, "session", room)
}

func optionValue(t *testing.T, ctx context.Context, name, room string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`[...document.querySelectorAll("select[name=%s] option")].find(o => o.textContent.includes(%q)).value`, name, room)))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
