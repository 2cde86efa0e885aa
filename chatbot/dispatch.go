package chatbot

import (
	"skillcert/core"
	"skillcert/domain"
)

// text answers a text message: a command, else an answer to the step the
// conversation is at, else the menu.
func (t *turn) text(raw string) error {
	c, found, stale, err := t.store.load(t.ctx, t.msg.OpenID, t.now)
	if err != nil {
		return err
	}
	t.conv, t.found = c, found
	if stale {
		if c.Step != stepIdle {
			t.out.line(textStale)
			t.out.blank()
		}
		t.setStep(stepIdle)
	}
	if t.conv.Step != stepIdle { // every step works on the candidate's registration
		if err := t.resolve(); err != nil {
			return err
		}
	}
	input := normalize(raw)
	if t.msg.Voice {
		input = spoken(input)
	}
	if err := t.dispatch(input, raw); err != nil {
		return err
	}
	return t.persist()
}

func (t *turn) dispatch(input, raw string) error {
	if t.conv.Step == stepIdle && verifyWords[input] {
		if err := t.resolve(); err != nil {
			return err
		}
		return t.verifyHelp()
	}
	if cmd, ok := parseCommand(input); ok && t.commandApplies(cmd) {
		return t.command(cmd)
	}
	if t.conv.Wait == waitIdentity { // back from the web, whatever the words
		return t.resume()
	}
	switch t.conv.Step {
	case stepCode:
		return t.onCode(input)
	case stepConfirm:
		return t.onConfirm(input)
	case stepForm:
		return t.onField(input, raw)
	case stepSummary:
		t.out.line("请回复“提交”提交报名，回复“修改”重新填写，回复“继续”查看最新的附件情况，或回复“取消”退出（草稿已保存）。")
		return nil
	}
	if code, ok := core.NormalizeOABindCode(input); ok {
		return t.bind(code)
	}
	if domain.ValidCodeFormat(domain.NormalizeCode(input)) { // a registration code sent on its own
		return t.startRegistration(input)
	}
	t.out.line(textMenu)
	return nil
}

// commandApplies tells whether a command word is a command at this step: while
// a free-text field is asked, only help and cancel are (an employer may well be
// called "查询…").
func (t *turn) commandApplies(c command) bool {
	if t.conv.Step == stepForm && fieldByName(t.conv.Field).kind == kindText {
		return c.kind == cmdHelp || c.kind == cmdCancel || c.kind == cmdContinue
	}
	return true
}

func (t *turn) command(c command) error {
	if c.exits() && t.conv.Step != stepIdle {
		t.setStep(stepIdle)
	}
	switch c.kind {
	case cmdRegister:
		return t.startRegistration(c.arg)
	case cmdRecords:
		return t.records()
	case cmdProgress:
		return t.progress()
	case cmdTicket:
		return t.tickets()
	case cmdSearch:
		return t.search(c.arg)
	case cmdBind:
		if c.arg == "" {
			t.out.line(textBindHelp)
			return nil
		}
		return t.bind(c.arg)
	case cmdCancel:
		if t.conv.Step == stepIdle {
			t.out.line(textNothingToCancel)
			t.out.line(textMenu)
			return nil
		}
		draft := t.conv.RegID != 0
		t.setStep(stepIdle)
		if draft {
			t.out.line(textCancelled)
		} else {
			t.out.line("已退出报名。发送“报名”可重新开始。")
		}
		return nil
	case cmdContinue:
		return t.resume()
	case cmdSubmit, cmdEdit:
		if t.conv.Step == stepSummary {
			if c.kind == cmdSubmit {
				return t.submit()
			}
			return t.restartForm()
		}
		t.out.line("当前没有待提交的报名。发送“报名”并输入报名码开始。")
		return nil
	}
	t.out.line(textMenu)
	if t.conv.Step != stepIdle {
		t.out.blank()
		t.out.line("（您的报名还在进行中，请继续回复当前问题。）")
	}
	return nil
}
