package console

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"skillcert/core"
)

type inboxData struct {
	Items []core.InboxItem
	Pager *pager
}

// Inbox is GET /console/inbox: the registrations waiting for review across the
// institution's plans, oldest first, each with its plan (待审核).
func (h *Handlers) Inbox(c echo.Context) error {
	page, err := h.core.ListPendingInbox(c.Request().Context(), mustStaff(c), pageParam(c), 50)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "inbox", view{Title: "待审核", Nav: "inbox", D: inboxData{
		Items: page.Items, Pager: pagerFor(c, page.Total, page.Page, page.PageSize)}})
}

// nextInInbox ends a decision taken from the inbox: on to the oldest registration
// still waiting in any plan of the institution, or back to the inbox when none is.
func (h *Handlers) nextInInbox(c echo.Context, decided int64, flash string) error {
	planID, regID, err := h.core.FindNextInInbox(c.Request().Context(), mustStaff(c), decided)
	if err != nil {
		return err
	}
	if regID == 0 {
		return redirectOK(c, "/console/inbox", flash)
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/plans/%d/registrations/%d?from=inbox&ok=%s",
		planID, regID, url.QueryEscape(flash+"_next")))
}

// AttachmentsZip is GET /console/plans/:id/attachments.zip: every attachment of
// the plan's registrations as one zip, streamed as it is written (audited).
func (h *Handlers) AttachmentsZip(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	pa, err := h.core.OpenPlanAttachments(c.Request().Context(), mustStaff(c), id)
	if err != nil {
		return err
	}
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentType, "application/zip")
	hd.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": pa.PlanNo + "-附件.zip"}))
	c.Response().WriteHeader(http.StatusOK)
	// Headers are gone: a failure now can only cut the archive short (the
	// client sees a broken zip) and is logged by the error handler.
	return pa.WriteZip(c.Request().Context(), c.Response())
}

// ResultsTemplate is GET /console/plans/:id/results/template.xlsx: an empty
// results sheet with the header row the import reads.
func (h *Handlers) ResultsTemplate(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	x, err := h.core.ExportResultsTemplate(c.Request().Context(), mustStaff(c), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition,
		mime.FormatMediaType("attachment", map[string]string{"filename": x.FileName}))
	return c.Blob(http.StatusOK, xlsxType, x.Data)
}

// CodesXLSX is GET /console/plans/:id/codes.xlsx: every registration code of the
// plan as a spreadsheet (audited).
func (h *Handlers) CodesXLSX(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	x, err := h.core.ExportCodes(c.Request().Context(), mustStaff(c), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition,
		mime.FormatMediaType("attachment", map[string]string{"filename": x.FileName}))
	return c.Blob(http.StatusOK, xlsxType, x.Data)
}
