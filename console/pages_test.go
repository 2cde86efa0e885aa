package console_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"skillcert/core"
	"skillcert/demo"
	"skillcert/domain"
	"skillcert/internal/browsertest"
	"skillcert/internal/testenv"
)

// consoleWorld is a demo server with the demo plan 2501's institution, a
// supervisor of its region and an admin; one candidate registered (and approved)
// and one feedback filed on the plan.
type consoleWorld struct {
	app        *testenv.App
	planID     int64
	regID      int64
	feedbackID int64
}

func newConsoleWorld(t *testing.T) *consoleWorld {
	t.Helper()
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{Demo: true, DemoPlans: 40})
	ctx := context.Background()
	inst, err := app.DB.GetInstitutionByName(ctx, app.DB.R, "广东岭南现代技师学院")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := app.DB.GetPlanByNo(ctx, app.DB.R, demo.PlanNo)
	if err != nil {
		t.Fatal(err)
	}
	app.CreateStaff(t, "lingnan", domain.RoleInstitution, inst.ID, "")
	app.CreateStaff(t, "gdsup", domain.RoleSupervisor, 0, plan.SupervisionRegion)
	app.CreateStaff(t, "root", domain.RoleAdmin, 0, "")
	w := &consoleWorld{app: app, planID: plan.ID}
	w.regID = testenv.Register(t, app, demo.Code, testenv.Registrant{Name: "王小明"})
	cand := testenv.SignInWithIdentity(t, app, "李大华", domain.IDTypeResidentCard, testenv.RandomIDNumber(""))
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"plan_no": demo.PlanNo, "category": "exam_organization",
		"content": "实操考试设备故障，延误一小时后才开始考试。"} {
		_ = mw.WriteField(k, v)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, cand.Base+"/api/v1/feedback", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res := cand.Send(t, req)
	if res.Status != http.StatusCreated {
		t.Fatalf("feedback: %d %s", res.Status, res.Body)
	}
	var fb core.FeedbackView
	res.JSON(t, &fb)
	w.feedbackID = fb.ID
	return w
}

func (x *b) login(user string) {
	x.t.Helper()
	x.open("/console/login")
	x.fill(map[string]string{"username": user, "password": testenv.StaffPassword})
	x.click("form[action='/console/login'] button[type=submit]")
	x.sees(user)
}

func (x *b) logout() {
	x.t.Helper()
	x.click("header form[action='/console/logout'] button")
	x.sees("已退出登录")
}

// TestConsolePagesAtLaptopAndPhone opens every console page of every role at
// 1366×768 and at 390×844: axe-core finds no serious or critical violation, and
// on the phone no page is wider than the screen. Screenshots are saved.
func TestConsolePagesAtLaptopAndPhone(t *testing.T) {
	w := newConsoleWorld(t)
	for _, size := range []browsertest.Size{browsertest.Laptop, browsertest.Phone} {
		t.Run(size.String(), func(t *testing.T) {
			x := newBrowser(t, size)
			x.base = w.app.URL
			plan := fmt.Sprintf("/console/plans/%d", w.planID)
			reg := fmt.Sprintf("%s/registrations/%d", plan, w.regID)

			x.open("/console/login")
			x.check("login")

			x.login("lingnan")
			for _, p := range []struct{ path, name string }{
				{"/console/plans", "plans"}, {plan, "plan"}, {plan + "/edit", "plan_edit"},
				{"/console/plans/new", "plan_new"}, {plan + "/codes", "codes"},
				{plan + "/registrations", "registrations"}, {reg, "registration"},
				{plan + "/results", "results"}, {"/console/training", "training"},
				{"/console/password", "password"},
			} {
				x.open(p.path)
				x.check(p.name)
			}
			if size == browsertest.Laptop { // approve once, for the result form
				x.open(reg)
				x.click("form input[value=approve] ~ button")
				x.sees("已审核通过")
			}
			x.open(fmt.Sprintf("%s/results/%d", plan, w.regID))
			x.check("result_edit")
			x.logout()

			x.login("gdsup")
			x.open("/console/plans")
			x.check("plans_supervisor")
			x.open("/console/feedback")
			x.check("feedback")
			x.open(fmt.Sprintf("/console/feedback/%d", w.feedbackID))
			x.check("feedback_detail")
			x.logout()

			x.login("root")
			for _, p := range []struct{ path, name string }{
				{"/console/users", "users"}, {"/console/institutions", "institutions"},
				{"/console/institution-cities", "institution_cities"}, {"/console/occupations", "occupations"},
				{"/console/notifications", "notifications"}, {"/console/audit", "audit"},
				{"/console/training", "training_admin"}, {plan, "plan_admin"},
			} {
				x.open(p.path)
				x.check(p.name)
			}
			x.open("/console/plans/999999")
			x.check("not_found")
		})
	}
}

// value reads a form control's current value.
func (x *b) value(name string) string {
	x.t.Helper()
	v, err := chromedp.Run(x.ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`(function(){var e=document.querySelector('[name=%q]');return e?e.value:'(missing)'})()`, name)))
	if err != nil {
		x.t.Fatal(err)
	}
	return v
}

// keeps fails unless each named control still holds what was typed.
func (x *b) keeps(form string, want map[string]string) {
	x.t.Helper()
	for name, v := range want {
		if got := x.value(name); got != v {
			x.t.Errorf("%s: after a refused submit %s holds %q, want %q", form, name, got, v)
		}
	}
}

// TestConsoleFormsKeepTypedValues submits every console form with one bad field:
// the page names that field, without repeating its label in the message, and
// every other field still holds what was typed.
func TestConsoleFormsKeepTypedValues(t *testing.T) {
	w := newConsoleWorld(t)
	x := newBrowser(t, browsertest.Laptop)
	x.base = w.app.URL
	plan := fmt.Sprintf("/console/plans/%d", w.planID)
	reg := fmt.Sprintf("%s/registrations/%d", plan, w.regID)
	today := w.app.Clock.Now().In(domain.Beijing)
	day := func(n int) string { return today.AddDate(0, 0, n).Format("2006-01-02") }

	x.login("lingnan")

	// New plan: a bad phone; everything else stays.
	x.open("/console/plans/new")
	typed := map[string]string{"plan_no": "2602", "plan_name": "2026年育婴员（四级/中级工）职业技能等级认定",
		"occupation_name": "育婴员", "level": "4", "seats_total": "45", "supervision_region": "广州市",
		"city": "广州市", "district": "海珠区", "address": "新港西路135号实训楼2楼", "reg_start": day(1),
		"reg_deadline": day(15), "eval_start": day(22), "eval_end": day(23), "contact_name": "陈老师"}
	x.fill(typed)
	x.fill(map[string]string{"contact_phone": "12"})
	x.click("form button.primary")
	x.sees("联系电话应为11位手机号码")
	x.keeps("new plan", typed)
	x.check("plan_new_refused")

	// Codes: a bad count keeps the expiry.
	x.open(plan + "/codes")
	x.fill(map[string]string{"count": "0"})
	x.click("form[action$='/codes'] button")
	x.check("codes_refused")

	// Review: 退回修改 without a reason keeps the ticked fields.
	x.open(reg)
	x.do(chromedp.Click(chromedp.CSS("input[name=fields][value=employer]")))
	x.click("form input[value=return] ~ p button")
	x.sees("请填写退回修改的原因")
	checked, err := chromedp.Run(x.ctx, chromedp.Evaluate[bool](`document.querySelector('input[name=fields][value=employer]').checked`))
	if err != nil || !checked {
		t.Errorf("review: the ticked field was lost (%v)", err)
	}
	x.check("registration_refused")
	x.fill(map[string]string{"reason": "所在单位与社保证明不一致，请核对"})
	x.do(chromedp.Click(chromedp.CSS("input[name=fields][value=employer]")))
	x.open(reg)
	x.click("form input[value=approve] ~ button")
	x.sees("已审核通过")

	today8 := today.Format("2006-01-02") // the evaluation has started: results may be recorded
	if _, err := w.app.DB.W.Exec("UPDATE plans SET reg_deadline = ?, eval_start = ?, eval_end = ? WHERE id = ?",
		today8, today8, today8, w.planID); err != nil {
		t.Fatal(err)
	}
	// Results of one candidate: a bad certificate number keeps the scores typed;
	// the message does not repeat the label.
	x.open(fmt.Sprintf("%s/results/%d", plan, w.regID))
	x.fill(map[string]string{"theory": "合格", "practical": "86", "cert_no": "Y123"})
	x.click("form button.primary")
	x.sees("证书编号应为")
	if strings.Contains(x.text(), "证书编号：证书编号") {
		t.Error("result form: the message repeats its label")
	}
	x.keeps("result", map[string]string{"theory": "合格", "practical": "86", "cert_no": "Y123"})
	x.check("result_edit_refused")

	// Own password: a mismatch names the field.
	x.open("/console/password")
	x.fill(map[string]string{"current": testenv.StaffPassword, "new": "new-password-2026", "confirm": "new-password-2027"})
	x.click("form button.primary")
	x.sees("两次输入的新密码不一致")
	x.check("password_refused")
	x.logout()

	// Supervisor: a reply too long keeps its text.
	x.login("gdsup")
	x.open(fmt.Sprintf("/console/feedback/%d", w.feedbackID))
	long := strings.Repeat("长", 501)
	x.fill(map[string]string{"reply": long})
	x.click("form[action$='/reply'] button")
	x.sees("答复内容最多500个字")
	x.keeps("feedback reply", map[string]string{"reply": long})
	x.check("feedback_reply_refused")
	x.logout()

	// Admin: a new account, a new institution, an occupation.
	x.login("root")
	x.open("/console/users")
	x.fill(map[string]string{"username": "gz-sup", "password": "short", "role": "supervisor", "region": "广州市"})
	x.click("form[action='/console/users'] button.primary")
	x.sees("密码至少10个字符")
	x.keeps("new account", map[string]string{"username": "gz-sup", "role": "supervisor", "region": "广州市"})
	x.check("users_refused")

	x.open("/console/institutions")
	x.fill(map[string]string{"name": "院", "contact_name": "周老师", "contact_phone": "020-38000000", "address": "广州市越秀区东风中路"})
	x.click("form[action='/console/institutions'] button.primary")
	x.sees("机构名称应为2至60个字")
	x.keeps("new institution", map[string]string{"name": "院", "contact_name": "周老师", "contact_phone": "020-38000000"})
	x.check("institutions_refused")

	x.open("/console/occupations")
	x.fill(map[string]string{"occupation": "电工"})
	x.click("form[action='/console/occupations'] button.primary")
	x.sees("职业名称已在列表中")
	x.keeps("occupation", map[string]string{"occupation": "电工"})
	x.fill(map[string]string{"occupation": "无人机驾驶员"})
	x.click("form[action='/console/occupations'] button.primary")
	x.sees("职业名称已加入列表", "无人机驾驶员")
}
