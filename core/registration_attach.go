package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"skillcert/blobstore"
	"skillcert/domain"
	"skillcert/repo"
)

// AttachmentView is one row of a registration's 附件列表: 序号, 文件名称, 上传时间,
// its size and the checklist item it is for.
type AttachmentView struct {
	ID          int64     `json:"id"`
	Seq         int       `json:"seq"`
	FileName    string    `json:"file_name"`
	UploadedAt  time.Time `json:"uploaded_at"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type"`
	Item        string    `json:"item"`
	ItemName    string    `json:"item_name"`
}

// UploadRequest adds an attachment to a candidate's registration.
type UploadRequest struct {
	CandidateID    int64
	RegistrationID int64
	Item           string    // a key of the registration's checklist
	FileName       string    // as the client named it; cleaned before it is stored
	Body           io.Reader // the bytes; read up to the size limit
}

// AttachmentRef names one attachment of one registration.
type AttachmentRef struct {
	RegistrationID int64
	AttachmentID   int64
}

func errAttachmentNotFound() *domain.Error {
	return domain.NotFound("attachment_not_found", "附件不存在")
}

func errBlobsUnavailable() *domain.Error {
	return domain.NewError(domain.KindUnavailable, "attachments_unavailable", "附件存储暂不可用，请稍后再试")
}

// errTooLarge is the read error of a body over the limit.
var errTooLarge = errors.New("attachment over the size limit")

// AddAttachment stores an uploaded file for a checklist item of a draft or
// returned registration. The type comes from the content (zip, pdf, jpg, png),
// never from the name; the size and the number of files per registration are
// limited. The bytes go to the blob store (content-addressed, written
// atomically) and the row to the database: both exist or neither does.
func (c *Core) AddAttachment(ctx context.Context, req UploadRequest) (*AttachmentView, error) {
	if c.reg.blobs == nil {
		return nil, errBlobsUnavailable()
	}
	r, err := c.registrationOf(ctx, c.db.Read(), req.CandidateID, req.RegistrationID)
	if err != nil {
		return nil, err
	}
	if err := c.canAttach(ctx, c.db.Read(), r, req.Item); err != nil {
		return nil, err
	}
	if err := c.checkFreeSpace(); err != nil {
		return nil, err
	}
	if err := c.checkCandidateQuota(ctx, c.db.Read(), req.CandidateID, 0); err != nil {
		return nil, err
	}
	ft, staged, err := c.stageUpload(ctx, req.Body)
	if err != nil {
		return nil, err
	}
	unlock := c.reg.locks.lock(staged.Key())
	defer unlock()
	if err := staged.Commit(); err != nil {
		_ = staged.Discard()
		return nil, domain.Internal(fmt.Errorf("store attachment: %w", err))
	}
	a := repo.Attachment{RegistrationID: r.ID, ItemKey: req.Item, FileName: domain.CleanFileName(req.FileName, ft),
		ContentType: ft.ContentType, Size: staged.Size(), BlobKey: staged.Key(), UploadedAt: c.dbNow()}
	seq := 0
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		r, err := c.lockRegistrationOf(ctx, tx, req.CandidateID, req.RegistrationID)
		if err != nil {
			return err
		}
		if err := c.canAttach(ctx, tx.Reader, r, req.Item); err != nil {
			return err
		}
		if err := c.checkCandidateQuota(ctx, tx.Reader, req.CandidateID, a.Size); err != nil {
			return err
		}
		if err := tx.InsertAttachment(ctx, &a); err != nil {
			return err
		}
		if seq, err = tx.CountAttachments(ctx, r.ID); err != nil {
			return err
		}
		return tx.TouchRegistration(ctx, r.ID, a.UploadedAt)
	})
	if err != nil {
		c.dropUnreferenced(ctx, a.BlobKey)
		return nil, asDomainError(err)
	}
	c.log.Info("attachment added", "registration_id", r.ID, "attachment_id", a.ID, "item", a.ItemKey, "size", a.Size)
	return attachmentView(a, seq), nil
}

// canAttach checks that a registration takes one more file for an item.
func (c *Core) canAttach(ctx context.Context, q repo.Reader, r repo.Registration, item string) error {
	if st := r.Status; !st.EditableByCandidate() {
		return errNotEditable(st)
	}
	if s := scopeOf(r); item != "" && !s.item(item) {
		return errItemLocked(s)
	}
	items, err := c.checklistOf(ctx, q, r)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(items, func(it ChecklistEntry) bool { return it.Key == item }) {
		if item == "" {
			return domain.Invalid("item", "item_required", "请选择附件对应的材料类别")
		}
		return domain.Invalid("item", "item_invalid", "附件类别不在本报名的附件清单中，请按清单选择")
	}
	n, err := q.CountAttachments(ctx, r.ID)
	if err != nil {
		return err
	}
	if n >= c.reg.set.MaxAttachments {
		return domain.Conflict("too_many_attachments",
			fmt.Sprintf("每个报名最多上传%d个附件，请删除不需要的附件或合并压缩后上传", c.reg.set.MaxAttachments))
	}
	return nil
}

// stageUpload recognises the type from the first bytes and stages the body
// under the size limit.
func (c *Core) stageUpload(ctx context.Context, body io.Reader) (domain.FileType, blobstore.Staged, error) {
	limit := c.reg.set.MaxUploadBytes
	ft, staged, err := sniffStage(ctx, c.reg.blobs, body, limit, func(domain.FileType) bool { return true })
	switch {
	case errors.Is(err, errUploadUnreadable):
		return ft, nil, domain.Invalid("file", "file_unreadable", "文件上传不完整，请重试")
	case errors.Is(err, errUploadEmpty):
		return ft, nil, domain.Invalid("file", "file_empty", "文件内容为空，请重新选择文件")
	case errors.Is(err, errUploadType):
		return ft, nil, domain.Invalid("file", "file_type",
			"仅支持上传"+domain.AcceptedFileTypesText+"格式的文件（按文件内容识别，改扩展名无效）")
	case errors.Is(err, errTooLarge):
		return ft, nil, FileTooLarge(limit)
	}
	return ft, staged, err
}

// FileTooLarge is the answer to an upload over the size limit, whichever layer
// (the HTTP body limit or the store) saw it first.
func FileTooLarge(limit int64) *domain.Error {
	e := domain.NewError(domain.KindTooLarge, "file_too_large", fmt.Sprintf("单个附件不能超过%s", sizeText(limit)))
	e.Field = "file"
	e.Fields = []domain.FieldError{{Field: "file", Code: e.Code, Message: e.Message}}
	return e
}

// sizeText writes a byte count as people read a limit: "20MB", "512KB".
func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%dMB", n>>20)
	}
	return fmt.Sprintf("%dKB", (n+1023)>>10)
}

// capped reads at most left bytes and fails with errTooLarge past them.
type capped struct {
	r    io.Reader
	left int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return 0, errTooLarge
	}
	return n, err
}

// ListAttachments returns the 附件列表 of one of the candidate's registrations.
func (c *Core) ListAttachments(ctx context.Context, candidateID, registrationID int64) ([]AttachmentView, error) {
	r, err := c.registrationOf(ctx, c.db.Read(), candidateID, registrationID)
	if err != nil {
		return nil, err
	}
	atts, err := c.db.Read().ListAttachments(ctx, r.ID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	out := make([]AttachmentView, 0, len(atts))
	for i, a := range atts {
		out = append(out, *attachmentView(a, i+1))
	}
	return out, nil
}

func attachmentView(a repo.Attachment, seq int) *AttachmentView {
	return &AttachmentView{ID: a.ID, Seq: seq, FileName: a.FileName, UploadedAt: apiTime(a.UploadedAt), Size: a.Size,
		ContentType: a.ContentType, Item: a.ItemKey, ItemName: domain.ChecklistItemName(a.ItemKey)}
}

// DeleteAttachment removes an attachment of a draft or returned registration;
// its bytes go when no other attachment shares them.
func (c *Core) DeleteAttachment(ctx context.Context, candidateID int64, ref AttachmentRef) error {
	var key string
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		r, err := c.lockRegistrationOf(ctx, tx, candidateID, ref.RegistrationID)
		if err != nil {
			return err
		}
		a, err := tx.GetAttachment(ctx, r.ID, ref.AttachmentID)
		if repo.IsNoRows(err) {
			return errAttachmentNotFound()
		}
		if err != nil {
			return err
		}
		if st := r.Status; !st.EditableByCandidate() {
			return errNotEditable(st)
		}
		if s := scopeOf(r); !s.item(a.ItemKey) {
			return errItemLocked(s)
		}
		if _, err := tx.DeleteAttachment(ctx, r.ID, a.ID); err != nil {
			return err
		}
		key = a.BlobKey
		return tx.TouchRegistration(ctx, r.ID, c.dbNow())
	})
	if err != nil {
		return asDomainError(err)
	}
	unlock := c.reg.locks.lock(key)
	defer unlock()
	c.dropUnreferenced(ctx, key)
	return nil
}

// dropUnreferenced deletes a blob no attachment row refers to. Callers hold the
// key's lock, so an upload of the same content cannot slip in between.
func (c *Core) dropUnreferenced(ctx context.Context, key string) (dropped bool) {
	n, err := c.db.BlobRefs(ctx, key)
	if err == nil && n == 0 && c.reg.blobs != nil {
		err = c.reg.blobs.Delete(ctx, key)
		dropped = err == nil
	}
	if err != nil {
		c.log.Warn("attachment blob cleanup", "blob", key, "err", err)
	}
	return dropped
}
