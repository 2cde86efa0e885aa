package core

import (
	"context"

	"skillcert/domain"
	"skillcert/repo"
)

// StaffFeedback is a supervision feedback as console staff see it. The
// institution whose plan it is about never sees it. For an anonymous feedback
// the supervisor sees no name and no contact; admins see the sender (kept for
// abuse control).
type StaffFeedback struct {
	FeedbackView
	Sender         string // who sent it: a name, "未实名考生", or "匿名"
	SenderRevealed bool   // an anonymous sender shown to an admin
	CandidateID    int64  // admins only; 0 otherwise
	Contact        string // the phone to call back on (contact preference phone), else ""
	ImageCount     int
	RepliedBy      string          // the replying supervisor's username
	CanReply       bool            // the reader may reply (a supervisor, until it is closed)
	NextStatuses   []domain.Option // the statuses the reader may move it to
}

// FeedbackQuery is a page of the console's feedback inbox.
// Pages are keyset pages, newest first: the first page, the page older than
// Before, the page newer than After, or the last (oldest) page. The export
// ignores the keys.
type FeedbackQuery struct {
	Status   string
	Category string
	Before   int64
	After    int64
	Last     bool
	PageSize int
}

// KeysetPage is one keyset page of a list, newest first.
type KeysetPage[T any] struct {
	Items []T
	// Total is the number of matching rows: exact, or an estimate beyond
	// ExactCount (TotalApprox).
	Total       int
	TotalApprox bool
	// Newer and Older are the keys of the neighbouring pages (0: none).
	Newer, Older int64
	IsFirst      bool // no newer rows
	IsLast       bool // no older rows
}

// keysetTrim cuts the extra row read past a page of size (rows were read with
// limit size+1 at key k) and places the page: whether it is the first or the
// last, and the keys of its neighbours.
func keysetTrim[T any](rows []T, id func(T) int64, k repo.ListKey, size int) ([]T, int64, int64, bool, bool) {
	towardsNewer := k.After > 0 || k.Last
	more := len(rows) > size
	if more {
		if towardsNewer {
			rows = rows[1:] // the extra one is the newest
		} else {
			rows = rows[:size]
		}
	}
	var isFirst, isLast bool
	if towardsNewer {
		isFirst, isLast = !more, k.Last
	} else {
		isFirst, isLast = k.Before <= 0, !more
	}
	var newer, older int64
	if len(rows) > 0 {
		if !isFirst {
			newer = id(rows[0])
		}
		if !isLast {
			older = id(rows[len(rows)-1])
		}
	}
	return rows, newer, older, isFirst, isLast
}

// feedbackFilter scopes the inbox to the reader: a supervisor their region, an
// admin every region; institutions have no inbox.
func feedbackFilter(st *Staff, q FeedbackQuery) (repo.FeedbackFilter, error) {
	f := repo.FeedbackFilter{Status: domain.FeedbackStatus(q.Status), Category: q.Category}
	switch {
	case st.Is(domain.RoleSupervisor) && st.Region != "":
		f.Region = st.Region
	case st.Is(domain.RoleAdmin):
	default:
		return f, errStaffForbidden
	}
	if !f.Status.Valid() {
		f.Status = ""
	}
	return f, nil
}

// SweepFeedbackRegions gives the feedback whose region is not its plan's the
// plan's (repo.DB.RepairFeedbackRegions: left by a rolling upgrade to
// migration 00032), and returns how many it mended.
func (c *Core) SweepFeedbackRegions(ctx context.Context) (int64, error) {
	return c.db.RepairFeedbackRegions(ctx)
}

// ListFeedbackInbox returns a keyset page of the feedback the reader may see,
// newest first, with its count (exact up to ExactCount, then estimated).
func (c *Core) ListFeedbackInbox(ctx context.Context, st *Staff, q FeedbackQuery) (KeysetPage[StaffFeedback], error) {
	f, err := feedbackFilter(st, q)
	if err != nil {
		return KeysetPage[StaffFeedback]{}, err
	}
	_, size := consolePage(1, q.PageSize)
	k := repo.ListKey{Before: max(0, q.Before), After: max(0, q.After), Last: q.Last}
	if k.After > 0 || k.Last {
		k.Before = 0
	}
	rows, err := c.db.FeedbackInbox(ctx, f, k, size+1) // one more tells whether the far side goes on
	if err != nil {
		return KeysetPage[StaffFeedback]{}, domain.Internal(err)
	}
	out := KeysetPage[StaffFeedback]{}
	rows, out.Newer, out.Older, out.IsFirst, out.IsLast = keysetTrim(rows, func(r repo.FeedbackRow) int64 { return r.ID }, k, size)
	out.Items = make([]StaffFeedback, 0, len(rows))
	for _, r := range rows {
		v, err := c.staffFeedback(st, r)
		if err != nil {
			return KeysetPage[StaffFeedback]{}, err
		}
		out.Items = append(out.Items, *v)
	}
	n, err := c.db.CountFeedbackInbox(ctx, f, ExactCount)
	if err != nil {
		return KeysetPage[StaffFeedback]{}, domain.Internal(err)
	}
	out.Total, out.TotalApprox = n.N, n.Approx
	return out, nil
}

// feedbackFor reads a feedback for st: the supervisor of its plan's region or
// an admin; anyone else (the plan's institution included) gets not found. Only
// the supervisor may act on it.
func (c *Core) feedbackFor(ctx context.Context, st *Staff, id int64, act bool) (repo.FeedbackRow, error) {
	f, err := c.db.Read().GetFeedback(ctx, id)
	if repo.IsNoRows(err) {
		return f, errFeedbackNotFound()
	}
	if err != nil {
		return f, domain.Internal(err)
	}
	switch {
	case st.Is(domain.RoleSupervisor) && st.Region != "" && f.SupervisionRegion == st.Region:
		return f, nil
	case st.Is(domain.RoleAdmin) && !act:
		return f, nil
	case st.Is(domain.RoleAdmin):
		return f, errStaffForbidden
	}
	return repo.FeedbackRow{}, errFeedbackNotFound()
}

// GetStaffFeedback returns one feedback with its photos; each view is audited.
func (c *Core) GetStaffFeedback(ctx context.Context, st *Staff, id int64) (*StaffFeedback, error) {
	f, err := c.feedbackFor(ctx, st, id, false)
	if err != nil {
		return nil, err
	}
	v, err := c.staffFeedback(st, f)
	if err != nil {
		return nil, err
	}
	if v.Images, err = c.feedbackImages(ctx, f.ID, true); err != nil {
		return nil, err
	}
	detail := "计划编号 " + f.PlanNo
	if v.SenderRevealed {
		detail += "，查看匿名反馈人"
	}
	c.auditNow(ctx, st, AuditFeedbackView, "feedback", f.ID, detail)
	return v, nil
}

// OpenStaffFeedbackImage returns a photo of a feedback the reader may see (never
// one the content check judged risky).
func (c *Core) OpenStaffFeedbackImage(ctx context.Context, st *Staff, feedbackID, imageID int64) (*AttachmentFile, error) {
	if _, err := c.feedbackFor(ctx, st, feedbackID, false); err != nil {
		return nil, err
	}
	return c.openFeedbackImage(ctx, feedbackID, imageID, true)
}

// staffFeedback builds the staff view of a row, hiding what the reader may not see.
func (c *Core) staffFeedback(st *Staff, f repo.FeedbackRow) (*StaffFeedback, error) {
	admin := st.Is(domain.RoleAdmin)
	phone, err := c.openPhone(f.ContactPhoneEnc.String, !admin)
	if err != nil {
		return nil, err
	}
	v := &StaffFeedback{FeedbackView: FeedbackView{ID: f.ID, Plan: feedbackPlan(f), Category: f.Category,
		CategoryName: c.opts.FeedbackCategoryName(f.Category), Content: f.Content, Images: []FeedbackImageView{},
		ContentCheck: f.ContentCheck, ContentCheckName: domain.ContentCheck(f.ContentCheck).Name(),
		ContactPref: f.ContactPref, ContactPrefName: domain.ContactPref(f.ContactPref).Name(),
		Anonymous: f.Anonymous, Status: string(f.Status), StatusName: f.Status.Name(),
		Reply: f.Reply, RepliedAt: timePtr(f.RepliedAt.Time, f.RepliedAt.Valid),
		CreatedAt: apiTime(f.CreatedAt), UpdatedAt: apiTime(f.UpdatedAt)},
		ImageCount: f.ImageCount, RepliedBy: f.ReplierName}
	name := f.SenderName
	if name == "" {
		name = "未实名考生"
	}
	switch {
	case !f.Anonymous:
		v.Sender = name
		if f.ContactPref == string(domain.ContactPhone) {
			v.Contact = phone
		}
	case admin:
		v.Sender, v.SenderRevealed = name, true
	default:
		v.Sender = "匿名"
	}
	if admin {
		v.CandidateID = f.CandidateID
	}
	if st.Is(domain.RoleSupervisor) {
		v.CanReply = f.Status != domain.FeedbackClosed
		for _, n := range f.Status.Next() {
			v.NextStatuses = append(v.NextStatuses, domain.Option{Code: string(n), Name: n.Name()})
		}
	}
	return v, nil
}
