package console_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"skillcert/domain"
	"skillcert/internal/browsertest"
	"skillcert/internal/testenv"
)

// TestConsoleFlow walks the console as an institution's staff would, in a real
// browser: log in → create and publish a plan → issue codes → (candidates
// register through the API) → approve one, return one → export the roster →
// upload a results sheet with a bad row (nothing applied) then a good one. It
// saves screenshots of the main pages under testdata/screens/.
func TestConsoleFlow(t *testing.T) {
	x := newBrowser(t, browsertest.Laptop)
	ctx := x.ctx
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{Demo: true, DemoPlans: 120})
	inst, err := app.DB.GetInstitutionByName(context.Background(), app.DB.R, "广东岭南现代技师学院")
	if err != nil {
		t.Fatal(err)
	}
	app.CreateStaff(t, "lingnan", domain.RoleInstitution, inst.ID, "")
	app.CreateStaff(t, "root", domain.RoleAdmin, 0, "")
	x.base = app.URL

	// Log in.
	x.open("/console/plans")
	x.sees("职业技能等级认定管理后台", "用户名", "密码")
	x.check("login")
	x.fill(map[string]string{"username": "lingnan", "password": testenv.StaffPassword})
	x.click("button[type=submit]")
	x.sees("评价计划", "lingnan", "广东岭南现代技师学院", "新建评价计划", "2501")
	x.check("plans")

	// Create a plan: a bad phone first, then right.
	x.click("a[href='/console/plans/new']")
	today := app.Clock.Now().In(domain.Beijing)
	day := func(n int) string { return today.AddDate(0, 0, n).Format("2006-01-02") }
	x.fill(map[string]string{"plan_no": "2601", "plan_name": "2026年电工（四级/中级工）职业技能等级认定",
		"occupation_name": "电工", "level": "4", "seats_total": "40", "supervision_region": "广东省（省本级）",
		"city": "广州市", "district": "天河区", "address": "龙洞东路实训楼3楼", "reg_start": day(-1),
		"reg_deadline": day(14), "eval_start": day(21), "eval_end": day(21), "contact_name": "林老师",
		"contact_phone": "0208"})
	x.click("form button.primary")
	x.sees("请修改标红的项目后再保存", "联系电话应为11位手机号码或带区号的固定电话")
	x.check("plan_form_errors")
	x.fill(map[string]string{"contact_phone": "020-87000000"})
	x.click("form button.primary")
	x.sees("评价计划已保存为草稿", "草稿", "2601")
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	planID := regexp.MustCompile(`/console/plans/(\d+)`).FindStringSubmatch(loc)[1]
	planPath := "/console/plans/" + planID
	x.click("form[action$='/publish'] button")
	x.sees("评价计划已发布", "已发布", "报名中")
	x.check("plan")

	// Issue codes.
	x.click("a[href$='/codes']")
	x.fill(map[string]string{"count": "3"})
	x.click("form[action$='/codes'] button")
	x.sees("报名码已生成", "共 3 条")
	code, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("table.codes code")))
	if err != nil || !domain.ValidCodeFormat(code) {
		t.Fatalf("code %q: %v", code, err)
	}
	x.check("codes")

	// Candidates register through the API, as the mini-program does.
	const id1, id2 = "11010519491231002X", "440524188001010014"
	reg1 := testenv.Register(t, app, code, testenv.Registrant{Name: "王小明", IDNumber: id1})
	reg2 := testenv.Register(t, app, code, testenv.Registrant{Name: "李大华", IDNumber: id2})

	// Review: approve one, return one.
	x.open(planPath + "/registrations")
	x.sees("王小明", "李大华", "110105********002X", "已提交（待审核）")
	x.check("registrations")
	x.open(fmt.Sprintf("%s/registrations/%d", planPath, reg1))
	x.sees("考生信息", "附件清单", "附件列表", id1, "审核通过", "退回修改")
	x.check("registration")
	x.click("form input[value=approve] ~ button")
	x.sees("已审核通过")
	x.open(fmt.Sprintf("%s/registrations/%d", planPath, reg2))
	x.do(chromedp.Click(chromedp.CSS("input[name=fields][value=employer]")))
	x.fill(map[string]string{"reason": "所在单位与社保证明不一致，请核对"})
	x.click("form input[value=return] ~ p button")
	x.sees("已退回修改", "所在单位与社保证明不一致，请核对")
	x.check("registration_returned")

	// Export the roster and read it.
	x.open(planPath + "/registrations")
	file := x.download("a[href$='roster.xlsx']")
	rows := readXLSX(t, file)
	if strings.Join(rows[0], ",") != "序号,姓名,证件类型,证件号码,性别,出生日期,文化程度,报考依据,从业年限,考生来源,所在单位,劳务关系,手机号码,状态,实名核验,计划编号,职业（工种）,等级,评价时间" ||
		len(rows) != 3 || rows[1][3] != id1 || rows[1][13] != "审核通过" || rows[2][3] != id2 || rows[2][13] != "退回修改" || rows[1][15] != "2601" {
		t.Fatalf("roster: %v", rows)
	}

	// Results (once the evaluation has started): a file with a bad row applies
	// nothing; the corrected one applies.
	todayDate := today.Format("2006-01-02")
	if _, err := app.DB.W.Exec("UPDATE plans SET reg_deadline = ?, eval_start = ?, eval_end = ? WHERE id = ?",
		todayDate, todayDate, todayDate, planID); err != nil {
		t.Fatal(err)
	}
	x.open(planPath + "/results")
	bad := writeFile(t, "bad.csv", "证件号码,姓名,理论,实操\n"+id1+",王小明,合格,88\n"+id2+",李大华,合格,合格\n")
	x.do(chromedp.SetUploadFiles(chromedp.CSS("input[type=file]"), []string{bad}))
	x.click("form[enctype] button")
	x.sees("文件校验未通过", "未导入任何数据", "第 3 行", "只有审核通过的考生可以录入成绩")
	x.check("results_errors")
	var n int
	if err := app.DB.R.Get(&n, "SELECT COUNT(*) FROM exam_results"); err != nil || n != 0 {
		t.Fatalf("%d results applied from a bad file (%v)", n, err)
	}
	good := writeFile(t, "good.csv", "证件号码,姓名,理论,实操,证书进度\n"+id1+",王小明,合格,88,成绩公示\n")
	x.do(chromedp.SetUploadFiles(chromedp.CSS("input[type=file]"), []string{good}))
	x.click("form[enctype] button")
	// The import runs as a job: its page refreshes itself until it is done.
	for i := 0; !strings.Contains(x.text(), "导入完成"); i++ {
		if i == 100 {
			t.Fatalf("the import job did not finish:\n%s", x.text())
		}
		time.Sleep(100 * time.Millisecond)
	}
	x.do(chromedp.WaitVisible(chromedp.CSS("main")))
	x.sees("成绩导入", "已写入 1 / 1 人", "导入完成：共更新 1 人")
	x.click("a.btn[href$='/results']")
	x.sees("88分（合格）", "成绩公示")
	x.check("results")

	// The admin sees every action in the audit log.
	x.click("header form button")
	x.sees("已退出登录")
	x.fill(map[string]string{"username": "root", "password": testenv.StaffPassword})
	x.click("button[type=submit]")
	x.open("/console/audit")
	x.sees("审计日志", "导出花名册", "导入成绩与证书进度", "审核报名", "生成报名码", "发布评价计划", "lingnan")
	x.check("audit")
	x.open("/console/users")
	x.check("users")
}

// readXLSX reads the first sheet of a downloaded workbook.
func readXLSX(t *testing.T, file string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatalf("open the roster: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// writeFile writes a test file and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
