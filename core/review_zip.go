package core

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"strings"

	"skillcert/domain"
	"skillcert/repo"
)

// Audited actions of the reviewing tools (issue 15 point 9).
const (
	AuditAttachmentsZip = "attachments.zip"
	AuditCodesExport    = "codes.export"
)

// reviewAuditActions are listed after the older actions in the audit filter.
var reviewAuditActions = []string{AuditAttachmentsZip, AuditCodesExport}

func init() {
	auditNames[AuditAttachmentsZip] = "下载计划全部附件"
	auditNames[AuditCodesExport] = "导出报名码"
}

// PlanAttachments is every attachment of one plan, ready to be written as a zip.
type PlanAttachments struct {
	PlanNo string
	Count  int

	c    *Core
	atts []repo.PlanAttachment
}

// OpenPlanAttachments gathers the attachments of a plan's registrations for
// its own institution, and audits the download.
func (c *Core) OpenPlanAttachments(ctx context.Context, st *Staff, planID int64) (*PlanAttachments, error) {
	if c.reg.blobs == nil {
		return nil, errBlobsUnavailable()
	}
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Act)
	if err != nil {
		return nil, err
	}
	atts, err := c.db.ListPlanAttachments(ctx, p.ID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	c.auditNow(ctx, st, AuditAttachmentsZip, "plan", p.ID, fmt.Sprintf("计划编号 %s，%d 个附件", p.PlanNo, len(atts)))
	return &PlanAttachments{PlanNo: p.PlanNo, Count: len(atts), c: c, atts: atts}, nil
}

// storedTypes are compressed already: stored as they are, which spares the CPU.
var storedTypes = map[string]bool{"image/jpeg": true, "image/png": true, "application/pdf": true,
	"application/zip": true, "application/x-zip-compressed": true}

// WriteZip streams the attachments into w as one zip, one folder per
// registration ("<报名号>_<姓名>/<附件项>_<文件名>"), one file at a time: memory
// stays flat whatever the plan's size.
func (pa *PlanAttachments) WriteZip(ctx context.Context, w io.Writer) error {
	zw := zip.NewWriter(w)
	for _, a := range pa.atts {
		if err := ctx.Err(); err != nil {
			return err
		}
		method := zip.Deflate
		if storedTypes[a.ContentType] {
			method = zip.Store
		}
		name := fmt.Sprintf("%d_%s/%s_%s", a.RegistrationID, zipSafe(a.Name),
			zipSafe(domain.ChecklistItemName(a.ItemKey)), zipSafe(a.FileName))
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: a.UploadedAt})
		if err != nil {
			return err
		}
		body, err := pa.c.reg.blobs.Open(ctx, a.BlobKey)
		if err != nil {
			return domain.Internal(fmt.Errorf("open attachment %d: %w", a.ID, err))
		}
		_, err = io.Copy(fw, body)
		body.Close()
		if err != nil {
			return err
		}
	}
	return zw.Close()
}

// zipSafe keeps a name inside its folder of the archive.
func zipSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '/', '\\', ':', 0:
			return '_'
		}
		return r
	}, s)
	if s == "" || s == "." || s == ".." {
		return "_"
	}
	return s
}
