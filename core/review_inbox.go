package core

import (
	"context"
	"time"

	"skillcert/domain"
)

// InboxItem is one registration waiting for review in the institution's inbox.
type InboxItem struct {
	ID             int64
	PlanID         int64
	PlanNo         string
	PlanName       string
	Name           string
	IDTypeName     string
	IDNumberMasked string
	BasisName      string
	SubmittedAt    time.Time
	Complete       bool // every required attachment is uploaded (材料齐全)
}

// ListPendingInbox lists the registrations waiting for review (已提交) across the
// plans of the staff member's institution, oldest submission first, each with
// its plan. Only institution staff have an inbox.
func (c *Core) ListPendingInbox(ctx context.Context, st *Staff, pageNo, pageSize int) (Page[InboxItem], error) {
	if !st.Is(domain.RoleInstitution) {
		return Page[InboxItem]{}, errStaffForbidden
	}
	page, size := consolePage(pageNo, pageSize)
	rows, total, err := c.db.ListInbox(ctx, st.InstitutionID, size, (page-1)*size)
	if err != nil {
		return Page[InboxItem]{}, domain.Internal(err)
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	keys, err := c.db.AttachmentKeys(ctx, ids)
	if err != nil {
		return Page[InboxItem]{}, domain.Internal(err)
	}
	items := make([]InboxItem, 0, len(rows))
	for _, r := range rows {
		full, err := c.pii.Open(r.IDNumberEnc.String)
		if err != nil {
			return Page[InboxItem]{}, domain.Internal(err)
		}
		mismatch := r.EmployerMismatch && domain.EmployerCheckApplies(r.Basis)
		items = append(items, InboxItem{ID: r.ID, PlanID: r.PlanID, PlanNo: r.PlanNo, PlanName: r.PlanName, Name: r.Name,
			IDTypeName: domain.IDTypeName(r.IDType), IDNumberMasked: domain.MaskIDNumber(full),
			BasisName: c.opts.BasisName(r.Basis), SubmittedAt: r.SubmittedAt.Time,
			Complete: domain.AttachmentsComplete(r.Basis, r.Education, mismatch, keys[r.ID])})
	}
	return Page[InboxItem]{Items: items, Total: total, Page: page, PageSize: size}, nil
}

// FindNextInInbox returns the oldest registration waiting for review in any plan of
// the staff member's institution, other than exceptID: plan and registration
// ids, zeros when none is left. Reviewing from the inbox goes on to it.
func (c *Core) FindNextInInbox(ctx context.Context, st *Staff, exceptID int64) (planID, regID int64, err error) {
	if !st.Is(domain.RoleInstitution) {
		return 0, 0, nil
	}
	rows, _, err := c.db.ListInbox(ctx, st.InstitutionID, 2, 0)
	if err != nil {
		return 0, 0, domain.Internal(err)
	}
	for _, r := range rows {
		if r.ID != exceptID {
			return r.PlanID, r.ID, nil
		}
	}
	return 0, 0, nil
}
