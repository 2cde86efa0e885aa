package domain

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// 报考依据 (basis) codes, stored with a registration.
const (
	BasisLevel5      = "level5"        // 报名五级
	BasisEducation   = "education"     // 以学历报考 (levels 3 and 4 only)
	BasisWorkYears   = "work_years"    // 以工作年限报考
	BasisTitleOrCert = "title_or_cert" // 以职称或技能证书报考
)

// Values a basis puts in the form for the candidate.
const (
	EmployerNone     = "无"        // 所在单位 when no employer is involved
	SourceEmployee   = "employee" // 考生来源 本企业职工
	SourceOther      = "other"    // 考生来源 其他
	RelationEmployee = "employee" // 劳务关系 本企业职工
	RelationOther    = "other"    // 劳务关系 其他
)

// BasisRule is the rule of one 报考依据: which levels may use it, which form fields
// it fills and locks, and whether the employer check applies.
type BasisRule struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// Levels lists the levels that may use the basis; empty means any level.
	Levels []Level `json:"levels"`
	// Fixed maps form fields (Field* names) to the value the basis fills in; the
	// candidate cannot change them.
	Fixed map[string]any `json:"fixed"`
	// EmployerInvolved is true when the candidate gives a real employer, so the
	// employer check (工作单位预警) applies.
	EmployerInvolved bool `json:"employer_involved"`
	// Hint tells the candidate how the form is filled in on this basis (the guide's words).
	Hint string `json:"hint"`
	// Checklist is the attachments asked for on this basis before the candidate's
	// 文化程度 is known (Checklist(code, "", false)); set by BasisRules only.
	Checklist []ChecklistItem `json:"checklist"`
}

const (
	hintNoEmployer = "从业年限填“0”，考生来源填“其他”，所在单位填“无”，劳务关系填“其他”。"
	hintEmployer   = "所在单位按个人申请表上最新的工作单位填写，从业年限与个人申请表上的工作年限一致。"
)

// basisRules is the table of DOMAIN.md's 报考依据, one row per basis. Rows are never
// handed out: callers get copies (export).
var basisRules = []BasisRule{
	{
		Code: BasisLevel5, Name: "报名五级", Levels: []Level{Level5}, Hint: hintNoEmployer,
		Fixed: map[string]any{
			FieldYearsInOccupation: 0, FieldCandidateSource: SourceOther,
			FieldEmployer: EmployerNone, FieldLaborRelation: RelationOther,
		},
	},
	{
		Code: BasisEducation, Name: "以学历报考", Levels: []Level{Level3, Level4}, Hint: "仅限三级、四级。" + hintNoEmployer,
		Fixed: map[string]any{
			FieldYearsInOccupation: 0, FieldCandidateSource: SourceOther,
			FieldEmployer: EmployerNone, FieldLaborRelation: RelationOther,
		},
	},
	{
		Code: BasisWorkYears, Name: "以工作年限报考", EmployerInvolved: true, Hint: hintEmployer,
		Fixed: map[string]any{FieldCandidateSource: SourceEmployee, FieldLaborRelation: RelationEmployee},
	},
	{
		Code: BasisTitleOrCert, Name: "以职称或技能证书报考", EmployerInvolved: true, Hint: hintEmployer,
		Fixed: map[string]any{FieldCandidateSource: SourceEmployee, FieldLaborRelation: RelationEmployee},
	},
}

func basisRuleFor(code string) (BasisRule, bool) {
	for _, r := range basisRules {
		if r.Code == code {
			return r, true
		}
	}
	return BasisRule{}, false
}

// BasisRules returns a copy of every basis rule, in form order, with Fixed and
// Checklist filled: the mini-program reads them from /api/v1/meta to fill and
// lock fields and to list attachments, and the console explains them.
func BasisRules() []BasisRule {
	out := make([]BasisRule, 0, len(basisRules))
	for _, r := range basisRules {
		e := r.export()
		e.Checklist = Checklist(r.Code, "", false)
		out = append(out, e)
	}
	return out
}

// LookupBasis returns a copy of the rule of a basis code.
func LookupBasis(code string) (BasisRule, bool) {
	r, ok := basisRuleFor(code)
	if !ok {
		return BasisRule{}, false
	}
	return r.export(), true
}

func (r BasisRule) export() BasisRule {
	return BasisRule{
		Code: r.Code, Name: r.Name, Levels: slices.Clone(r.Levels),
		Fixed: maps.Clone(r.Fixed), EmployerInvolved: r.EmployerInvolved, Hint: r.Hint,
	}
}

// AllowsLevel reports whether a plan of level l may be registered for on this basis.
func (r BasisRule) AllowsLevel(l Level) bool {
	return l.Valid() && (len(r.Levels) == 0 || slices.Contains(r.Levels, l))
}

// EmployerCheckApplies reports whether the employer check (工作单位预警) applies to
// a basis: not for 报名五级 and 以学历报考, which involve no employer.
func EmployerCheckApplies(basis string) bool {
	r, ok := basisRuleFor(basis)
	return ok && r.EmployerInvolved
}

// ApplyBasis checks that basis may be used for a plan of the given level and
// returns the form fields it fills and locks (a fresh map the caller may keep).
// Unknown bases and disallowed levels are errors on field "basis"; an invalid level
// (a bad plan) is an error on field "level".
func ApplyBasis(level Level, basis string) (map[string]any, error) {
	r, ok := basisRuleFor(strings.TrimSpace(basis))
	if !ok {
		if strings.TrimSpace(basis) == "" {
			return nil, Invalid(FieldBasis, "basis_required", "请选择报考依据")
		}
		return nil, Invalid(FieldBasis, "basis_invalid", "报考依据不正确，请重新选择")
	}
	if !level.Valid() {
		return nil, Invalid(FieldLevel, "level_invalid", "评价等级不正确，应为一级至五级")
	}
	if !r.AllowsLevel(level) {
		names := make([]string, 0, len(r.Levels))
		for _, l := range r.Levels {
			names = append(names, l.Name())
		}
		return nil, Invalid(FieldBasis, "basis_level_not_allowed",
			fmt.Sprintf("“%s”仅限%s报考，本评价计划为%s，请选择其他报考依据",
				r.Name, strings.Join(names, "、"), level.Name()))
	}
	return maps.Clone(r.Fixed), nil
}
