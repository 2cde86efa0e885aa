package core

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"skillcert/domain"
	"skillcert/repo"
)

// FormPatch is one save of the registration form (考生报名). A nil field is left
// as it is; an empty string clears a field. Values are option codes (see
// Options) and the 从业年限 as typed ("5").
type FormPatch struct {
	Basis              *string
	Education          *string
	YearsInOccupation  *string
	CandidateSource    *string
	LaborRelation      *string
	Phone              *string
	Employer           *string
	CommitmentAccepted *bool
}

// SaveFormRequest saves a candidate's form.
type SaveFormRequest struct {
	CandidateID    int64
	RegistrationID int64
	Patch          FormPatch
}

// SaveForm saves the form of a draft or returned registration. Choosing a basis
// (报考依据) applies DOMAIN.md's table: 以学历报考 is refused outside levels 3–4, and
// the fields the basis fixes take its values whatever was sent. Saves are
// partial: every valid field is kept even when others are bad, and then both the
// saved registration and an Invalid error listing the bad fields are returned.
// The employer check runs on every save; a mismatch is a warning, not an error.
func (c *Core) SaveForm(ctx context.Context, req SaveFormRequest) (*RegistrationView, error) {
	var bad error
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		r, err := c.lockRegistrationOf(ctx, tx, req.CandidateID, req.RegistrationID)
		if err != nil {
			return err
		}
		if st := r.Status; !st.EditableByCandidate() {
			return errNotEditable(st)
		}
		plan, err := tx.GetPlan(ctx, r.PlanID)
		if err != nil {
			return err
		}
		f, err := c.formOf(r)
		if err != nil {
			return err
		}
		old := f
		bad = c.applyPatch(&f, domain.Level(plan.Level), req.Patch)
		if locked := scopeOf(r).restrict(old, &f); len(locked) > 0 {
			fe := append(locked, domain.FieldErrorsOf(bad)...)
			domain.SortFormErrors(fe)
			bad = domain.InvalidFields(fe)
		}
		mismatch, err := c.employerMismatch(ctx, tx.Reader, r.IDNumberIdx, f)
		if err != nil {
			return err
		}
		row, err := c.storedForm(r, f, mismatch)
		if err != nil {
			return err
		}
		return tx.SaveRegistrationForm(ctx, r.ID, row, c.dbNow())
	})
	if err != nil {
		return nil, asDomainError(err)
	}
	v, err := c.GetRegistration(ctx, req.CandidateID, req.RegistrationID)
	if err != nil {
		return nil, err
	}
	if bad != nil {
		return v, bad
	}
	return v, nil
}

func errNotEditable(st domain.Status) *domain.Error {
	name := st.Name()
	if name == "" {
		name = string(st)
	}
	return domain.Conflict("not_editable", "报名当前状态为“"+name+"”，不能修改")
}

// asDomainError passes domain errors through and wraps anything else as internal.
func asDomainError(err error) error {
	if de, ok := domain.AsError(err); ok {
		return de
	}
	return domain.Internal(err)
}

// formOf reads the stored form of a registration.
func (c *Core) formOf(r repo.Registration) (domain.Form, error) {
	phone, err := c.pii.Open(r.PhoneEnc.String)
	if err != nil {
		return domain.Form{}, err
	}
	f := domain.Form{Basis: r.Basis, Education: r.Education, CandidateSource: r.CandidateSource,
		LaborRelation: r.LaborRelation, Phone: phone, Employer: r.Employer,
		CommitmentAccepted: r.CommitmentAcceptedAt.Valid}
	if r.YearsInOccupation.Valid {
		n := int(r.YearsInOccupation.Int64)
		f.YearsInOccupation = &n
	}
	return f, nil
}

// storedForm is the row form of f; the commitment keeps its first acceptance time.
func (c *Core) storedForm(r repo.Registration, f domain.Form, mismatch bool) (repo.RegistrationForm, error) {
	out := repo.RegistrationForm{Basis: f.Basis, Education: f.Education, CandidateSource: f.CandidateSource,
		LaborRelation: f.LaborRelation, Employer: f.Employer, EmployerMismatch: mismatch,
		CommitmentAcceptedAt: r.CommitmentAcceptedAt}
	if f.YearsInOccupation != nil {
		out.YearsInOccupation = sql.NullInt64{Int64: int64(*f.YearsInOccupation), Valid: true}
	}
	out.PhoneEnc = r.PhoneEnc
	if old, err := c.pii.Open(r.PhoneEnc.String); err != nil || old != f.Phone {
		sealed, err := c.pii.Seal(f.Phone)
		if err != nil {
			return repo.RegistrationForm{}, err
		}
		out.PhoneEnc = sql.NullString{String: sealed, Valid: sealed != ""}
	}
	switch {
	case !f.CommitmentAccepted:
		out.CommitmentAcceptedAt = sql.NullTime{}
	case !r.CommitmentAcceptedAt.Valid:
		out.CommitmentAcceptedAt = sql.NullTime{Time: c.dbNow(), Valid: true}
	}
	return out, nil
}

// applyPatch validates each field of p and applies the valid ones to f, then
// the basis' fixed values. It returns the bad fields, in form order.
func (c *Core) applyPatch(f *domain.Form, level domain.Level, p FormPatch) error {
	var fe []domain.FieldError
	bad := func(field, code, msg string) {
		fe = append(fe, domain.FieldError{Field: field, Code: code, Message: msg})
	}
	oldFixed := basisFixed(f.Basis)
	if p.Basis != nil {
		if err := c.chooseBasis(f, level, *p.Basis); err != nil {
			fe = append(fe, domain.FieldErrorsOf(err)...)
		}
	}
	fixed := basisFixed(f.Basis)
	// Values a previous basis filled in are cleared when the new one frees them,
	// so the candidate fills them in for the new basis.
	for field := range oldFixed {
		if _, still := fixed[field]; !still {
			setField(f, field, nil)
		}
	}
	// free returns a sent value of a field the basis leaves to the candidate.
	free := func(field string, v *string) (string, bool) {
		if _, locked := fixed[field]; v == nil || locked {
			return "", false
		}
		return strings.TrimSpace(*v), true
	}
	choices := []struct {
		field string
		v     *string
		has   func(string) bool
		dst   *string
	}{
		{domain.FieldEducation, p.Education, c.opts.HasEducation, &f.Education},
		{domain.FieldCandidateSource, p.CandidateSource, c.opts.HasCandidateSource, &f.CandidateSource},
		{domain.FieldLaborRelation, p.LaborRelation, c.opts.HasLaborRelation, &f.LaborRelation},
	}
	for _, ch := range choices {
		if v, ok := free(ch.field, ch.v); ok {
			if v != "" && !ch.has(v) {
				bad(ch.field, ch.field+"_invalid", domain.FormFieldLabel(ch.field)+"不正确，请重新选择")
			} else {
				*ch.dst = v
			}
		}
	}
	if v, ok := free(domain.FieldYearsInOccupation, p.YearsInOccupation); ok {
		n, err := strconv.Atoi(v)
		switch {
		case v == "":
			f.YearsInOccupation = nil
		case err != nil || !domain.ValidYearsInOccupation(n):
			bad(domain.FieldYearsInOccupation, "years_invalid", "从业年限须为0至60之间的整数")
		default:
			f.YearsInOccupation = &n
		}
	}
	if v, ok := free(domain.FieldPhone, p.Phone); ok {
		if m := domain.NormalizeMobile(v); v == "" || domain.ValidMobile(m) {
			f.Phone = m
		} else {
			bad(domain.FieldPhone, "invalid_phone", "手机号码格式不正确，应为11位手机号")
		}
	}
	if v, ok := free(domain.FieldEmployer, p.Employer); ok {
		if v == "" || domain.ValidEmployer(v) {
			f.Employer = v
		} else {
			bad(domain.FieldEmployer, "employer_invalid", "所在单位须为1至25个字，不能含控制字符")
		}
	}
	if p.CommitmentAccepted != nil {
		f.CommitmentAccepted = *p.CommitmentAccepted
	}
	for field, val := range fixed {
		setField(f, field, val)
	}
	domain.SortFormErrors(fe)
	return domain.InvalidFields(fe)
}

// chooseBasis sets the basis ("" clears it) if the form offers it and the plan's
// level allows it.
func (c *Core) chooseBasis(f *domain.Form, level domain.Level, basis string) error {
	b := strings.TrimSpace(basis)
	switch {
	case b == "":
	case !c.opts.HasBasis(b):
		return domain.Invalid(domain.FieldBasis, "basis_invalid", "报考依据不正确，请重新选择")
	default:
		if _, err := domain.ApplyBasis(level, b); err != nil {
			return err
		}
	}
	f.Basis = b
	return nil
}

// basisFixed returns the fields a basis fixes (none for "" or an unknown basis).
func basisFixed(basis string) map[string]any {
	if r, ok := domain.LookupBasis(basis); ok {
		return r.Fixed
	}
	return nil
}

// setField puts a basis' fixed value into the form; nil clears the field.
func setField(f *domain.Form, field string, val any) {
	s, _ := val.(string)
	switch field {
	case domain.FieldYearsInOccupation:
		f.YearsInOccupation = nil
		if n, ok := val.(int); ok {
			f.YearsInOccupation = &n
		}
	case domain.FieldCandidateSource:
		f.CandidateSource = s
	case domain.FieldLaborRelation:
		f.LaborRelation = s
	case domain.FieldEmployer:
		f.Employer = s
	case domain.FieldEducation:
		f.Education = s
	}
}
