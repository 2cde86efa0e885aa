package chatbot

import (
	"strings"

	"skillcert/core"
	"skillcert/domain"
)

// restartForm asks the form from its first question (报考依据).
func (t *turn) restartForm() error {
	v, ok, err := t.editable()
	if !ok || err != nil {
		return err
	}
	t.conv = conv{Step: stepForm, RegID: v.ID, Field: domain.FieldBasis}
	t.ask(fieldByName(domain.FieldBasis), v)
	return nil
}

// editable reads the registration being filled in; ok is false (and the
// conversation ends, with the reason in the reply) when it cannot be edited.
func (t *turn) editable() (*core.RegistrationView, bool, error) {
	v, err := t.core.GetRegistration(t.ctx, t.cand, t.conv.RegID)
	if err != nil {
		t.setStep(stepIdle)
		return nil, false, t.fail(err)
	}
	if !v.Editable {
		t.setStep(stepIdle)
		t.out.linef("该报名当前状态为“%s”，不能修改。发送“记录”可查看。", v.StatusName)
		return nil, false, nil
	}
	return v, true, nil
}

// onField takes the answer to the field asked, saves it through core and asks
// the next one; an answer core refuses is asked again with the reason.
func (t *turn) onField(input, raw string) error {
	v, ok, err := t.editable()
	if !ok || err != nil {
		return err
	}
	f := fieldByName(t.conv.Field)
	if f.name == "" {
		return t.restartForm()
	}
	opts := t.core.Options()
	if input == "保留" {
		if f.current(v, opts) != "" {
			return t.next(f, v)
		}
		t.out.line("该项还没有填写。")
		t.ask(f, v)
		return nil
	}
	patch, reason := f.patch(input, raw, opts)
	if reason != "" {
		t.out.line(reason)
		t.ask(f, v)
		return nil
	}
	saved, err := t.core.SaveForm(t.ctx, core.SaveFormRequest{CandidateID: t.cand, RegistrationID: v.ID, Patch: patch})
	if de, isDomain := domain.AsError(err); isDomain && de.Kind == domain.KindInvalid && saved != nil {
		t.out.line(sentence(fieldMessage(de, f.name)))
		t.ask(f, saved)
		return nil
	}
	if err != nil {
		t.setStep(stepIdle)
		return t.fail(err)
	}
	t.out.linef("已保存 %s：%s", f.label(), f.current(saved, opts))
	switch f.name {
	case domain.FieldBasis:
		t.filledByBasis(saved)
	case domain.FieldEmployer:
		for _, w := range saved.Warnings {
			t.out.linef("提示：%s（不影响提交；如有自证材料请在小程序上传）", w.Message)
		}
	}
	return t.next(f, saved)
}

// fieldMessage is the message of the refusal of a field.
func fieldMessage(de *domain.Error, name string) string {
	for _, fe := range de.Fields {
		if fe.Field == name {
			return fe.Message
		}
	}
	return de.Message
}

// filledByBasis says which fields the chosen basis filled in.
func (t *turn) filledByBasis(v *core.RegistrationView) {
	if len(v.LockedFields) == 0 {
		return
	}
	parts := make([]string, 0, len(v.LockedFields))
	for _, name := range v.LockedFields {
		f := fieldByName(name)
		parts = append(parts, f.label()+" "+f.current(v, t.core.Options()))
	}
	t.out.linef("已按“%s”自动填写：%s。", v.BasisName, strings.Join(parts, "、"))
}

// next asks the first free field after f, or shows the summary after the last.
func (t *turn) next(f field, v *core.RegistrationView) error {
	after := false
	for _, g := range formFields {
		if g.name == f.name {
			after = true
			continue
		}
		if !after {
			continue
		}
		for _, free := range freeFields(v) {
			if free.name == g.name {
				t.conv.Field = g.name
				t.ask(g, v)
				return nil
			}
		}
	}
	return t.summary(v)
}

// ask writes the question of a field: its place in the form, the current
// value, the options and what to answer.
func (t *turn) ask(f field, v *core.RegistrationView) {
	opts := t.core.Options()
	free := freeFields(v)
	pos := 0
	for i, g := range free {
		if g.name == f.name {
			pos = i + 1
		}
	}
	t.out.blank()
	if v.Basis != "" {
		t.out.linef("【第%d/%d项】%s", pos, len(free), f.label())
	} else {
		t.out.linef("【第%d项】%s", pos, f.label())
	}
	cur := f.current(v, opts)
	if cur != "" {
		t.out.linef("当前：%s", cur)
	}
	if f.kind == kindChoice {
		for i, o := range f.options(opts) {
			t.out.linef("%d %s", i+1, o.Name)
		}
	}
	t.out.line(f.ask)
	if cur != "" {
		t.out.line(textKeep)
	}
}
