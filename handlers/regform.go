package handlers

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

// decodeFormPatch reads the body of PUT /registrations/{id} field by field, so
// that one field of the wrong JSON type is reported at that field and the others
// are still saved. null clears a field; numbers are taken where codes are strings
// (and the other way round for 从业年限). Unknown keys are ignored.
func decodeFormPatch(c echo.Context) (core.FormPatch, []domain.FieldError, error) {
	var raw map[string]json.RawMessage
	if err := BindJSON(c, &raw); err != nil {
		return core.FormPatch{}, nil, err
	}
	var p core.FormPatch
	var fe []domain.FieldError
	text := func(field string) *string {
		v, ok := raw[field]
		if !ok {
			return nil
		}
		s, good := jsonText(v)
		if !good {
			fe = append(fe, domain.FieldError{Field: field, Code: "wrong_type",
				Message: domain.FormFieldLabel(field) + "格式不正确"})
			return nil
		}
		return &s
	}
	p.Basis = text(domain.FieldBasis)
	p.Education = text(domain.FieldEducation)
	p.YearsInOccupation = text(domain.FieldYearsInOccupation)
	p.CandidateSource = text(domain.FieldCandidateSource)
	p.LaborRelation = text(domain.FieldLaborRelation)
	p.Phone = text(domain.FieldPhone)
	p.Employer = text(domain.FieldEmployer)
	if v, ok := raw[domain.FieldCommitmentAccepted]; ok {
		var b *bool
		if err := json.Unmarshal(v, &b); err != nil {
			fe = append(fe, domain.FieldError{Field: domain.FieldCommitmentAccepted, Code: "wrong_type",
				Message: "本人承诺须为是或否（true/false）"})
		} else {
			accepted := b != nil && *b
			p.CommitmentAccepted = &accepted
		}
	}
	return p, fe, nil
}

// jsonText turns a JSON string, number or null into text ("" for null).
func jsonText(v json.RawMessage) (string, bool) {
	v = bytes.TrimSpace(v)
	if bytes.Equal(v, []byte("null")) {
		return "", true
	}
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		return s, true
	}
	var n json.Number
	if err := json.Unmarshal(v, &n); err == nil {
		if i, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
			return strconv.FormatInt(i, 10), true
		}
		return n.String(), true
	}
	return "", false
}
