package console

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

type registrationsData struct {
	Plan           core.StaffPlanView
	Items          []core.ReviewItem
	Pager          *pager
	Status, Search string
	Owner          bool
	// Pending is how many registrations awaiting review match the filter: the N
	// of "全部 N 条待审核报名" (shown when the filter does not exclude them).
	Pending    int
	Returnable []domain.Option
	Typed      *core.ReviewDecision // a refused bulk decision, shown again as typed
}

// TypedField reports whether field was ticked in a refused bulk 退回修改.
func (d registrationsData) TypedField(field string) bool {
	return d.Typed != nil && d.Typed.Action == domain.ActionReturn && slices.Contains(d.Typed.Fields, field)
}

// Registrations is GET /console/plans/:id/registrations: the plan's
// registrations, filtered by status and searched by name or ID number.
func (h *Handlers) Registrations(c echo.Context) error {
	return h.renderRegistrations(c, http.StatusOK, nil, nil)
}

func (h *Handlers) renderRegistrations(c echo.Context, status int, errs map[string]string, typed *core.ReviewDecision) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	st := mustStaff(c)
	ctx := c.Request().Context()
	q := core.ReviewQuery{Status: c.QueryParam("status"), Search: c.QueryParam("q"), Page: pageParam(c), PageSize: 50}
	if c.Request().Method == http.MethodPost {
		q.Status, q.Search = c.FormValue("status"), c.FormValue("q")
	}
	page, err := h.core.ListPlanRegistrations(ctx, st, id, q)
	if err != nil {
		return err
	}
	plan, err := h.core.GetStaffPlanDetail(ctx, st, id)
	if err != nil {
		return err
	}
	d := registrationsData{Plan: plan, Items: page.Items, Pager: pagerFor(c, page.Total, page.Page, page.PageSize),
		Status: q.Status, Search: q.Search, Owner: st.OwnsPlan(&plan.Plan), Returnable: core.ReturnableFields(), Typed: typed}
	if d.Owner && (q.Status == "" || q.Status == string(domain.StatusSubmitted)) {
		if d.Pending, err = h.core.CountPendingMatching(ctx, st, id, q); err != nil {
			return err
		}
	}
	if c.Request().Method == http.MethodPost {
		d.Pager = nil // a refused bulk form shows its first page again; the pager links are GETs of the list
	}
	return h.render(c, status, "registrations", view{Title: "报名审核", Nav: "plans", Errs: errs, D: d})
}

type registrationData struct {
	FromInbox  bool // opened from the 待审核 inbox: decisions go on to its next entry
	Detail     *core.ReviewDetail
	Returnable []domain.Option
	Typed      *core.ReviewDecision // a refused decision, shown again as typed
}

// TypedReason is the reason typed into the refused form of action a.
func (d registrationData) TypedReason(a domain.Action) string {
	if d.Typed == nil || d.Typed.Action != a {
		return ""
	}
	return d.Typed.Reason
}

// TypedField reports whether field was ticked in a refused 退回修改.
func (d registrationData) TypedField(field string) bool {
	if d.Typed == nil || d.Typed.Action != domain.ActionReturn {
		return false
	}
	for _, f := range d.Typed.Fields {
		if f == field {
			return true
		}
	}
	return false
}

// Registration is GET /console/plans/:id/registrations/:rid: the form, the
// checklist, the employer warning, the attachments and the review actions.
func (h *Handlers) Registration(c echo.Context) error {
	return h.renderRegistration(c, http.StatusOK, nil, nil)
}

func (h *Handlers) renderRegistration(c echo.Context, status int, errs map[string]string, typed *core.ReviewDecision) error {
	id, rid, err := planAndReg(c)
	if err != nil {
		return err
	}
	d, err := h.core.GetRegistrationForReview(c.Request().Context(), mustStaff(c), id, rid)
	if err != nil {
		return err
	}
	return h.render(c, status, "registration", view{Title: d.Reg.Identity.Name + " 的报名", Nav: "plans", Errs: errs,
		D: registrationData{Detail: d, Returnable: core.ReturnableFields(), Typed: typed,
			FromInbox: c.QueryParam("from") == "inbox" || c.FormValue("from") == "inbox"}})
}

func planAndReg(c echo.Context) (int64, int64, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return 0, 0, err
	}
	rid, err := pathID(c, "rid")
	return id, rid, err
}

var reviewFlash = map[domain.Action]string{domain.ActionApprove: "approved", domain.ActionReturn: "returned",
	domain.ActionReject: "rejected", domain.ActionCancelByInstitution: "cancelled"}

// Review is POST /console/plans/:id/registrations/:rid/review: approve, return
// for changes, reject or cancel, through core's status machine.
func (h *Handlers) Review(c echo.Context) error {
	id, rid, err := planAndReg(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	d := core.ReviewDecision{Action: domain.Action(form.Get("action")), Reason: form.Get("reason"), Fields: form["fields"]}
	err = h.core.ReviewRegistration(c.Request().Context(), mustStaff(c), id, rid, d)
	if errs, ok := fieldErrors(err); ok {
		return h.renderRegistration(c, http.StatusBadRequest, errs, &d)
	}
	if err != nil {
		return err
	}
	if c.FormValue("from") == "inbox" {
		return h.nextInInbox(c, rid, reviewFlash[d.Action])
	}
	// Go on to the next registration waiting for review, if any.
	next, err := h.core.FindNextPending(c.Request().Context(), mustStaff(c), id, rid)
	if err != nil {
		return err
	}
	if next != 0 {
		return redirectOK(c, fmt.Sprintf("/console/plans/%d/registrations/%d", id, next), reviewFlash[d.Action]+"_next")
	}
	return redirectOK(c, fmt.Sprintf("/console/plans/%d/registrations/%d", id, rid), reviewFlash[d.Action])
}

// BulkReview is POST /console/plans/:id/registrations/bulk-review: one decision
// (approve, return or reject) on the ticked registrations, or with all=1 on
// every registration awaiting review that matches the list's filter (expect is
// the number the reviewer confirmed).
func (h *Handlers) BulkReview(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	action := form.Get("action")
	if action == "" {
		action = string(domain.ActionApprove)
	}
	req := core.BulkReviewRequest{
		Decision: core.ReviewDecision{Action: domain.Action(action), Reason: form.Get("reason"), Fields: form["fields"]},
		All:      form.Get("all") == "1",
		Filter:   core.ReviewQuery{Status: form.Get("status"), Search: form.Get("q")},
	}
	req.Expect, _ = strconv.Atoi(form.Get("expect"))
	for _, s := range form["ids"] {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			req.IDs = append(req.IDs, n)
		}
	}
	to := fmt.Sprintf("/console/plans/%d/registrations", id)
	if !req.All && len(req.IDs) == 0 {
		return redirectOK(c, to, "none")
	}
	res, err := h.core.ReviewRegistrations(c.Request().Context(), mustStaff(c), id, req)
	if errs, ok := fieldErrors(err); ok {
		return h.renderRegistrations(c, http.StatusBadRequest, errs, &req.Decision)
	}
	if err != nil {
		return err
	}
	if res.JobID != 0 {
		return c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s/bulk/%d", to, res.JobID))
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("%s?ok=bulk&done=%d&skipped=%d", to, res.Done, res.Skipped))
}

type bulkJobData struct {
	Plan core.StaffPlanView
	Job  core.JobView
}

// BulkReviewJob is GET /console/plans/:id/registrations/bulk/:jid: a bulk
// review deciding in the background, its progress (the page refreshes itself
// while it runs), then how many were decided or why it stopped.
func (h *Handlers) BulkReviewJob(c echo.Context) error {
	ctx, st, plan, err := h.planOf(c)
	if err != nil {
		return err
	}
	jid, err := pathID(c, "jid")
	if err != nil {
		return err
	}
	job, err := h.core.GetBulkReviewJob(ctx, st, plan.ID, jid)
	if err != nil {
		return err
	}
	v := view{Title: "批量审核", Nav: "plans", D: bulkJobData{Plan: plan, Job: job}}
	if job.Running() {
		v.Refresh = 1
	}
	return h.render(c, http.StatusOK, "review_job", v)
}

// inlineTypes may be shown in the browser; everything else downloads.
var inlineTypes = map[string]bool{"application/pdf": true, "image/jpeg": true, "image/png": true}

// Attachment is GET /console/plans/:id/registrations/:rid/attachments/:aid: the
// file, shown in the browser when it is an image or a PDF (unless ?download=1).
func (h *Handlers) Attachment(c echo.Context) error {
	id, rid, err := planAndReg(c)
	if err != nil {
		return err
	}
	aid, err := pathID(c, "aid")
	if err != nil {
		return err
	}
	f, err := h.core.OpenStaffAttachment(c.Request().Context(), mustStaff(c), id, rid, aid)
	if err != nil {
		return err
	}
	defer f.Body.Close()
	disp := "attachment"
	if inlineTypes[f.ContentType] && c.QueryParam("download") == "" {
		disp = "inline"
	}
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentType, f.ContentType)
	hd.Set(echo.HeaderContentDisposition, mime.FormatMediaType(disp, map[string]string{"filename": f.FileName}))
	hd.Set(echo.HeaderContentLength, strconv.FormatInt(f.Size, 10))
	hd.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; object-src 'self'; plugin-types application/pdf; sandbox")
	c.Response().WriteHeader(http.StatusOK)
	_, err = io.Copy(c.Response(), f.Body)
	return err
}
