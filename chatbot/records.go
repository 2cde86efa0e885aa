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
	if ok, err := t.requireCandidate(); !ok || err != nil {
		return err
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
		if r.SubmittedAt != nil && r.Status != string(domain.StatusDraft) {
			t.out.linef("   提交时间：%s", domain.FormatCNTime(*r.SubmittedAt))
		}
		if r.ReviewNote != "" {
			t.out.linef("   审核意见：%s", r.ReviewNote)
		}
		if r.Due != "" { // what is due, from core: the same text the mini-program shows
			t.out.linef("   ⚠ %s", r.Due)
		}
	}
	if page.Total > len(page.Items) {
		t.out.linef("仅显示最近%d条。", len(page.Items))
	}
	t.out.line(t.webLink(core.HandoverRecords, 0, "查看报名详情", pageRecords, "报名记录"))
	return nil
}

// progress shows certificate progress (证书进度) through core's certificate
// queries, the same as the mini-program's page: results, the stage reached, the
// certificate number and the national query.
func (t *turn) progress() error {
	if ok, err := t.requireCandidate(); !ok || err != nil {
		return err
	}
	certs, err := t.core.ListCertificates(t.ctx, t.cand)
	if err != nil {
		return t.fail(err)
	}
	if len(certs) == 0 {
		t.out.line("暂无证书进度：参加评价后，可在这里查询成绩和证书进度。发送“记录”可查看报名状态。")
		return nil
	}
	t.out.line("您的证书进度：")
	for i, c := range certs {
		if i == maxListed {
			t.out.linef("仅显示最近%d条。", maxListed)
			break
		}
		t.out.linef("%d. %s", i+1, planLine(c.Plan))
		for _, r := range c.Results {
			t.out.linef("   %s：%s", r.SubjectName, r.ResultName)
		}
		t.out.linef("   进度：%s", stageText(c.Stage, c.StageName))
		if c.CertNo != "" {
			t.out.linef("   证书编号：%s", c.CertNo)
		}
		if c.NationalQueryHint != "" {
			t.out.linef("   %s", c.NationalQueryHint)
		}
	}
	t.out.line(t.webLink(core.HandoverCertificates, 0, "查看证书进度时间轴", pageCertificates, "证书进度"))
	return nil
}

// stageText names the stage reached, with its place among the seven steps;
// none yet means waiting for the results.
func stageText(stage, name string) string {
	if name == "" {
		return "等待成绩录入"
	}
	return fmt.Sprintf("%s（第%d步，共7步）", name, domain.CertStage(stage).Position())
}
