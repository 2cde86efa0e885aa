package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"skillcert/blobstore"
	"skillcert/domain"
	"skillcert/repo"
)

// stagedImage is a feedback photo written to the blob store but not committed.
type stagedImage struct {
	name string
	ft   domain.FileType
	blob blobstore.Staged
}

type stagedImages []stagedImage

func (s stagedImages) discard() {
	for _, im := range s {
		_ = im.blob.Discard()
	}
}

func (s stagedImages) keys() []string {
	out := make([]string, 0, len(s))
	for _, im := range s {
		out = append(out, im.blob.Key())
	}
	return out
}

// TooManyImages is the answer to more than three photos on one feedback.
func TooManyImages() *domain.Error {
	return domain.Invalid("images", "too_many_images", fmt.Sprintf("每条反馈最多上传%d张图片", domain.MaxFeedbackImages))
}

func errImageTooLarge(limit int64) *domain.Error {
	e := domain.NewError(domain.KindTooLarge, "image_too_large", fmt.Sprintf("单张图片不能超过%s", sizeText(limit)))
	e.Field = "images"
	e.Fields = []domain.FieldError{{Field: "images", Code: e.Code, Message: e.Message}}
	return e
}

// ImageTooLarge is the answer to a feedback photo over the size limit, whichever
// layer (the HTTP body limit or the store) saw it first.
func (c *Core) ImageTooLarge() error { return errImageTooLarge(c.FeedbackImageBytes()) }

// stageImages checks each photo by content (jpg or png) and size and stages it;
// on any refusal nothing stays staged.
func (c *Core) stageImages(ctx context.Context, images []ImageUpload) (stagedImages, error) {
	if len(images) > 0 && c.reg.blobs == nil {
		return nil, errBlobsUnavailable()
	}
	if len(images) > 0 {
		if err := c.checkFreeSpace(); err != nil {
			return nil, err
		}
	}
	limit := c.FeedbackImageBytes()
	var out stagedImages
	for _, im := range images {
		ft, blob, err := sniffStage(ctx, c.reg.blobs, im.Body, limit, domain.IsFeedbackImage)
		if err != nil {
			out.discard()
			switch {
			case errors.Is(err, errUploadEmpty):
				return nil, domain.Invalid("images", "image_empty", "图片内容为空，请重新选择")
			case errors.Is(err, errUploadUnreadable):
				return nil, domain.Invalid("images", "image_unreadable", "图片上传不完整，请重试")
			case errors.Is(err, errUploadType):
				return nil, domain.Invalid("images", "image_type", "图片仅支持 jpg、png 格式（按文件内容识别，改扩展名无效）")
			case errors.Is(err, errTooLarge):
				return nil, errImageTooLarge(limit)
			}
			return nil, err
		}
		out = append(out, stagedImage{name: im.FileName, ft: ft, blob: blob})
	}
	return out, nil
}

// storeImages commits staged photos and, in one transaction, runs parent (which
// writes or locks the feedback and returns its id) and inserts the photo rows.
// The blob keys stay locked throughout, so a deletion of the same content by an
// attachment cannot slip in; on failure the blobs no row refers to are removed.
//
// Each photo starts pending its content check (with the token of its fetch
// URL) when checks are on, else unchecked; the rows are returned for
// startMediaChecks.
func (c *Core) storeImages(ctx context.Context, staged stagedImages, parent func(tx repo.Tx, now time.Time) (int64, error)) ([]repo.FeedbackImage, error) {
	unlock := c.reg.locks.lockAll(staged.keys())
	defer unlock()
	for i, im := range staged {
		if err := im.blob.Commit(); err != nil {
			staged[i:].discard()
			c.dropBlobs(ctx, staged[:i].keys())
			return nil, domain.Internal(fmt.Errorf("store feedback image: %w", err))
		}
	}
	now := c.dbNow()
	var rows []repo.FeedbackImage
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		id, err := parent(tx, now)
		if err != nil {
			return err
		}
		rows = rows[:0]
		for _, im := range staged {
			row := repo.FeedbackImage{FeedbackID: id, FileName: domain.CleanFileName(im.name, im.ft),
				ContentType: im.ft.ContentType, Size: im.blob.Size(), BlobKey: im.blob.Key(), UploadedAt: now,
				CheckStatus: string(domain.CheckUnchecked)}
			if c.mediaChecksOn() {
				row.CheckStatus, row.CheckToken = string(domain.CheckPending), newCheckToken()
			}
			if err := tx.InsertFeedbackImage(ctx, &row); err != nil {
				return err
			}
			rows = append(rows, row)
		}
		return nil
	})
	if err != nil {
		c.dropBlobs(ctx, staged.keys())
		return nil, asDomainError(err)
	}
	return rows, nil
}

// dropBlobs removes the blobs of keys that no row refers to (keys locked by the caller).
func (c *Core) dropBlobs(ctx context.Context, keys []string) {
	for _, k := range keys {
		c.dropUnreferenced(ctx, k)
	}
}

// AddFeedbackImages adds photos to one of the candidate's feedback, while it is
// still 已提交 and within FeedbackImageWindow of sending, up to three in all. (The
// mini-program uploads one file a request, so it sends the text first and the
// photos after.)
func (c *Core) AddFeedbackImages(ctx context.Context, candidateID, feedbackID int64, images []ImageUpload) (*FeedbackView, error) {
	if len(images) == 0 {
		return nil, domain.Invalid("images", "images_required", "请选择要上传的图片")
	}
	check := func(l repo.FeedbackLock, have int) error {
		switch {
		case l.Status != domain.FeedbackSubmitted:
			return domain.Conflict("feedback_in_progress", "反馈已在办理中，不能再补充图片")
		case c.now().After(l.CreatedAt.Add(FeedbackImageWindow)):
			return domain.Conflict("feedback_images_closed", "反馈提交已超过1小时，不能再补充图片")
		case have+len(images) > domain.MaxFeedbackImages:
			return TooManyImages()
		}
		return nil
	}
	if err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		l, have, err := c.lockOwnFeedback(ctx, tx, candidateID, feedbackID)
		if err != nil {
			return err
		}
		return check(l, have)
	}); err != nil {
		return nil, asDomainError(err)
	}
	staged, err := c.stageImages(ctx, images)
	if err != nil {
		return nil, err
	}
	rows, err := c.storeImages(ctx, staged, func(tx repo.Tx, _ time.Time) (int64, error) {
		l, have, err := c.lockOwnFeedback(ctx, tx, candidateID, feedbackID)
		if err != nil {
			return 0, err
		}
		return feedbackID, check(l, have)
	})
	if err != nil {
		return nil, err
	}
	c.startMediaChecks(ctx, candidateID, rows)
	return c.GetFeedback(ctx, candidateID, feedbackID)
}

// lockOwnFeedback locks one of the candidate's feedback and counts its photos.
func (c *Core) lockOwnFeedback(ctx context.Context, tx repo.Tx, candidateID, id int64) (repo.FeedbackLock, int, error) {
	l, err := tx.LockFeedback(ctx, id)
	if repo.IsNoRows(err) || (err == nil && l.CandidateID != candidateID) {
		return l, 0, errFeedbackNotFound()
	}
	if err != nil {
		return l, 0, err
	}
	n, err := tx.CountFeedbackImages(ctx, id)
	return l, n, err
}

// openFeedbackImage returns the bytes of a photo of a feedback already checked
// for the reader. Close Body.
func (c *Core) openFeedbackImage(ctx context.Context, feedbackID, imageID int64, forStaff bool) (*AttachmentFile, error) {
	if c.reg.blobs == nil {
		return nil, errBlobsUnavailable()
	}
	im, err := c.db.Read().GetFeedbackImage(ctx, feedbackID, imageID)
	if repo.IsNoRows(err) || (err == nil && forStaff && domain.ContentCheck(im.CheckStatus) == domain.CheckRisky) {
		return nil, domain.NotFound("image_not_found", "图片不存在")
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

// OpenOwnFeedbackImage returns a photo of one of the candidate's feedback.
func (c *Core) OpenOwnFeedbackImage(ctx context.Context, candidateID, feedbackID, imageID int64) (*AttachmentFile, error) {
	if _, err := c.ownFeedback(ctx, candidateID, feedbackID); err != nil {
		return nil, err
	}
	return c.openFeedbackImage(ctx, feedbackID, imageID, false)
}
