package core

import (
	"slices"
	"strings"

	"skillcert/domain"
	"skillcert/repo"
)

// What a candidate may change: the required marks of the form (one rule with the
// submit, domain.RequiredFormFields) and, on a registration returned for changes
// (退回修改), only what the reviewer named.

// returnScope is what a returned registration lets the candidate change: the
// form fields and checklist items the reviewer named. limited is false when
// anything may change (a draft, or a return that named nothing).
type returnScope struct {
	limited bool
	named   map[string]bool
}

func scopeOf(r repo.Registration) returnScope {
	if r.Status != domain.StatusReturned {
		return returnScope{}
	}
	names := splitList(r.ReturnFields)
	if len(names) == 0 {
		return returnScope{}
	}
	s := returnScope{limited: true, named: map[string]bool{}}
	for _, n := range names {
		s.named[n] = true
	}
	// A new basis decides the fields it fills in: they follow the basis.
	if s.named[domain.FieldBasis] {
		for _, b := range domain.BasisRules() {
			for f := range b.Fixed {
				s.named[f] = true
			}
		}
	}
	return s
}

// field reports whether a form field may change.
func (s returnScope) field(f string) bool { return !s.limited || s.named[f] }

// item reports whether attachments of a checklist item may be added or removed.
func (s returnScope) item(key string) bool { return !s.limited || s.named[key] }

// names lists, in Chinese, what may change (for messages).
func (s returnScope) names() string {
	var out []string
	for _, o := range ReturnableFields() {
		if s.named[o.Code] {
			out = append(out, o.Name)
		}
	}
	return strings.Join(out, "、")
}

// restrict undoes the changes a save made to fields a limited return did not
// name, and says so per field.
func (s returnScope) restrict(old domain.Form, f *domain.Form) []domain.FieldError {
	if !s.limited {
		return nil
	}
	var fe []domain.FieldError
	keep := func(field string, changed bool, undo func()) {
		if changed && !s.field(field) {
			undo()
			fe = append(fe, domain.FieldError{Field: field, Code: "field_locked",
				Message: domain.FormFieldLabel(field) + "已锁定：退回修改时只能修改审核意见指出的内容（" + s.names() + "）"})
		}
	}
	keep(domain.FieldBasis, old.Basis != f.Basis, func() { f.Basis = old.Basis })
	keep(domain.FieldEducation, old.Education != f.Education, func() { f.Education = old.Education })
	keep(domain.FieldYearsInOccupation, !sameInt(old.YearsInOccupation, f.YearsInOccupation),
		func() { f.YearsInOccupation = old.YearsInOccupation })
	keep(domain.FieldCandidateSource, old.CandidateSource != f.CandidateSource, func() { f.CandidateSource = old.CandidateSource })
	keep(domain.FieldLaborRelation, old.LaborRelation != f.LaborRelation, func() { f.LaborRelation = old.LaborRelation })
	keep(domain.FieldPhone, old.Phone != f.Phone, func() { f.Phone = old.Phone })
	keep(domain.FieldEmployer, old.Employer != f.Employer, func() { f.Employer = old.Employer })
	keep(domain.FieldCommitmentAccepted, old.CommitmentAccepted != f.CommitmentAccepted,
		func() { f.CommitmentAccepted = old.CommitmentAccepted })
	return fe
}

func sameInt(a, b *int) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// lockedFor lists the form fields locked on a registration, in form order: the
// basis' fixed fields, and on a limited return every field the reviewer did not name.
func lockedFor(r repo.Registration) []string {
	s := scopeOf(r)
	fixed := lockedFields(r.Basis)
	out := []string{}
	for _, f := range domain.FormFields() {
		if slices.Contains(fixed, f) || !s.field(f) {
			out = append(out, f)
		}
	}
	return out
}

// editableItems lists the checklist items whose attachments may change on a
// limited return; nil when every item may.
func editableItems(r repo.Registration) []string {
	s := scopeOf(r)
	if !s.limited {
		return nil
	}
	out := []string{}
	for _, o := range ReturnableFields() {
		if s.named[o.Code] && !slices.Contains(domain.FormFields(), o.Code) {
			out = append(out, o.Code)
		}
	}
	return out
}

func errItemLocked(s returnScope) *domain.Error {
	return domain.NewError(domain.KindConflict, "item_locked",
		"该材料已锁定：退回修改时只能修改审核意见指出的内容（"+s.names()+"）")
}
