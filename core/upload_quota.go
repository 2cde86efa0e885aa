package core

import (
	"context"
	"fmt"

	"skillcert/blobstore"
	"skillcert/domain"
	"skillcert/repo"
)

// errNoStorage is the answer to an upload while the attachment store is short
// of free space (507): nothing is written until an operator makes room.
func errNoStorage() *domain.Error {
	return domain.NewError(domain.KindNoStorage, "insufficient_storage", "服务器存储空间不足，暂时无法上传文件，请稍后再试")
}

// checkFreeSpace refuses uploads while the attachment store (when it can tell)
// has less than MinFreeBytes free.
func (c *Core) checkFreeSpace() error {
	fs, ok := c.reg.blobs.(blobstore.FreeSpacer)
	if !ok || c.reg.set.MinFreeBytes < 0 {
		return nil
	}
	free, err := fs.FreeBytes()
	if err != nil {
		c.log.Warn("attachment store free space unknown", "err", err)
		return nil
	}
	if free < uint64(c.reg.set.MinFreeBytes) {
		c.log.Error("attachment store below its free-space floor: uploads refused",
			"free_mb", free>>20, "floor_mb", c.reg.set.MinFreeBytes>>20)
		return errNoStorage()
	}
	return nil
}

// checkCandidateQuota refuses adding size bytes when the candidate's
// attachments over all registrations would pass MaxCandidateBytes.
func (c *Core) checkCandidateQuota(ctx context.Context, q repo.Reader, candidateID, size int64) error {
	used, err := q.CandidateAttachmentBytes(ctx, candidateID)
	if err != nil {
		return domain.Internal(err)
	}
	limit := c.reg.set.MaxCandidateBytes
	if used+size > limit || (size == 0 && used >= limit) {
		e := domain.Conflict("attachment_quota",
			fmt.Sprintf("您的附件总大小已达上限（%s），请删除不需要的附件后再上传", sizeText(limit)))
		e.Field = "file"
		return e
	}
	return nil
}
