package chatbot

import (
	"fmt"
	"strings"

	"skillcert/core"
	"skillcert/domain"
)

// startRegistration begins 报名: asks for the code, or takes the one given.
func (t *turn) startRegistration(code string) error {
	if err := t.ensureCandidate(); err != nil {
		return err
	}
	t.setStep(stepCode)
	if code != "" {
		return t.onCode(code)
	}
	t.out.line(textAskCode)
	return nil
}

// onCode checks a typed code through core (the same guess limit as the API) and
// shows the plan confirmation (评价计划确认).
func (t *turn) onCode(input string) error {
	lookup, err := t.core.LookupCode(t.ctx, core.CodeRequest{CandidateID: t.cand, Code: input})
	if err != nil {
		de, ok := domain.AsError(err)
		if ok && (de.Kind == domain.KindInvalid || de.Kind == domain.KindNotFound) {
			t.out.line(sentence(de.Message) + "请重新回复8位报名码，或回复“取消”退出。")
			return nil
		}
		t.setStep(stepIdle)
		return t.fail(err)
	}
	t.showPlan(lookup.Plan)
	if r := lookup.Registration; r != nil && !lookup.CanRegisterAgain {
		return t.existing(r)
	}
	if lookup.CanRegisterAgain {
		t.conv = conv{Step: stepConfirm, Code: domain.NormalizeCode(input)}
		t.out.blank()
		t.out.line("您在该评价计划的报名已撤销，可重新报名：之前填写的信息和附件会保留，需重新确认本人承诺后提交。")
		t.out.line("回复 1 重新报名，回复 0 取消。")
		return nil
	}
	t.conv = conv{Step: stepConfirm, Code: domain.NormalizeCode(input)}
	t.out.blank()
	t.out.line("回复 1 确认报名，回复 0 取消。")
	return nil
}

// existing handles a code of a plan the candidate registered for already.
func (t *turn) existing(r *core.RegistrationView) error {
	t.out.blank()
	t.out.linef("您已报名该评价计划，当前状态：%s。", r.StatusName)
	if r.ReviewNote != "" {
		t.out.linef("审核意见：%s", r.ReviewNote)
	}
	if !r.Editable {
		t.setStep(stepIdle)
		t.out.line("发送“记录”可查看报名记录。")
		return nil
	}
	t.conv = conv{Step: stepConfirm, RegID: r.ID}
	t.out.line("回复 1 继续填写，回复 0 取消。")
	return nil
}

// showPlan writes the fields of the seed's step 4 with the seats left and the
// deadline.
func (t *turn) showPlan(p core.PlanView) {
	t.out.line("请确认评价计划：")
	t.out.linef("评价计划编号：%s", p.PlanNo)
	t.out.linef("评价机构名称：%s", p.InstitutionName)
	t.out.linef("职业名称：%s", p.OccupationName)
	t.out.linef("工种名称：%s", p.WorkType)
	t.out.linef("评价等级：%s", p.LevelName)
	t.out.linef("最大允许报名人数：%d（剩余名额：%d）", p.SeatsTotal, p.SeatsLeft)
	t.out.linef("评价开始日期：%s", p.EvalStart)
	t.out.linef("评价结束日期：%s", p.EvalEnd)
	t.out.linef("报名截止日期：%s（当日24:00截止）", p.RegDeadline)
	t.out.linef("评价业务联系人：%s", orNone(p.ContactName))
	t.out.linef("联系电话：%s", orNone(p.ContactPhone))
	t.out.allowNumber(p.ContactPhone)
	t.out.linef("业务监管地：%s", p.SupervisionRegion)
	t.out.linef("报名状态：%s", p.StatusName)
}

// onConfirm takes 1 (确认: the draft is made through core, or the existing one is
// continued) or 0 (取消).
func (t *turn) onConfirm(input string) error {
	switch input {
	case "1", "确认", "继续":
	case "0":
		t.setStep(stepIdle)
		t.out.line("已取消。")
		return nil
	default:
		t.out.line("请回复 1 确认报名，或回复 0 取消。")
		return nil
	}
	id := t.conv.RegID
	if id == 0 {
		v, _, err := t.core.CreateDraft(t.ctx, core.CodeRequest{CandidateID: t.cand, Code: t.conv.Code})
		if de, ok := domain.AsError(err); ok && de.Code == "identity_required" {
			t.needIdentity() // the conversation waits at the confirmation
			return nil
		}
		if err != nil {
			t.setStep(stepIdle)
			return t.fail(err)
		}
		if !v.Editable {
			t.setStep(stepIdle)
			t.out.linef("您已报名该评价计划，当前状态：%s。发送“记录”可查看。", v.StatusName)
			return nil
		}
		id = v.ID
		t.out.line("已创建报名草稿（未提交，草稿不占名额）。接下来逐项填写报名信息。" + textExitHint)
		t.out.blank()
	}
	t.conv = conv{Step: stepForm, RegID: id}
	return t.restartForm()
}

// sentence ends s with a full stop unless it ends with punctuation already.
func sentence(s string) string {
	for _, p := range []string{"。", "！", "？", "）", "!", "?"} {
		if strings.HasSuffix(s, p) {
			return s
		}
	}
	return s + "。"
}

func orNone(s string) string {
	if s == "" {
		return "无"
	}
	return s
}

// planLine is a plan in one line: number, occupation, work type and level.
func planLine(p core.PlanView) string {
	s := fmt.Sprintf("%s %s", p.PlanNo, p.OccupationName)
	if p.WorkType != "" && p.WorkType != "无" {
		s += "（" + p.WorkType + "）"
	}
	return s + " " + p.LevelName
}
