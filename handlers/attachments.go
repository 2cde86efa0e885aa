package handlers

import (
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

// UploadAttachment is POST /api/v1/registrations/{id}/attachments (multipart:
// the file in "file", the checklist item's key in "item") → 201 Attachment.
func (h *Handlers) UploadAttachment(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	limit := h.Core.RegistrationSettings().MaxUploadBytes
	if err := parseMultipart(c, limit, core.FileTooLarge(limit), errNotMultipart("file", "file 与 item")); err != nil {
		return err
	}
	req := c.Request()
	fh, err := c.FormFile("file")
	if err != nil {
		return domain.Invalid("file", "file_required", "请选择要上传的文件")
	}
	if fh.Size > limit {
		return core.FileTooLarge(limit)
	}
	f, err := fh.Open()
	if err != nil {
		return domain.Internal(err)
	}
	defer f.Close()
	v, err := h.Core.AddAttachment(req.Context(), core.UploadRequest{CandidateID: CandidateID(c), RegistrationID: id,
		Item: c.FormValue("item"), FileName: fh.Filename, Body: f})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, v)
}

// ListAttachments is GET /api/v1/registrations/{id}/attachments: 附件列表.
func (h *Handlers) ListAttachments(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	items, err := h.Core.ListAttachments(c.Request().Context(), CandidateID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

func attachmentRef(c echo.Context) (core.AttachmentRef, error) {
	id, err := PathID(c, "id")
	if err != nil {
		return core.AttachmentRef{}, err
	}
	aid, err := PathID(c, "aid")
	if err != nil {
		return core.AttachmentRef{}, err
	}
	return core.AttachmentRef{RegistrationID: id, AttachmentID: aid}, nil
}

// DownloadAttachment is GET /api/v1/registrations/{id}/attachments/{aid}: the
// file, for its candidate only.
func (h *Handlers) DownloadAttachment(c echo.Context) error {
	ref, err := attachmentRef(c)
	if err != nil {
		return err
	}
	file, err := h.Core.OpenAttachment(c.Request().Context(), core.Reader{CandidateID: CandidateID(c)}, ref)
	if err != nil {
		return err
	}
	return SendAttachment(c, file)
}

// SendAttachment writes an attachment as a download (the console uses it too).
func SendAttachment(c echo.Context, file *core.AttachmentFile) error {
	defer file.Body.Close()
	hd := c.Response().Header()
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": file.FileName}))
	hd.Set("Content-Length", strconv.FormatInt(file.Size, 10))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "private, no-store")
	hd.Set(echo.HeaderContentType, file.ContentType)
	c.Response().WriteHeader(http.StatusOK)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	_, err := io.Copy(c.Response(), file.Body)
	return err
}

// DeleteAttachment is DELETE /api/v1/registrations/{id}/attachments/{aid} → 204.
func (h *Handlers) DeleteAttachment(c echo.Context) error {
	ref, err := attachmentRef(c)
	if err != nil {
		return err
	}
	if err := h.Core.DeleteAttachment(c.Request().Context(), CandidateID(c), ref); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
