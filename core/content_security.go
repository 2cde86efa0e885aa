package core

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"skillcert/domain"
	"skillcert/repo"
)

// ContentSecurity is what core needs of WeChat's content security; the
// adapter (wechat.Client, wrapped by the server's wiring) implements it.
type ContentSecurity interface {
	// CheckText runs msgSecCheck (version 2) and returns its verdict:
	// domain.CheckPass, CheckReview or CheckRisky.
	CheckText(ctx context.Context, t TextCheck) (domain.ContentCheck, error)
	// CheckMediaAsync submits a photo to mediaCheckAsync (version 2) and returns
	// the trace id its verdict will carry.
	CheckMediaAsync(ctx context.Context, m MediaCheck) (traceID string, err error)
}

// Content-security scenes (WeChat's values).
const (
	SceneProfile = 1 // 资料
	SceneComment = 2 // 评论: supervision feedback, notes to staff
)

// TextCheck is a text written by the person with OpenID.
type TextCheck struct {
	OpenID  string
	Scene   int
	Content string
}

// MediaCheck is a photo WeChat fetches from URL, sent by the person with OpenID.
type MediaCheck struct {
	OpenID string
	Scene  int
	URL    string
}

func errContentRisky(field string) *domain.Error {
	return domain.Invalid(field, "content_risky", "内容可能含有违法违规信息，未能提交，请修改后再试")
}

// checkText runs the content check of a text a candidate wrote for staff to
// read. A risky text is refused at field; when the check cannot be made (no
// WeChat, no openid, WeChat down) the text is kept and marked unchecked. The
// text is never logged.
func (c *Core) checkText(ctx context.Context, candidateID int64, scene int, text, field string) (domain.ContentCheck, error) {
	if text == "" {
		return domain.CheckPass, nil // nothing written, nothing to check
	}
	if c.security == nil {
		return domain.CheckUnchecked, nil
	}
	openID := c.candidateOpenID(ctx, candidateID)
	if openID == "" {
		return domain.CheckUnchecked, nil
	}
	v, err := c.security.CheckText(ctx, TextCheck{OpenID: openID, Scene: scene, Content: text})
	switch {
	case err != nil:
		c.log.Warn("content check unavailable: text kept unchecked", "candidate_id", candidateID, "field", field, "err", err)
		return domain.CheckUnchecked, nil
	case v == domain.CheckRisky:
		c.log.Info("content check refused a text", "candidate_id", candidateID, "field", field)
		return "", errContentRisky(field)
	case v == domain.CheckPass || v == domain.CheckReview:
		return v, nil
	}
	return domain.CheckUnchecked, nil
}

// candidateOpenID is the candidate's mini-program openid ("" when unknown).
func (c *Core) candidateOpenID(ctx context.Context, candidateID int64) string {
	cand, err := c.db.Read().GetCandidate(ctx, candidateID)
	if err != nil {
		return ""
	}
	return cand.OpenID
}

// mediaChecksOn tells whether new photos are sent for checking; when they are,
// each gets a fetch token and starts pending.
func (c *Core) mediaChecksOn() bool { return c.security != nil && c.mediaCheckBase != "" }

// newCheckToken is the secret of one photo's fetch URL.
func newCheckToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// startMediaChecks submits the pending photos of a feedback to WeChat. A photo
// whose check cannot be submitted stays visible, marked unchecked.
func (c *Core) startMediaChecks(ctx context.Context, candidateID int64, images []repo.FeedbackImage) {
	if len(images) == 0 {
		return
	}
	openID := c.candidateOpenID(ctx, candidateID)
	for _, im := range images {
		if im.CheckStatus != string(domain.CheckPending) {
			continue
		}
		var trace string
		err := fmt.Errorf("the sender has no openid")
		if openID != "" {
			trace, err = c.security.CheckMediaAsync(ctx, MediaCheck{OpenID: openID, Scene: SceneComment,
				URL: c.mediaCheckBase + "/wechat/media-check/" + im.CheckToken})
		}
		if err == nil {
			err = c.db.SetFeedbackImageTrace(ctx, im.ID, trace)
		}
		if err != nil {
			c.log.Warn("media check unavailable: photo kept unchecked", "feedback_id", im.FeedbackID, "image_id", im.ID, "err", err)
			if _, err := c.db.Write().EndFeedbackImageCheck(ctx, im.ID, string(domain.CheckUnchecked)); err != nil {
				c.log.Error("mark photo unchecked", "image_id", im.ID, "err", err)
			}
		}
	}
}

// OpenMediaForCheck returns the photo WeChat fetches to check it: only while its
// check is pending, and only by the secret token of its URL.
func (c *Core) OpenMediaForCheck(ctx context.Context, token string) (*AttachmentFile, error) {
	notFound := domain.NotFound("media_not_found", "图片不存在或检测已结束")
	if len(token) != 64 || c.reg.blobs == nil {
		return nil, notFound
	}
	im, err := c.db.FeedbackImageByToken(ctx, token)
	if repo.IsNoRows(err) {
		return nil, notFound
	}
	if err != nil {
		return nil, domain.Internal(err)
	}
	body, err := c.reg.blobs.Open(ctx, im.BlobKey)
	if err != nil {
		return nil, domain.Internal(fmt.Errorf("open feedback image %d: %w", im.ID, err))
	}
	return &AttachmentFile{FileName: im.FileName, ContentType: im.ContentType, Size: im.Size, Body: body}, nil
}

// MediaVerdict is WeChat's verdict on a photo, from a wxa_media_check event.
type MediaVerdict struct {
	TraceID string
	Suggest string // pass, review, risky; "" when WeChat could not check it
	ErrCode int
}

// ErrUnknownTrace is the answer to a verdict whose trace id no photo has (yet):
// the callback answers so that WeChat retries it.
var ErrUnknownTrace = domain.NewError(domain.KindUnavailable, "trace_unknown", "检测结果暂时无法处理，请稍后重试")

// ApplyMediaVerdict records WeChat's verdict on a photo. A risky photo is hidden
// from staff from then on, and its sender is told (an outbox event, in the same
// transaction). A verdict already recorded (WeChat's retries) changes nothing.
func (c *Core) ApplyMediaVerdict(ctx context.Context, v MediaVerdict) error {
	status := domain.ContentCheck(v.Suggest)
	if v.ErrCode != 0 || (status != domain.CheckPass && status != domain.CheckReview && status != domain.CheckRisky) {
		status = domain.CheckUnchecked
	}
	im, err := c.db.Read().FeedbackImageByTrace(ctx, v.TraceID)
	if repo.IsNoRows(err) {
		return ErrUnknownTrace
	}
	if err != nil {
		return domain.Internal(err)
	}
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		ok, err := tx.EndFeedbackImageCheck(ctx, im.ID, string(status))
		if err != nil || !ok || status != domain.CheckRisky {
			return err
		}
		seq, err := c.imageSeq(ctx, tx.Reader, im.FeedbackID, im.ID)
		if err != nil {
			return err
		}
		return c.EnqueueEvent(ctx, tx, Event{Kind: domain.EventFeedbackImageRejected, CandidateID: im.CandidateID,
			RegistrationID: im.RegistrationID.Int64, PlanID: im.PlanID,
			Payload: map[string]any{"feedback_id": im.FeedbackID,
				"note": fmt.Sprintf("反馈图片%d未通过内容安全检测，不会提交给监管部门", seq)},
			Key: fmt.Sprintf("%d", im.ID)})
	})
	if err != nil {
		return asDomainError(err)
	}
	c.log.Info("media check verdict", "feedback_id", im.FeedbackID, "image_id", im.ID, "status", string(status))
	return nil
}

// imageSeq is a photo's number within its feedback (1-based, upload order).
func (c *Core) imageSeq(ctx context.Context, q repo.Reader, feedbackID, imageID int64) (int, error) {
	rows, err := q.ListFeedbackImages(ctx, feedbackID)
	if err != nil {
		return 0, err
	}
	for i, r := range rows {
		if r.ID == imageID {
			return i + 1, nil
		}
	}
	return 0, nil
}
