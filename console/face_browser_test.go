package console_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"skillcert/domain"
	"skillcert/internal/browsertest"
	"skillcert/internal/testenv"
	"skillcert/wechat/fake"
)

// TestConsoleVerificationInBrowser: an institution sees 已核验/未核验 on the
// registration rows and switches its plan to "verified identities only", in a
// real browser; screenshots under testdata/screens/.
func TestConsoleVerificationInBrowser(t *testing.T) {
	x := newBrowser(t, browsertest.Laptop)
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{Demo: true, DemoPlans: 20})
	inst, err := app.DB.GetInstitutionByName(context.Background(), app.DB.R, "广东岭南现代技师学院")
	if err != nil {
		t.Fatal(err)
	}
	app.CreateStaff(t, "lingnan2", domain.RoleInstitution, inst.ID, "")
	testenv.Register(t, app, "RGZN25GD", testenv.Registrant{Name: "王小明"})
	// A candidate who verifies by face, then registers.
	c := testenv.SignInWithIdentity(t, app, "李大华", "01", testenv.RandomIDNumber(""))
	res := c.Do(t, http.MethodPost, "/api/v1/me/face-verification", nil)
	var fs struct {
		VerifyID string `json:"verify_id"`
	}
	res.JSON(t, &fs)
	testenv.WeChat(t).SetFaceResult(fs.VerifyID, fake.FacePass)
	if res := c.Do(t, http.MethodPost, "/api/v1/me/face-verification/result", map[string]string{"verify_id": fs.VerifyID}); res.Status != http.StatusOK {
		t.Fatalf("verify: %d %s", res.Status, res.Body)
	}
	var planID int64
	if err := app.DB.R.Get(&planID, "SELECT id FROM plans WHERE plan_no = '2501'"); err != nil {
		t.Fatal(err)
	}

	x.base = app.URL
	x.open("/console/plans")
	x.fill(map[string]string{"username": "lingnan2", "password": testenv.StaffPassword})
	x.click("button[type=submit]")
	x.open(fmt.Sprintf("/console/plans/%d/registrations", planID))
	x.sees("实名核验", "王小明", "未核验")
	x.screenshot("verify_registrations")
	x.open(fmt.Sprintf("/console/plans/%d", planID))
	x.sees("实名核验", "未开启")
	x.click("form[action$='/require-verified'] button")
	x.sees("考生须完成实名核验（人脸核验）后方可提交报名", "已开启", "取消实名核验要求")
	x.screenshot("verify_plan_setting")
}
