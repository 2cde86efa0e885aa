package core

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/ratelimit"
	"skillcert/repo"
)

// Feedback limits: each candidate may send FeedbackPerDay feedback in a daily
// window (aligned on UTC midnight, 08:00 Beijing time); photos are at most
// DefaultFeedbackImageBytes each (or the attachment limit, when smaller), and
// may be added for FeedbackImageWindow after sending.
const (
	FeedbackPerDay            = 5
	DefaultFeedbackImageBytes = 5 << 20
	FeedbackImageWindow       = time.Hour
)

// FeedbackInput is a candidate's supervision feedback (外部督导情况反馈) as sent.
type FeedbackInput struct {
	CandidateID    int64
	RegistrationID int64  // one of the candidate's registrations, or 0
	PlanNo         string // the plan by its number, when RegistrationID is 0
	Category       string // a code of Options.FeedbackCategories
	Content        string // 10–500 characters
	ContactPref    string // domain.ContactPref; in_app when empty
	ContactPhone   string // for phone contact: the number, or "" for the bound phone
	Anonymous      bool   // the supervisor sees no name or contact
	Images         []ImageUpload
}

// ImageUpload is one photo sent with a feedback.
type ImageUpload struct {
	FileName string
	Body     io.Reader
}

// FeedbackImageBytes is the size limit of one feedback photo.
func (c *Core) FeedbackImageBytes() int64 {
	return min(int64(DefaultFeedbackImageBytes), c.reg.set.MaxUploadBytes)
}

func feedbackBucket(candidateID int64) string {
	return fmt.Sprintf("feedback:candidate:%d", candidateID)
}

func errFeedbackRateLimited(retry time.Duration) *domain.Error {
	return ratelimit.RateLimited("feedback_rate_limited",
		fmt.Sprintf("反馈提交过于频繁：每天最多提交%d条反馈，请稍后再试", FeedbackPerDay), retry)
}

// SubmitFeedback records a feedback about one of the candidate's registrations
// or a plan by number, with up to three photos (jpg/png by content, each under
// the size limit) stored through the blob store. Only accepted feedback counts
// toward the daily limit. The sender is kept even when anonymous.
func (c *Core) SubmitFeedback(ctx context.Context, in FeedbackInput) (*FeedbackView, error) {
	row, err := c.checkFeedback(ctx, &in)
	if err != nil {
		return nil, err
	}
	bucket := feedbackBucket(in.CandidateID)
	if blocked, retry, err := c.limiter.Blocked(ctx, bucket, FeedbackPerDay, 24*time.Hour); err != nil {
		c.log.Error("feedback rate limit unavailable", "err", err)
		return nil, ratelimit.ErrLimitsUnavailable()
	} else if blocked {
		return nil, errFeedbackRateLimited(retry)
	}
	if len(in.Images) > domain.MaxFeedbackImages {
		return nil, TooManyImages()
	}
	// WeChat's content check of the text, before anything is stored: risky is
	// refused at its field; unavailable keeps the text, marked unchecked.
	check, err := c.checkText(ctx, in.CandidateID, SceneComment, row.Content, "content")
	if err != nil {
		return nil, err
	}
	row.ContentCheck = string(check)
	staged, err := c.stageImages(ctx, in.Images)
	if err != nil {
		return nil, err
	}
	// Count only now, when everything was accepted. Redis down falls back to the
	// database; both down refuses (503) rather than letting feedback in unlimited.
	allowed, retry, err := c.limiter.Limit(ctx, bucket, FeedbackPerDay, 24*time.Hour)
	if err != nil {
		staged.discard()
		c.log.Error("feedback rate limit unavailable", "err", err)
		return nil, ratelimit.ErrLimitsUnavailable()
	} else if !allowed {
		staged.discard()
		return nil, errFeedbackRateLimited(retry)
	}
	images, err := c.storeImages(ctx, staged, func(tx repo.Tx, now time.Time) (int64, error) {
		row.CreatedAt, row.UpdatedAt = now, now
		err := tx.InsertFeedback(ctx, row)
		return row.ID, err
	})
	if err != nil {
		return nil, err
	}
	c.startMediaChecks(ctx, in.CandidateID, images)
	c.log.Info("feedback submitted", "feedback_id", row.ID, "plan_id", row.PlanID, "category", row.Category,
		"anonymous", row.Anonymous, "images", len(staged), "content_check", row.ContentCheck)
	return c.GetFeedback(ctx, in.CandidateID, row.ID)
}

// checkFeedback validates a feedback and resolves its plan: every bad field at
// once, then the registration or plan (not found when unknown or not theirs).
func (c *Core) checkFeedback(ctx context.Context, in *FeedbackInput) (*repo.Feedback, error) {
	var fe []domain.FieldError
	add := func(e error) { fe = append(fe, domain.FieldErrorsOf(e)...) }
	in.PlanNo = strings.TrimSpace(in.PlanNo)
	switch {
	case in.RegistrationID == 0 && in.PlanNo == "":
		add(domain.Invalid("plan_no", "target_required", "请选择要反馈的报名记录，或填写评价计划编号"))
	case in.RegistrationID != 0 && in.PlanNo != "":
		add(domain.Invalid("plan_no", "target_ambiguous", "请只选择报名记录或只填写评价计划编号，不要同时填写"))
	case in.RegistrationID < 0:
		add(domain.Invalid("registration_id", "invalid_id", "报名记录编号不正确"))
	}
	in.Category = strings.TrimSpace(in.Category)
	if in.Category == "" {
		add(domain.Invalid("category", "category_required", "请选择反馈类别"))
	} else if !c.opts.HasFeedbackCategory(in.Category) {
		add(domain.Invalid("category", "category_invalid", "反馈类别不正确，请重新选择"))
	}
	content, cerr := domain.CheckFeedbackContent(in.Content)
	add(cerr)
	pref := domain.ContactPref(strings.TrimSpace(in.ContactPref))
	if pref == "" {
		pref = domain.ContactInApp
	}
	switch {
	case !pref.Valid():
		add(domain.Invalid("contact_pref", "contact_pref_invalid", "回访方式不正确，请重新选择"))
	case pref == domain.ContactPhone && in.Anonymous:
		add(domain.Invalid("contact_pref", "anonymous_contact",
			"匿名反馈时监管部门看不到您的联系方式，请选择“小程序内答复”，或取消匿名"))
	}
	var phone string
	if pref == domain.ContactPhone && !in.Anonymous {
		p, err := c.contactPhone(ctx, in.CandidateID, in.ContactPhone, "contact_phone")
		if de, ok := domain.AsError(err); ok && de.Kind == domain.KindInvalid {
			add(de)
		} else if err != nil {
			return nil, err
		}
		phone = p
	}
	if err := domain.FieldsError(fe); err != nil {
		return nil, err
	}
	row := &repo.Feedback{CandidateID: in.CandidateID, Category: in.Category, Content: content,
		ContactPref: string(pref), Anonymous: in.Anonymous}
	if phone != "" {
		sealed, err := c.pii.Seal(phone)
		if err != nil {
			return nil, domain.Internal(err)
		}
		row.ContactPhoneEnc = sql.NullString{String: sealed, Valid: true}
	}
	return row, c.feedbackTarget(ctx, in, row)
}

// feedbackTarget sets the plan (and registration) a feedback is about.
func (c *Core) feedbackTarget(ctx context.Context, in *FeedbackInput, row *repo.Feedback) error {
	if in.RegistrationID != 0 {
		r, err := c.registrationOf(ctx, c.db.Read(), in.CandidateID, in.RegistrationID)
		if err != nil {
			if de, ok := domain.AsError(err); ok && de.Kind == domain.KindNotFound {
				de.Field = "registration_id"
			}
			return err
		}
		row.PlanID = r.PlanID
		row.RegistrationID = sql.NullInt64{Int64: r.ID, Valid: true}
		return nil
	}
	p, err := c.db.Read().GetPlanByNo(ctx, in.PlanNo)
	if repo.IsNoRows(err) || (err == nil && p.State == repo.PlanDraft) {
		e := domain.NotFound("plan_not_found", "评价计划编号不存在，请核对后重新填写")
		e.Field = "plan_no"
		return e
	}
	if err != nil {
		return domain.Internal(err)
	}
	row.PlanID = p.ID
	return nil
}
