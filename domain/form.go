package domain

import "slices"

// Form fields that fields.go does not name.
const (
	FieldPhone              = "phone"
	FieldCommitmentAccepted = "commitment_accepted"
)

// formFields lists the registration form's fields in form order with the label
// people see.
var formFields = []struct{ field, label string }{
	{FieldBasis, "报考依据"},
	{FieldEducation, "文化程度"},
	{FieldYearsInOccupation, "从业年限"},
	{FieldCandidateSource, "考生来源"},
	{FieldLaborRelation, "劳务关系"},
	{FieldPhone, "手机号码"},
	{FieldEmployer, "所在单位"},
	{FieldCommitmentAccepted, "本人承诺"},
}

// FormFields returns the form's field names (JSON) in form order.
func FormFields() []string {
	out := make([]string, len(formFields))
	for i, f := range formFields {
		out[i] = f.field
	}
	return out
}

// FormFieldLabel returns the Chinese label of a form field, e.g. "文化程度"; the
// field name itself when unknown.
func FormFieldLabel(field string) string {
	for _, f := range formFields {
		if f.field == field {
			return f.label
		}
	}
	return field
}

// Form is what the candidate fills in on a registration (考生报名), as stored:
// option codes, the 从业年限 (nil = not given) and whether the commitment was accepted.
type Form struct {
	Basis              string
	Education          string
	YearsInOccupation  *int
	CandidateSource    string
	LaborRelation      string
	Phone              string
	Employer           string
	CommitmentAccepted bool
}

// RequiredFormFields returns, in form order, the fields the candidate must fill
// in before submitting with a basis: every form field (see MissingFields) but the
// ones the basis fills in itself (its locked fields). With no basis chosen yet,
// every field. The form's required marks come from here (GET /api/v1/meta and
// each registration's required_fields), the submit from MissingFields: one rule.
func RequiredFormFields(basis string) []string {
	rule, _ := LookupBasis(basis)
	out := []string{}
	for _, ff := range formFields {
		if _, fixed := rule.Fixed[ff.field]; !fixed {
			out = append(out, ff.field)
		}
	}
	return out
}

// MissingFields returns the fields a submit still needs, in form order: every
// field is required (the guide asks for 文化程度、从业年限、考生来源、劳务关系、所在单位;
// the basis decides the rules, the phone is how the institution reaches the
// candidate) and the commitment (本人承诺) must be accepted. nil when complete.
func (f Form) MissingFields() []string {
	empty := map[string]bool{
		FieldBasis:              f.Basis == "",
		FieldEducation:          f.Education == "",
		FieldYearsInOccupation:  f.YearsInOccupation == nil,
		FieldCandidateSource:    f.CandidateSource == "",
		FieldLaborRelation:      f.LaborRelation == "",
		FieldPhone:              f.Phone == "",
		FieldEmployer:           f.Employer == "",
		FieldCommitmentAccepted: !f.CommitmentAccepted,
	}
	var out []string
	for _, ff := range formFields {
		if empty[ff.field] {
			out = append(out, ff.field)
		}
	}
	return out
}

// SortFormErrors orders field errors as the form shows its fields (others last,
// in their order).
func SortFormErrors(fe []FieldError) {
	pos := func(field string) int {
		for i, f := range formFields {
			if f.field == field {
				return i
			}
		}
		return len(formFields)
	}
	slices.SortStableFunc(fe, func(a, b FieldError) int { return pos(a.Field) - pos(b.Field) })
}
