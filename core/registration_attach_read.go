package core

import (
	"context"
	"fmt"
	"io"

	"skillcert/domain"
	"skillcert/repo"
)

// Reader is who reads an attachment: its candidate, or staff of the institution
// that runs the registration's plan. Exactly one is set.
type Reader struct {
	CandidateID   int64
	InstitutionID int64
}

// AttachmentFile is an attachment's bytes with what a download needs. Close Body.
type AttachmentFile struct {
	FileName    string
	ContentType string
	Size        int64
	Body        io.ReadCloser
}

// OpenAttachment returns an attachment's bytes to its candidate or to the
// institution that runs the plan; anyone else gets not found.
func (c *Core) OpenAttachment(ctx context.Context, who Reader, ref AttachmentRef) (*AttachmentFile, error) {
	if c.reg.blobs == nil {
		return nil, errBlobsUnavailable()
	}
	if err := c.mayRead(ctx, who, ref.RegistrationID); err != nil {
		return nil, err
	}
	a, err := c.db.Read().GetAttachment(ctx, ref.RegistrationID, ref.AttachmentID)
	if repo.IsNoRows(err) {
		return nil, errAttachmentNotFound()
	}
	if err != nil {
		return nil, domain.Internal(err)
	}
	body, err := c.reg.blobs.Open(ctx, a.BlobKey)
	if err != nil {
		return nil, domain.Internal(fmt.Errorf("open attachment %d: %w", a.ID, err))
	}
	return &AttachmentFile{FileName: a.FileName, ContentType: a.ContentType, Size: a.Size, Body: body}, nil
}

// mayRead checks that who may read a registration's attachments.
func (c *Core) mayRead(ctx context.Context, who Reader, registrationID int64) error {
	if who.CandidateID != 0 {
		_, err := c.registrationOf(ctx, c.db.Read(), who.CandidateID, registrationID)
		return err
	}
	r, err := c.db.Read().GetRegistration(ctx, registrationID)
	if repo.IsNoRows(err) {
		return errRegistrationNotFound()
	}
	if err != nil {
		return domain.Internal(err)
	}
	p, err := c.db.Read().GetPlan(ctx, r.PlanID)
	if err != nil {
		return domain.Internal(err)
	}
	if who.InstitutionID == 0 || p.InstitutionID != who.InstitutionID {
		return errRegistrationNotFound()
	}
	return nil
}
