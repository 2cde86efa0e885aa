package chatbot

import (
	"fmt"

	"skillcert/core"
	"skillcert/domain"
)

// pageTicket is the mini-program's admission ticket page.
const pageTicket = "pages/ticket/ticket?id=%d"

// tickets answers 准考证: the published tickets of the candidate's approved
// registrations, each with its sessions (time, venue, room, seat), through
// core's Ticket, the same view as the API and the mini-program. The QR code is
// in the mini-program only.
func (t *turn) tickets() error {
	if ok, err := t.requireCandidate(); !ok || err != nil {
		return err
	}
	page, err := t.core.ListRegistrations(t.ctx, t.cand, core.ListQuery{PageSize: 50})
	if err != nil {
		return t.fail(err)
	}
	shown, pending := 0, 0
	for _, r := range page.Items {
		if r.Status != string(domain.StatusApproved) {
			continue
		}
		v, err := t.core.GetTicket(t.ctx, t.cand, r.ID)
		if de, ok := domain.AsError(err); ok && de.Kind == domain.KindNotFound {
			t.out.linef("%s：准考证尚未发放，发放后会通知您。", planLine(r.Plan))
			pending++
			continue
		}
		if err != nil {
			return t.fail(err)
		}
		shown++
		t.out.linef("准考证号：%s", v.TicketNo)
		t.out.linef("%s %s（%s）", v.Name, v.Plan.OccupationName, v.Plan.LevelName)
		for _, s := range v.Sessions {
			t.out.linef("· %s %s %s–%s", s.SubjectName, s.Date, s.Start, s.End)
			t.out.linef("  %s %s %d号", s.Venue, s.Room, s.SeatNo)
		}
		t.out.linef("请携带报名时使用的%s原件和准考证，于开考前30分钟到达考点签到。", v.IDTypeName)
		t.out.line(t.webLink(core.HandoverTicket, v.RegistrationID, "打开准考证（含签到二维码）", fmt.Sprintf(pageTicket, v.RegistrationID), "报名记录"))
	}
	if shown == 0 && len(page.Items) == 0 {
		t.out.line("您还没有报名记录。发送“报名”并输入报名码即可报名。")
	} else if shown == 0 && pending == 0 {
		t.out.line("暂无已发放的准考证：报名审核通过、评价机构发布准考证后即可查看。")
	}
	return nil
}
