package core

import (
	"context"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// RegistrationView is a registration (报名) as its candidate sees it: the form
// with its locks and warnings, the plan, the identity it was made with, and the
// review's outcome. The console and the chat show the same view.
type RegistrationView struct {
	ID                   int64        `json:"id"`
	Status               string       `json:"status"`
	StatusName           string       `json:"status_name"`
	Plan                 PlanView     `json:"plan"`
	Identity             IdentityView `json:"identity"`
	Basis                string       `json:"basis"`
	BasisName            string       `json:"basis_name"`
	Education            string       `json:"education"`
	YearsInOccupation    *int         `json:"years_in_occupation"`
	CandidateSource      string       `json:"candidate_source"`
	LaborRelation        string       `json:"labor_relation"`
	Phone                string       `json:"phone"` // in full: the candidate's own form
	PhoneMasked          string       `json:"phone_masked"`
	Employer             string       `json:"employer"`
	CommitmentAccepted   bool         `json:"commitment_accepted"`
	CommitmentAcceptedAt *time.Time   `json:"commitment_accepted_at"`
	LockedFields         []string     `json:"locked_fields"`   // fixed by the basis, or not named by a return
	RequiredFields       []string     `json:"required_fields"` // to fill in before submitting (the basis chosen)
	EditableItems        []string     `json:"editable_items"`  // checklist items whose files may change; null = all
	LockNote             string       `json:"lock_note"`       // why fields are locked on a return, else ""
	Due                  string       `json:"due"`             // what the candidate still has to do, and by when; "" when nothing
	Editable             bool         `json:"editable"`
	Warnings             []Warning    `json:"warnings"`
	SubmittedAt          *time.Time   `json:"submitted_at"`
	ReviewedAt           *time.Time   `json:"reviewed_at"`
	ReviewNote           string       `json:"review_note"`
	ReturnFields         []string     `json:"return_fields"` // fields the reviewer asked to change
	CreatedAt            time.Time    `json:"created_at"`
	UpdatedAt            time.Time    `json:"updated_at"`
}

// IdentityView is the identity a registration is made with; the ID number is masked.
type IdentityView struct {
	Name           string `json:"name"`
	IDType         string `json:"id_type"`
	IDTypeName     string `json:"id_type_name"`
	IDNumberMasked string `json:"id_number_masked"`
	Gender         string `json:"gender"`
	BirthDate      string `json:"birth_date"`
}

// Warning is a notice that does not block (e.g. employer_mismatch).
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// WarningEmployerMismatch is the code of the employer check's warning (工作单位预警).
const WarningEmployerMismatch = "employer_mismatch"

func errRegistrationNotFound() *domain.Error {
	return domain.NotFound("registration_not_found", "报名记录不存在")
}

// registrationOf reads a registration of a candidate: not found when it does not
// exist or belongs to someone else (the same answer, so ids reveal nothing).
func (c *Core) registrationOf(ctx context.Context, q repo.Reader, candidateID, id int64) (repo.Registration, error) {
	r, err := q.GetRegistration(ctx, id)
	if repo.IsNoRows(err) || (err == nil && r.CandidateID != candidateID) {
		return repo.Registration{}, errRegistrationNotFound()
	}
	if err != nil {
		return repo.Registration{}, domain.Internal(err)
	}
	return r, nil
}

// lockRegistrationOf is registrationOf inside a transaction, keeping the row locked.
func (c *Core) lockRegistrationOf(ctx context.Context, tx repo.Tx, candidateID, id int64) (repo.Registration, error) {
	r, err := tx.LockRegistration(ctx, id)
	if repo.IsNoRows(err) || (err == nil && r.CandidateID != candidateID) {
		return repo.Registration{}, errRegistrationNotFound()
	}
	if err != nil {
		return repo.Registration{}, domain.Internal(err)
	}
	return r, nil
}

// GetRegistration returns one of the candidate's registrations.
func (c *Core) GetRegistration(ctx context.Context, candidateID, id int64) (*RegistrationView, error) {
	r, err := c.registrationOf(ctx, c.db.Read(), candidateID, id)
	if err != nil {
		return nil, err
	}
	return c.newViewer(c.db.Read()).view(ctx, r)
}

// ListQuery pages a list; zero values take the defaults (page 1, 20 a page).
type ListQuery struct {
	Page     int
	PageSize int
}

func (q *ListQuery) normalize() error {
	var fe []domain.FieldError
	switch {
	case q.Page == 0:
		q.Page = 1
	case q.Page < 1:
		fe = append(fe, domain.FieldError{Field: "page", Code: "invalid_page", Message: "页码须为从 1 开始的整数"})
	}
	switch {
	case q.PageSize == 0:
		q.PageSize = 20
	case q.PageSize < 1 || q.PageSize > 100:
		fe = append(fe, domain.FieldError{Field: "page_size", Code: "invalid_page_size", Message: "每页条数须在 1 到 100 之间"})
	}
	return domain.InvalidFields(fe)
}

// ListRegistrations returns the candidate's registrations (报名记录), newest first.
func (c *Core) ListRegistrations(ctx context.Context, candidateID int64, q ListQuery) (Page[RegistrationView], error) {
	if err := q.normalize(); err != nil {
		return Page[RegistrationView]{}, err
	}
	rows, total, err := c.db.ListCandidateRegistrations(ctx, candidateID, q.PageSize, (q.Page-1)*q.PageSize)
	if err != nil {
		return Page[RegistrationView]{}, domain.Internal(err)
	}
	out := Page[RegistrationView]{Items: make([]RegistrationView, 0, len(rows)), Total: total, Page: q.Page, PageSize: q.PageSize}
	v := c.newViewer(c.db.Read())
	for _, r := range rows {
		rv, err := v.view(ctx, r)
		if err != nil {
			return Page[RegistrationView]{}, err
		}
		out.Items = append(out.Items, *rv)
	}
	return out, nil
}

// viewer builds registration views, reading each plan and candidate once.
type viewer struct {
	c     *Core
	q     repo.Reader
	now   time.Time
	plans map[int64]repo.Plan
	ids   map[int64]IdentityView
}

func (c *Core) newViewer(q repo.Reader) *viewer {
	return &viewer{c: c, q: q, now: c.now(), plans: map[int64]repo.Plan{}, ids: map[int64]IdentityView{}}
}

func (v *viewer) plan(ctx context.Context, id int64) (repo.Plan, error) {
	if p, ok := v.plans[id]; ok {
		return p, nil
	}
	p, err := v.q.GetPlan(ctx, id)
	if err != nil {
		return repo.Plan{}, domain.Internal(err)
	}
	v.plans[id] = p
	return p, nil
}

func (v *viewer) identity(ctx context.Context, candidateID int64) (IdentityView, error) {
	if iv, ok := v.ids[candidateID]; ok {
		return iv, nil
	}
	cand, err := v.q.GetCandidate(ctx, candidateID)
	if err != nil {
		return IdentityView{}, domain.Internal(err)
	}
	var number string
	if cand.IDNumberEnc.Valid {
		if number, err = v.c.pii.Open(cand.IDNumberEnc.String); err != nil {
			return IdentityView{}, domain.Internal(err)
		}
	}
	iv := identityView(cand, number)
	v.ids[candidateID] = iv
	return iv, nil
}

// identityView is the identity shown with a registration: cand's, with its ID
// number (opened, "" when none) masked.
func identityView(cand repo.Candidate, number string) IdentityView {
	iv := IdentityView{Name: cand.Name, IDType: cand.IDType, IDTypeName: domain.IDTypeName(cand.IDType),
		Gender: cand.Gender, BirthDate: cand.BirthDate}
	if cand.IDNumberEnc.Valid {
		iv.IDNumberMasked = domain.MaskIDNumber(number)
	}
	return iv
}

// view renders one registration.
func (v *viewer) view(ctx context.Context, r repo.Registration) (*RegistrationView, error) {
	p, err := v.plan(ctx, r.PlanID)
	if err != nil {
		return nil, err
	}
	iv, err := v.identity(ctx, r.CandidateID)
	if err != nil {
		return nil, err
	}
	phone, err := v.c.pii.Open(r.PhoneEnc.String)
	if err != nil {
		return nil, domain.Internal(err)
	}
	st := r.Status
	out := &RegistrationView{
		ID: r.ID, Status: string(r.Status), StatusName: st.Name(),
		Plan: ViewPlan(&p, p.SeatsTaken, v.now), Identity: iv,
		Basis: r.Basis, BasisName: v.c.opts.BasisName(r.Basis), Education: r.Education,
		CandidateSource: r.CandidateSource, LaborRelation: r.LaborRelation,
		Phone: phone, Employer: r.Employer,
		CommitmentAccepted: r.CommitmentAcceptedAt.Valid, CommitmentAcceptedAt: timePtr(r.CommitmentAcceptedAt.Time, r.CommitmentAcceptedAt.Valid),
		LockedFields: lockedFor(r), RequiredFields: domain.RequiredFormFields(r.Basis),
		EditableItems: editableItems(r), Editable: st.EditableByCandidate(), Warnings: []Warning{},
		SubmittedAt: timePtr(r.SubmittedAt.Time, r.SubmittedAt.Valid),
		ReviewedAt:  timePtr(r.ReviewedAt.Time, r.ReviewedAt.Valid),
		ReviewNote:  r.ReviewNote, ReturnFields: splitList(r.ReturnFields),
		CreatedAt: apiTime(r.CreatedAt), UpdatedAt: apiTime(r.UpdatedAt),
	}
	out.Due = dueText(r, &p, v.now)
	if sc := scopeOf(r); sc.limited {
		out.LockNote = "退回修改：只能修改审核意见指出的内容（" + sc.names() + "），其他内容已锁定"
	}
	if st == domain.StatusDraft && !formSaved(r) {
		out.StatusName = StatusNameUnsaved
	}
	if phone != "" {
		out.PhoneMasked = domain.MaskPhone(phone)
	}
	if r.YearsInOccupation.Valid {
		n := int(r.YearsInOccupation.Int64)
		out.YearsInOccupation = &n
	}
	if r.EmployerMismatch && domain.EmployerCheckApplies(r.Basis) {
		out.Warnings = append(out.Warnings, Warning{Code: WarningEmployerMismatch, Message: v.c.opts.EmployerWarning})
	}
	return out, nil
}

// StatusNameUnsaved names a draft the candidate has not filled in yet: 已保存
// would claim something was saved.
const StatusNameUnsaved = "未提交"

// formSaved reports whether a registration holds anything the candidate saved
// (the phone prefilled from the account does not count).
func formSaved(r repo.Registration) bool {
	return r.Basis != "" || r.Education != "" || r.YearsInOccupation.Valid || r.CandidateSource != "" ||
		r.LaborRelation != "" || r.Employer != "" || r.CommitmentAcceptedAt.Valid
}

// lockedFields lists the form fields a basis fixes, in form order.
func lockedFields(basis string) []string {
	out := []string{}
	rule, ok := domain.LookupBasis(basis)
	if !ok {
		return out
	}
	for _, f := range domain.FormFields() {
		if _, fixed := rule.Fixed[f]; fixed {
			out = append(out, f)
		}
	}
	return out
}

// apiTime is how instants leave the API: UTC, whole seconds.
func apiTime(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

func timePtr(t time.Time, valid bool) *time.Time {
	if !valid {
		return nil
	}
	at := apiTime(t)
	return &at
}

// splitList reads a list column: comma-separated names, or a JSON array of
// strings ("" is the empty list).
func splitList(s string) []string {
	out := []string{}
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(`,[]" `, r) }) {
		out = append(out, p)
	}
	return out
}
