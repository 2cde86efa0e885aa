package chatbot

import (
	"strconv"
	"strings"

	"skillcert/core"
	"skillcert/domain"
)

// fieldKind is how a form field is answered.
type fieldKind int

const (
	kindChoice     fieldKind = iota + 1 // a numbered menu of options
	kindYears                           // 从业年限: a whole number of years
	kindPhone                           // 手机号码
	kindText                            // 所在单位: free text
	kindCommitment                      // 本人承诺: 1 同意
)

// field is one question of the form.
type field struct {
	name    string // domain field name
	kind    fieldKind
	options func(domain.Options) []domain.Option // kindChoice
	ask     string                               // what to answer (after the options)
}

// formFields are the questions in form order: 报考依据 first, so the basis fills
// its fields and only the others are asked.
var formFields = []field{
	{name: domain.FieldBasis, kind: kindChoice, options: func(o domain.Options) []domain.Option { return o.Bases },
		ask: "请回复序号选择报考依据。"},
	{name: domain.FieldEducation, kind: kindChoice, options: func(o domain.Options) []domain.Option { return o.Education },
		ask: "请回复序号选择文化程度。"},
	{name: domain.FieldYearsInOccupation, kind: kindYears, ask: "请回复本职业从业年限（0至60之间的整数，单位：年）。"},
	{name: domain.FieldCandidateSource, kind: kindChoice, options: func(o domain.Options) []domain.Option { return o.CandidateSources },
		ask: "请回复序号选择考生来源。"},
	{name: domain.FieldLaborRelation, kind: kindChoice, options: func(o domain.Options) []domain.Option { return o.LaborRelations },
		ask: "请回复序号选择劳务关系。"},
	{name: domain.FieldPhone, kind: kindPhone, ask: "请回复11位手机号码。"},
	{name: domain.FieldEmployer, kind: kindText, ask: "请回复所在单位（不超过25个字）。" + textEmployerTip},
	{name: domain.FieldCommitmentAccepted, kind: kindCommitment, ask: textCommitment + "\n回复 1 同意以上承诺。"},
}

// fieldByName returns a form field; the zero field when unknown.
func fieldByName(name string) field {
	for _, f := range formFields {
		if f.name == name {
			return f
		}
	}
	return field{}
}

// freeFields lists the fields the candidate answers: every field but those the
// basis fixes, in form order.
func freeFields(v *core.RegistrationView) []field {
	out := make([]field, 0, len(formFields))
	for _, f := range formFields {
		locked := false
		for _, l := range v.LockedFields {
			locked = locked || l == f.name
		}
		if !locked {
			out = append(out, f)
		}
	}
	return out
}

// label is the field's Chinese name.
func (f field) label() string { return domain.FormFieldLabel(f.name) }

// current shows the field's value in v ("" when empty); the phone is masked.
func (f field) current(v *core.RegistrationView, o domain.Options) string {
	switch f.name {
	case domain.FieldBasis:
		return v.BasisName
	case domain.FieldEducation:
		return o.EducationName(v.Education)
	case domain.FieldYearsInOccupation:
		if v.YearsInOccupation == nil {
			return ""
		}
		return strconv.Itoa(*v.YearsInOccupation) + "年"
	case domain.FieldCandidateSource:
		return o.CandidateSourceName(v.CandidateSource)
	case domain.FieldLaborRelation:
		return o.LaborRelationName(v.LaborRelation)
	case domain.FieldPhone:
		return v.PhoneMasked
	case domain.FieldEmployer:
		return v.Employer
	case domain.FieldCommitmentAccepted:
		if v.CommitmentAccepted {
			return "已同意"
		}
	}
	return ""
}

// patch reads an answer into a form patch; reason says why it cannot be read.
// Values are checked by core when saved.
func (f field) patch(input, raw string, o domain.Options) (p core.FormPatch, reason string) {
	switch f.kind {
	case kindChoice:
		code, ok := choose(f.options(o), input)
		if !ok {
			return p, "请回复 1 到 " + strconv.Itoa(len(f.options(o))) + " 之间的序号。"
		}
		setChoice(&p, f.name, code)
	case kindYears:
		s := strings.TrimSuffix(input, "年")
		p.YearsInOccupation = &s
	case kindPhone:
		p.Phone = &input
	case kindText:
		s := strings.TrimSpace(raw)
		if s == "" {
			return p, "所在单位不能为空。"
		}
		p.Employer = &s
	case kindCommitment:
		switch input {
		case "1", "同意":
			yes := true
			p.CommitmentAccepted = &yes
		case "0", "不同意":
			return p, "须同意本人承诺才能提交报名。如暂不报名，可回复“取消”退出。"
		default:
			return p, "请回复 1 同意本人承诺。"
		}
	}
	return p, ""
}

// choose reads a numbered menu answer: the number, or an option's name.
func choose(opts []domain.Option, input string) (string, bool) {
	if n, err := strconv.Atoi(input); err == nil {
		if n >= 1 && n <= len(opts) {
			return opts[n-1].Code, true
		}
		return "", false
	}
	for _, o := range opts {
		if o.Name == input {
			return o.Code, true
		}
	}
	return "", false
}

func setChoice(p *core.FormPatch, name, code string) {
	switch name {
	case domain.FieldBasis:
		p.Basis = &code
	case domain.FieldEducation:
		p.Education = &code
	case domain.FieldCandidateSource:
		p.CandidateSource = &code
	case domain.FieldLaborRelation:
		p.LaborRelation = &code
	}
}
