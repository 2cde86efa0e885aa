package console_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"skillcert/domain"
	"skillcert/internal/browsertest"
	"skillcert/internal/testenv"
)

// TestInboxInBrowser (issue 15 point 9): the institution's 待审核 inbox, the
// 材料齐全 column and the download buttons, at laptop and phone sizes, with
// axe-core; a decision taken from the inbox (after its confirmation) opens the
// next entry. Screenshots under testdata/screens/.
func TestInboxInBrowser(t *testing.T) {
	for _, size := range []browsertest.Size{browsertest.Laptop, browsertest.Phone} {
		t.Run(size.String(), func(t *testing.T) {
			x := newBrowser(t, size)
			app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{Demo: true, DemoPlans: 20})
			inst, err := app.DB.GetInstitutionByName(context.Background(), app.DB.R, "广东岭南现代技师学院")
			if err != nil {
				t.Fatal(err)
			}
			app.CreateStaff(t, "lingnan2", domain.RoleInstitution, inst.ID, "")
			first := testenv.Register(t, app, "RGZN25GD", testenv.Registrant{Name: "王小明"})
			second := testenv.Register(t, app, "RGZN25GD", testenv.Registrant{Name: "李大华"})
			if _, err := app.DB.W.Exec("DELETE FROM attachments WHERE registration_id = ? AND item_key = 'diploma'", second); err != nil {
				t.Fatal(err)
			}
			var planID int64
			if err := app.DB.R.Get(&planID, "SELECT plan_id FROM registrations WHERE id = ?", first); err != nil {
				t.Fatal(err)
			}

			x.base = app.URL
			x.open("/console/plans")
			x.fill(map[string]string{"username": "lingnan2", "password": testenv.StaffPassword})
			x.click("button[type=submit]")
			x.open("/console/inbox")
			x.sees("待审核", "王小明", "李大华", "材料齐全", "齐全", "缺材料")
			x.check("inbox")

			x.open(fmt.Sprintf("/console/plans/%d/registrations", planID))
			x.sees("材料齐全", "缺材料", "下载全部附件")
			x.check("registrations_complete")
			x.open(fmt.Sprintf("/console/plans/%d/codes", planID))
			x.sees("导出报名码（Excel）", "打印报名码")
			x.check("codes_export")
			x.open(fmt.Sprintf("/console/plans/%d/results", planID))
			x.sees("下载成绩导入模板")
			x.check("results_template")

			// From the inbox: open the oldest, approve it (the confirmation is
			// accepted), and the next one opens.
			x.open("/console/inbox")
			x.click(fmt.Sprintf("a[href$='/registrations/%d?from=inbox']", first))
			x.sees("王小明")
			x.do(chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`))
			x.click("form[data-confirm^='确认审核通过'] button[type=submit]")
			x.sees("已审核通过。以下是下一条待审核的报名", "李大华")
			x.check("inbox_next")
		})
	}
}
