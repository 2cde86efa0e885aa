package chatbot

import (
	"fmt"

	"skillcert/core"
	"skillcert/domain"
)

// maxListed is how many registrations a status reply lists.
const maxListed = 8

// records lists the candidate's registrations with their statuses (报名记录).
func (t *turn) records() error {
	if !t.requireCandidate() {
		return nil
	}
	page, err := t.core.ListRegistrations(t.ctx, t.cand, core.ListQuery{PageSize: maxListed})
	if err != nil {
		return t.fail(err)
	}
	if page.Total == 0 {
		t.out.line("您还没有报名记录。发送“报名”并输入报名码即可报名。")
		return nil
	}
	t.out.linef("您的报名记录（共%d条）：", page.Total)
	for i, r := range page.Items {
		t.out.linef("%d. %s", i+1, planLine(r.Plan))
		t.out.linef("   状态：%s", r.StatusName)
		switch {
		case r.SubmittedAt != nil:
			t.out.linef("   提交时间：%s", domain.FormatCNTime(*r.SubmittedAt))
		case r.Editable:
			t.out.linef("   报名截止：%s（草稿须提交才有效）", r.Plan.RegDeadline)
		}
		if r.ReviewNote != "" {
			t.out.linef("   审核意见：%s", r.ReviewNote)
		}
	}
	if page.Total > len(page.Items) {
		t.out.linef("仅显示最近%d条。", len(page.Items))
	}
	t.out.line(t.miniLink(pageRecords, "查看报名详情", "报名记录"))
	return nil
}

// progress shows certificate progress (证书进度) from the registrations'
// certificate stage and number and their exam results.
func (t *turn) progress() error {
	if !t.requireCandidate() {
		return nil
	}
	db := t.core.DB()
	rows, err := db.OACertProgress(t.ctx, t.cand, maxListed)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		t.out.line("暂无证书进度：报名审核通过并参加评价后，可在这里查询成绩和证书进度。发送“记录”可查看报名状态。")
		return nil
	}
	results, err := db.OAExamResults(t.ctx, t.cand)
	if err != nil {
		return err
	}
	t.out.line("您的证书进度：")
	for i, r := range rows {
		name := r.OccupationName
		if r.WorkType != "" && r.WorkType != "无" {
			name += "（" + r.WorkType + "）"
		}
		t.out.linef("%d. %s %s %s", i+1, r.PlanNo, name, domain.Level(r.Level).Name())
		for _, x := range results {
			if x.RegistrationID == r.RegistrationID {
				t.out.linef("   %s：%s", domain.Subject(x.Subject).Name(), domain.Result(x.Result).Name())
			}
		}
		t.out.linef("   进度：%s", stageText(r.CertStage))
		if r.CertNo != "" {
			t.out.linef("   证书编号：%s", r.CertNo)
		}
		if domain.CertStage(r.CertStage).Position() >= domain.StageReportedNational.Position() {
			t.out.line("   已上报全国联网，可在技能人才评价证书全国联网查询中查到。")
		}
	}
	t.out.line(t.miniLink(pageCertificates, "查看证书进度详情", "证书进度"))
	return nil
}

// stageText names a certificate stage; no stage yet means waiting for results.
func stageText(stage string) string {
	if name := domain.CertStage(stage).Name(); name != "" {
		return fmt.Sprintf("%s（第%d步，共7步）", name, domain.CertStage(stage).Position())
	}
	return "等待成绩录入"
}
