package chatbot_test

import (
	"context"
	"testing"

	"skillcert/core"
	"skillcert/demo"
	"skillcert/domain"
	"skillcert/internal/testenv"
)

// 准考证 in the chat: nothing before publication, then the ticket number with
// each session's time, venue, room and seat, and never the full ID number.
func TestChatTicket(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := startApp(t, dsn, nil)
		ctx := context.Background()
		f := newFollower(t, app, false)
		number := testenv.RandomIDNumber("01")
		f.secrets = append(f.secrets, number)
		regID := testenv.Register(t, app, demo.Code, testenv.Registrant{Name: "王小明", IDNumber: number})
		var openID string
		if err := app.DB.R.Get(&openID, "SELECT c.openid FROM candidates c JOIN registrations r ON r.candidate_id = c.id WHERE r.id = ?", regID); err != nil {
			t.Fatal(err)
		}
		c := testenv.SignInAs(t, app, openID)
		f.expect("绑定 "+bindCode(t, c), "关联成功")
		f.expect("准考证", "暂无已发放的准考证")

		p, err := app.DB.GetPlanByNo(ctx, app.DB.R, demo.PlanNo)
		if err != nil {
			t.Fatal(err)
		}
		st := app.CreateStaff(t, "inst-chat", domain.RoleInstitution, p.InstitutionID, "")
		if err := app.Core.ReviewRegistration(ctx, &st, p.ID, regID, core.ReviewDecision{Action: domain.ActionApprove}); err != nil {
			t.Fatal(err)
		}
		f.expect("准考证", "准考证尚未发放")
		app.PublishTickets(t, &st, p.ID, p.EvalStart)
		f.expect("准考证", "准考证号："+domain.TicketNo(p.PlanNo, 1), "理论 "+p.EvalStart+" 09:00–10:30",
			"广州市天河区龙洞东路1号 第3考场 1号", "居民身份证")
	})
}
