package chatbot

import (
	"fmt"
	"html"
	"strings"

	"skillcert/core"
)

// Hand-over to the web (issue 23): what a message cannot do — binding the
// identity with the privacy consent, uploading attachments, the certificate
// timeline, the admission ticket with its QR code — the chat answers with a
// link to that step's web page (core's signed, short-lived hand-over token).
// Opened in WeChat, the page signs the follower in silently (web
// authorization) and lands on the step; it then offers "返回公众号继续", and the
// next message here reads what was done there from core (the conversation
// keeps only where it stopped, never a copy of the registration).

// webURL is the hand-over link of a step for the follower's candidate; "" when
// the chat does not know where the web pages are.
func (t *turn) webURL(step core.HandoverStep, regID int64) string {
	base := t.cfg.WebBaseURL
	if base == "" {
		base = t.msg.Origin
	}
	if base == "" || t.cand == 0 {
		return ""
	}
	return strings.TrimRight(base, "/") + "/web/h/" + t.core.IssueHandoverToken(t.cand, step, regID)
}

// webLink is a text-message link to a step's web page; without one, the
// mini-program page named by path and words (miniLink).
func (t *turn) webLink(step core.HandoverStep, regID int64, label, path, words string) string {
	u := t.webURL(step, regID)
	if u == "" {
		return t.miniLink(path, label, words)
	}
	return fmt.Sprintf(`<a href="%s">%s</a>`, html.EscapeString(u), label)
}

// textBackHint ends every hand-over: how the conversation goes on.
const textBackHint = "在网页办理完成后，点页面上的“返回公众号继续”，再发送“继续”，接着刚才的步骤办理。"

// needIdentity hands the identity over to the web: a registration needs the
// candidate's name and ID number, given with the privacy consent — which a chat
// message cannot show and should not carry. The conversation waits at the
// plan's confirmation for "继续".
func (t *turn) needIdentity() {
	t.conv.Wait = waitIdentity
	t.out.line("报名前需要绑定本人身份信息（姓名和证件号码），并阅读同意《个人信息保护说明》。为保护您的个人信息，请在网页中填写，不要在对话中发送证件号码：")
	t.out.line(t.webLink(core.HandoverIdentity, 0, "点此绑定身份信息", "pages/mine/mine", "我的"))
	t.out.line(textBackHint)
}

// identityBound tells whether the candidate has bound an identity (on the web,
// in the mini-program, anywhere).
func (t *turn) identityBound() (bool, error) {
	me, err := t.core.GetMe(t.ctx, t.cand)
	if err != nil {
		return false, err
	}
	return me.HasIdentity, nil
}

// resume goes on where the conversation stopped ("继续", or any answer while
// it waits for the web), reading from core what was done meanwhile — on the
// web, in the mini-program — rather than trusting what the conversation
// remembers.
func (t *turn) resume() error {
	switch t.conv.Step {
	case stepIdle:
		return t.resumeDraft()
	case stepCode:
		t.out.line(textAskCode)
		return nil
	case stepConfirm:
		if t.conv.Wait != waitIdentity {
			t.out.line("请回复 1 确认报名，或回复 0 取消。")
			return nil
		}
		bound, err := t.identityBound()
		if err != nil {
			return err
		}
		if !bound {
			t.out.line("还没有收到您的身份信息。")
			t.needIdentity()
			return nil
		}
		t.conv.Wait = ""
		t.out.line("已收到您在网页绑定的身份信息，继续报名。")
		return t.onConfirm("1")
	case stepForm:
		v, ok, err := t.editable()
		if !ok || err != nil {
			return err
		}
		t.ask(fieldByName(t.conv.Field), v)
		return nil
	case stepSummary:
		v, ok, err := t.editable()
		if !ok || err != nil {
			return err
		}
		t.out.line("已读取最新的报名情况（包括在网页上传的附件）：")
		return t.summary(v)
	}
	t.out.line(textMenu)
	return nil
}

// resumeDraft picks up the candidate's newest registration still to finish
// (the conversation ended, e.g. after 30 minutes on the web): its summary.
func (t *turn) resumeDraft() error {
	if err := t.resolve(); err != nil {
		return err
	}
	if t.cand != 0 {
		page, err := t.core.ListRegistrations(t.ctx, t.cand, core.ListQuery{PageSize: maxListed})
		if err != nil {
			return t.fail(err)
		}
		for _, r := range page.Items {
			if r.Editable {
				t.conv = conv{Step: stepSummary, RegID: r.ID}
				v, ok, err := t.editable()
				if !ok || err != nil {
					return err
				}
				t.out.line("继续您未完成的报名：")
				return t.summary(v)
			}
		}
	}
	t.out.line(textNothingToCancel)
	t.out.line(textMenu)
	return nil
}
