package chatbot

import (
	"fmt"
	"strings"

	"skillcert/core"
	"skillcert/domain"
)

// summary shows the whole form, what is still missing and how to upload the
// attachments, and waits for 提交.
func (t *turn) summary(v *core.RegistrationView) error {
	list, err := t.core.GetChecklist(t.ctx, t.cand, v.ID)
	if err != nil {
		t.setStep(stepIdle)
		return t.fail(err)
	}
	t.conv = conv{Step: stepSummary, RegID: v.ID}
	opts := t.core.Options()
	t.out.blank()
	t.out.linef("报名信息汇总（%s）：", v.StatusName)
	t.out.linef("评价计划：%s", planLine(v.Plan))
	t.out.linef("姓名：%s　证件号码：%s", v.Identity.Name, v.Identity.IDNumberMasked)
	var missing []string
	for _, f := range formFields {
		cur := f.current(v, opts)
		if cur == "" {
			missing = append(missing, f.label())
			cur = "（未填写）"
		}
		t.out.linef("%s：%s", f.label(), cur)
	}
	for _, w := range v.Warnings {
		t.out.linef("提示：%s", w.Message)
	}
	t.attachments(v.ID, list.Items)
	t.out.blank()
	if len(missing) > 0 {
		t.out.linef("尚未填写：%s。回复“修改”逐项填写。", strings.Join(missing, "、"))
	}
	t.out.line("回复“提交”提交报名，回复“修改”重新填写，回复“取消”退出（草稿已保存）。")
	return nil
}

// attachments lists the checklist and links to the form page where they are
// uploaded: files cannot be sent through the chat.
func (t *turn) attachments(id int64, items []core.ChecklistEntry) {
	t.out.line("附件（聊天中无法发送文件，请点下面的链接上传）：")
	for _, it := range items {
		need := "建议上传"
		if it.Required {
			need = "必传"
		}
		state := "未上传"
		if it.Satisfied {
			state = "已上传"
		}
		t.out.linef("· %s：%s，%s", it.Name, need, state)
	}
	t.out.line(t.webLink(core.HandoverAttachments, id, "点此上传附件", fmt.Sprintf(pageForm, id), "报名记录"))
	t.out.line(textBackHint)
}

// submit submits through core.SubmitRegistration, the API's own call: the same checks, the
// same seat guarantee.
func (t *turn) submit() error {
	v, err := t.core.SubmitRegistration(t.ctx, core.SubmitRequest{CandidateID: t.cand, RegistrationID: t.conv.RegID})
	if err == nil {
		t.setStep(stepIdle)
		t.out.linef("报名已提交！评价计划：%s", planLine(v.Plan))
		t.out.linef("当前状态：%s。审核结果会通过消息通知您，也可发送“记录”查看。", v.StatusName)
		return nil
	}
	de, ok := domain.AsError(err)
	if ok && de.Code == "incomplete" {
		t.out.line(sentence(de.Message))
		if m, isMissing := de.Details["missing"].(core.Missing); isMissing && len(m.Items) > 0 {
			t.out.line(t.webLink(core.HandoverAttachments, t.conv.RegID, "点此上传附件", fmt.Sprintf(pageForm, t.conv.RegID), "报名记录"))
			t.out.line("上传后返回公众号，回复“提交”。")
		}
		if len(de.Fields) > 0 {
			t.out.line("回复“修改”补填报名信息。")
		}
		return nil
	}
	if ok && de.Kind == domain.KindUnavailable { // busy: the summary stays, 提交 again later
		t.out.line(sentence(de.Message))
		t.out.linef("请过%d秒左右再回复“提交”。", max(1, int(de.RetryAfter.Seconds()+0.5)))
		return nil
	}
	t.setStep(stepIdle)
	return t.fail(err)
}
