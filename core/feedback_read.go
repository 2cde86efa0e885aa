package core

import (
	"context"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// FeedbackView is a supervision feedback as its sender sees it: what was sent,
// the plan it is about, and the supervisor's handling (status and reply). The
// replying supervisor is not named.
type FeedbackView struct {
	ID             int64        `json:"id"`
	Plan           FeedbackPlan `json:"plan"`
	RegistrationID *int64       `json:"registration_id"`
	Category       string       `json:"category"`
	CategoryName   string       `json:"category_name"`
	Content        string       `json:"content"`
	// ContentCheck is WeChat's content check of the text (domain.ContentCheck):
	// pass, review, or unchecked when the check was unavailable.
	ContentCheck       string              `json:"content_check"`
	ContentCheckName   string              `json:"content_check_name"`
	Images             []FeedbackImageView `json:"images"`
	ContactPref        string              `json:"contact_pref"`
	ContactPrefName    string              `json:"contact_pref_name"`
	ContactPhoneMasked string              `json:"contact_phone_masked"`
	Anonymous          bool                `json:"anonymous"`
	Status             string              `json:"status"`
	StatusName         string              `json:"status_name"`
	Reply              string              `json:"reply"`
	RepliedAt          *time.Time          `json:"replied_at"`
	CreatedAt          time.Time           `json:"created_at"`
	UpdatedAt          time.Time           `json:"updated_at"`
}

// FeedbackPlan is the plan a feedback is about.
type FeedbackPlan struct {
	ID                int64  `json:"id"`
	PlanNo            string `json:"plan_no"`
	PlanName          string `json:"plan_name"`
	OccupationName    string `json:"occupation_name"`
	Level             int    `json:"level"`
	LevelName         string `json:"level_name"`
	InstitutionName   string `json:"institution_name"`
	SupervisionRegion string `json:"supervision_region"`
}

// FeedbackImageView is one photo of a feedback.
type FeedbackImageView struct {
	ID          int64     `json:"id"`
	Seq         int       `json:"seq"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	UploadedAt  time.Time `json:"uploaded_at"`
	// CheckStatus is the photo's content check (domain.ContentCheck); a risky
	// photo is listed to its sender only, never to staff.
	CheckStatus     string `json:"check_status"`
	CheckStatusName string `json:"check_status_name"`
}

func errFeedbackNotFound() *domain.Error {
	return domain.NotFound("feedback_not_found", "反馈不存在")
}

// ownFeedback reads one of the candidate's feedback: not found when it does not
// exist or is someone else's.
func (c *Core) ownFeedback(ctx context.Context, candidateID, id int64) (repo.FeedbackRow, error) {
	f, err := c.db.Read().GetFeedback(ctx, id)
	if repo.IsNoRows(err) || (err == nil && f.CandidateID != candidateID) {
		return repo.FeedbackRow{}, errFeedbackNotFound()
	}
	if err != nil {
		return repo.FeedbackRow{}, domain.Internal(err)
	}
	return f, nil
}

// GetFeedback returns one of the candidate's feedback.
func (c *Core) GetFeedback(ctx context.Context, candidateID, id int64) (*FeedbackView, error) {
	f, err := c.ownFeedback(ctx, candidateID, id)
	if err != nil {
		return nil, err
	}
	return c.feedbackView(ctx, f)
}

// ListFeedback returns the candidate's feedback, newest first, with replies.
func (c *Core) ListFeedback(ctx context.Context, candidateID int64, q ListQuery) (Page[FeedbackView], error) {
	if err := q.normalize(); err != nil {
		return Page[FeedbackView]{}, err
	}
	rows, total, err := c.db.ListCandidateFeedback(ctx, candidateID, q.PageSize, (q.Page-1)*q.PageSize)
	if err != nil {
		return Page[FeedbackView]{}, domain.Internal(err)
	}
	out := Page[FeedbackView]{Items: make([]FeedbackView, 0, len(rows)), Total: total, Page: q.Page, PageSize: q.PageSize}
	for _, f := range rows {
		v, err := c.feedbackView(ctx, f)
		if err != nil {
			return Page[FeedbackView]{}, err
		}
		out.Items = append(out.Items, *v)
	}
	return out, nil
}

// feedbackView builds the sender's view of a feedback (the contact phone masked).
func (c *Core) feedbackView(ctx context.Context, f repo.FeedbackRow) (*FeedbackView, error) {
	images, err := c.feedbackImages(ctx, f.ID, false)
	if err != nil {
		return nil, err
	}
	phone, err := c.openPhone(f.ContactPhoneEnc.String, false)
	if err != nil {
		return nil, err
	}
	v := &FeedbackView{ID: f.ID, Plan: feedbackPlan(f), Category: f.Category,
		CategoryName: c.opts.FeedbackCategoryName(f.Category), Content: f.Content, Images: images,
		ContentCheck: f.ContentCheck, ContentCheckName: domain.ContentCheck(f.ContentCheck).Name(),
		ContactPref: f.ContactPref, ContactPrefName: domain.ContactPref(f.ContactPref).Name(),
		ContactPhoneMasked: phone, Anonymous: f.Anonymous, Status: string(f.Status),
		StatusName: f.Status.Name(), Reply: f.Reply,
		RepliedAt: timePtr(f.RepliedAt.Time, f.RepliedAt.Valid), CreatedAt: apiTime(f.CreatedAt),
		UpdatedAt: apiTime(f.UpdatedAt)}
	if f.RegistrationID.Valid {
		id := f.RegistrationID.Int64
		v.RegistrationID = &id
	}
	return v, nil
}

func feedbackPlan(f repo.FeedbackRow) FeedbackPlan {
	return FeedbackPlan{ID: f.PlanID, PlanNo: f.PlanNo, PlanName: f.PlanName, OccupationName: f.OccupationName,
		Level: f.Level, LevelName: domain.Level(f.Level).Name(), InstitutionName: f.InstitutionName,
		SupervisionRegion: f.SupervisionRegion}
}

// feedbackImages lists a feedback's photos with their sequence numbers; for
// staff without the photos judged risky by the content check.
func (c *Core) feedbackImages(ctx context.Context, feedbackID int64, forStaff bool) ([]FeedbackImageView, error) {
	rows, err := c.db.Read().ListFeedbackImages(ctx, feedbackID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	out := make([]FeedbackImageView, 0, len(rows))
	for _, im := range rows {
		if forStaff && domain.ContentCheck(im.CheckStatus) == domain.CheckRisky {
			continue
		}
		out = append(out, FeedbackImageView{ID: im.ID, Seq: len(out) + 1, FileName: im.FileName,
			ContentType: im.ContentType, Size: im.Size, UploadedAt: apiTime(im.UploadedAt),
			CheckStatus: im.CheckStatus, CheckStatusName: domain.ContentCheck(im.CheckStatus).Name()})
	}
	return out, nil
}
