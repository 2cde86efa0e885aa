package domain

import (
	"slices"
	"testing"
)

func TestFormMissingFields(t *testing.T) {
	if got := (Form{}).MissingFields(); !slices.Equal(got, []string{FieldBasis, FieldEducation,
		FieldYearsInOccupation, FieldCandidateSource, FieldLaborRelation, FieldPhone, FieldEmployer,
		FieldCommitmentAccepted}) {
		t.Errorf("empty form: %v", got)
	}
	zero := 0
	full := Form{Basis: BasisLevel5, Education: "21", YearsInOccupation: &zero, CandidateSource: SourceOther,
		LaborRelation: RelationOther, Phone: "13800138000", Employer: EmployerNone, CommitmentAccepted: true}
	if got := full.MissingFields(); got != nil {
		t.Errorf("full form: %v", got)
	}
	full.CommitmentAccepted = false
	full.Phone = ""
	if got := full.MissingFields(); !slices.Equal(got, []string{FieldPhone, FieldCommitmentAccepted}) {
		t.Errorf("got %v", got)
	}
	if FormFieldLabel(FieldEducation) != "文化程度" || FormFieldLabel("x") != "x" {
		t.Error("labels")
	}
}

func TestFormFields(t *testing.T) {
	got := FormFields()
	if len(got) != 8 || got[0] != FieldBasis || got[7] != FieldCommitmentAccepted {
		t.Fatalf("FormFields() = %v", got)
	}
	fe := []FieldError{{Field: FieldEmployer}, {Field: "other"}, {Field: FieldBasis}, {Field: FieldPhone}}
	SortFormErrors(fe)
	if fe[0].Field != FieldBasis || fe[1].Field != FieldPhone || fe[2].Field != FieldEmployer || fe[3].Field != "other" {
		t.Fatalf("SortFormErrors: %v", fe)
	}
}
