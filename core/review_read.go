package core

import (
	"context"
	"fmt"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// ReviewQuery is a plan's registration list as a reviewer asks for it.
type ReviewQuery struct {
	Status   string // "" = every status but drafts
	Search   string // a name part, a full ID number, or part of the masked number
	Page     int
	PageSize int
}

// ReviewItem is one row of the reviewer's list.
type ReviewItem struct {
	ID               int64
	Status           string
	StatusName       string
	Name             string
	IDTypeName       string
	IDNumberMasked   string
	Gender           string
	BasisName        string
	Employer         string
	EmployerMismatch bool
	SubmittedAt      time.Time
	CanApprove       bool
	// VerifyStateName is 已核验 or 未核验 (the candidate's real-name verification);
	// IdentityFlag, when set, says why the institution must check the identity.
	VerifyStateName string
	IdentityFlag    string
	// Complete: every required attachment is uploaded (材料齐全).
	Complete bool

	basis, education  string // for Complete
	certNo, certStage string // for the results page
}

// ListPlanRegistrations lists a plan's registrations (never drafts) for staff who
// may see the plan, filtered by status and searched by name or ID number (the
// rules of parseIDSearch). A page reads and opens its own rows only: a search
// by part of the number reads the rows sharing its last four (through their
// tail hash) and opens just those to compare.
func (c *Core) ListPlanRegistrations(ctx context.Context, st *Staff, planID int64, q ReviewQuery) (Page[ReviewItem], error) {
	if _, err := c.planFor(ctx, c.db.Read(), st, planID, Read); err != nil {
		return Page[ReviewItem]{}, err
	}
	page, size := consolePage(q.Page, q.PageSize)
	f, suffix, err := c.reviewFilter(planID, q)
	if err != nil {
		return Page[ReviewItem]{}, err
	}
	var rows []repo.ReviewRow
	total := 0
	if suffix == "" {
		if rows, total, err = c.db.ListReviewRows(ctx, f, size, (page-1)*size); err != nil {
			return Page[ReviewItem]{}, domain.Internal(err)
		}
	} else {
		// The rows sharing the last four (about one in ten thousand of the
		// plan), opened to compare the rest of the number.
		all, _, err := c.db.ListReviewRows(ctx, f, domain.MaxPlanSeats, 0)
		if err == nil {
			all, err = c.keepIDSuffix(all, suffix)
		}
		if err != nil {
			return Page[ReviewItem]{}, domain.Internal(err)
		}
		total = len(all)
		if lo := (page - 1) * size; lo < len(all) {
			rows = all[lo:min(len(all), lo+size)]
		}
	}
	items, err := c.reviewItems(rows)
	if err == nil {
		err = c.markIdentities(ctx, planID, items)
	}
	if err == nil {
		err = c.markComplete(ctx, items)
	}
	return Page[ReviewItem]{Items: items, Total: total, Page: page, PageSize: size}, err
}

// reviewFilter turns a reviewer's query into the store's filter; suffix is set
// when the search is part of a number (5–14 characters, or masked), which the
// opened rows sharing its last four must end like.
func (c *Core) reviewFilter(planID int64, q ReviewQuery) (f repo.ReviewFilter, suffix string, err error) {
	f = repo.ReviewFilter{PlanID: planID}
	if s, err := domain.ParseStatus(q.Status); err == nil && s != domain.StatusDraft {
		f.Status = s
	}
	search := strings.TrimSpace(q.Search)
	switch {
	case search == "":
	case isIDSearch(search):
		ids, err := c.parseIDSearch(search)
		if err != nil {
			return f, "", err
		}
		f.IDNumberIdx, f.IDTailIdx, suffix = ids.fullIdx, ids.tailIdx, ids.suffix
	default:
		f.Name = search
	}
	return f, suffix, nil
}

// markComplete sets Complete on each item: the attachment rule of domain
// (AttachmentsComplete) over the keys uploaded for it.
func (c *Core) markComplete(ctx context.Context, items []ReviewItem) error {
	if len(items) == 0 {
		return nil
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	keys, err := c.db.AttachmentKeys(ctx, ids)
	if err != nil {
		return domain.Internal(err)
	}
	for i := range items {
		it := &items[i]
		it.Complete = domain.AttachmentsComplete(it.basis, it.education, it.EmployerMismatch, keys[it.ID])
	}
	return nil
}

// isIDSearch tells whether a search looks like (part of) an ID number rather than a name.
func isIDSearch(s string) bool {
	hasDigit := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			hasDigit = true
		case r == '*', r == 'x', r == 'X', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		default:
			return false
		}
	}
	return hasDigit
}

// reviewItems renders rows, opening each one's ID number to mask it.
func (c *Core) reviewItems(rows []repo.ReviewRow) ([]ReviewItem, error) {
	out := make([]ReviewItem, 0, len(rows))
	for _, r := range rows {
		full, err := c.pii.Open(r.IDNumberEnc.String)
		if err != nil {
			return nil, domain.Internal(err)
		}
		masked := domain.MaskIDNumber(full)
		st := r.Status
		out = append(out, ReviewItem{ID: r.ID, Status: string(r.Status), StatusName: st.Name(), Name: r.Name,
			IDTypeName: domain.IDTypeName(r.IDType), IDNumberMasked: masked, Gender: r.Gender,
			BasisName: c.opts.BasisName(r.Basis), Employer: r.Employer,
			EmployerMismatch: r.EmployerMismatch && domain.EmployerCheckApplies(r.Basis),
			SubmittedAt:      r.SubmittedAt.Time, CanApprove: domain.CanTransition(st, domain.ActionApprove),
			basis: r.Basis, education: r.Education, certNo: r.CertNo, certStage: r.CertStage})
	}
	return out, nil
}

// ReviewDetail is one registration as a reviewer sees it.
type ReviewDetail struct {
	Plan         Plan
	Reg          *RegistrationView
	IDNumber     string // in full for the plan's own institution, masked for others
	Phone        string // likewise
	Education    string // names of the coded fields
	Source       string
	Relation     string
	Checklist    []ChecklistEntry
	Attachments  []AttachmentView
	Actions      []domain.Action // what the reviewer may do now
	Owner        bool            // staff of the plan's institution: may act and download
	ReturnFields []domain.Option // the fields a return asked to change, with names
	Rounds       []RoundView     // earlier rounds, ended by a cancellation, before the candidate registered again
	// VerifyStateName is 已核验 or 未核验; IdentityFlag says why the identity must be checked.
	VerifyStateName string
	IdentityFlag    string
}

// GetRegistrationForReview returns a registration of a plan with its form, its
// checklist, the employer warning and its attachments. Viewing it is audited.
func (c *Core) GetRegistrationForReview(ctx context.Context, st *Staff, planID, regID int64) (*ReviewDetail, error) {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Read)
	if err != nil {
		return nil, err
	}
	r, err := c.db.Read().GetRegistration(ctx, regID)
	if repo.IsNoRows(err) || (err == nil && (r.PlanID != p.ID || r.Status == domain.StatusDraft)) {
		return nil, errRegistrationNotFound()
	}
	if err != nil {
		return nil, domain.Internal(err)
	}
	v, err := c.newViewer(c.db.Read()).view(ctx, r)
	if err != nil {
		return nil, err
	}
	d := &ReviewDetail{Plan: planView(p), Reg: v, Owner: st.ownsInstitution(p.InstitutionID), IDNumber: v.Identity.IDNumberMasked, Phone: v.PhoneMasked,
		Education: c.opts.EducationName(r.Education), Source: c.opts.CandidateSourceName(r.CandidateSource),
		Relation: c.opts.LaborRelationName(r.LaborRelation)}
	if d.Owner {
		if d.IDNumber, err = c.fullIDNumber(ctx, r.CandidateID); err != nil {
			return nil, err
		}
		d.Phone = v.Phone
		for _, a := range domain.AllowedActions(r.Status) {
			if a.Actor() == domain.ActorInstitution {
				d.Actions = append(d.Actions, a)
			}
		}
	}
	if d.Checklist, err = c.checklistOf(ctx, c.db.Read(), r); err != nil {
		return nil, domain.Internal(err)
	}
	atts, err := c.db.Read().ListAttachments(ctx, r.ID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	for i, a := range atts {
		d.Attachments = append(d.Attachments, *attachmentView(a, i+1))
	}
	if d.Rounds, err = c.roundsOf(ctx, c.db.Read(), r.ID); err != nil {
		return nil, err
	}
	all := ReturnableFields()
	for _, f := range v.ReturnFields {
		if o, ok := domain.FindOption(all, f); ok {
			d.ReturnFields = append(d.ReturnFields, o)
		}
	}
	marks, err := c.db.IdentityMarksOf(ctx, []int64{r.ID})
	if err != nil {
		return nil, domain.Internal(err)
	}
	d.VerifyStateName, d.IdentityFlag = VerifyStateName(marks[r.ID].VerifyState), marks[r.ID].Flag
	c.auditNow(ctx, st, AuditRegView, "registration", r.ID, "计划编号 "+p.PlanNo)
	return d, nil
}

// fullIDNumber opens a candidate's ID number (for the plan's own institution only).
func (c *Core) fullIDNumber(ctx context.Context, candidateID int64) (string, error) {
	cand, err := c.db.Read().GetCandidate(ctx, candidateID)
	if err != nil {
		return "", domain.Internal(err)
	}
	n, err := c.pii.Open(cand.IDNumberEnc.String)
	if err != nil {
		return "", domain.Internal(err)
	}
	return n, nil
}

// OpenStaffAttachment returns an attachment's bytes to staff of the institution that
// runs the plan (viewing is audited); everyone else gets not found.
func (c *Core) OpenStaffAttachment(ctx context.Context, st *Staff, planID, regID, attID int64) (*AttachmentFile, error) {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Read)
	if err != nil {
		return nil, err
	}
	if !st.ownsInstitution(p.InstitutionID) {
		return nil, errAttachmentNotFound()
	}
	r, err := c.db.Read().GetRegistration(ctx, regID)
	if repo.IsNoRows(err) || (err == nil && r.PlanID != p.ID) {
		return nil, errAttachmentNotFound()
	}
	if err != nil {
		return nil, domain.Internal(err)
	}
	f, err := c.OpenAttachment(ctx, Reader{InstitutionID: st.InstitutionID}, AttachmentRef{RegistrationID: regID, AttachmentID: attID})
	if err != nil {
		return nil, err
	}
	c.auditNow(ctx, st, AuditAttachmentView, "attachment", attID, fmt.Sprintf("报名 #%d", regID))
	return f, nil
}
