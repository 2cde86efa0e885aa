package console

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

// feedbackClasses colour the feedback statuses.
var feedbackClasses = map[string]string{
	string(domain.FeedbackSubmitted): "info", string(domain.FeedbackProcessing): "warn",
	string(domain.FeedbackClosed): "ok",
}

// feedbackItem is one feedback as the pages draw it.
type feedbackItem struct {
	core.StaffFeedback
	StatusClass string
}

func feedbackItemOf(f core.StaffFeedback) feedbackItem {
	return feedbackItem{StaffFeedback: f, StatusClass: feedbackClasses[f.Status]}
}

type feedbackListData struct {
	Items              []feedbackItem
	Pager              *keysetPager
	Status, Category   string
	Statuses           []domain.Option
	Categories         []domain.Option
	ExportURL          string
	Region             string // the supervisor's region; "" for admins (every region)
	SeesAnonymousNames bool
}

func feedbackQuery(c echo.Context) core.FeedbackQuery {
	before, _ := strconv.ParseInt(c.QueryParam("before"), 10, 64)
	after, _ := strconv.ParseInt(c.QueryParam("after"), 10, 64)
	return core.FeedbackQuery{Status: c.QueryParam("status"), Category: c.QueryParam("category"),
		Before: max(0, before), After: max(0, after), Last: c.QueryParam("last") == "1", PageSize: 30}
}

// Feedback is GET /console/feedback: the supervision feedback of the
// supervisor's region (every region for admins), filtered by status and category.
func (h *Handlers) Feedback(c echo.Context) error {
	st := mustStaff(c)
	q := feedbackQuery(c)
	page, err := h.core.ListFeedbackInbox(c.Request().Context(), st, q)
	if err != nil {
		return err
	}
	items := make([]feedbackItem, 0, len(page.Items))
	for _, f := range page.Items {
		items = append(items, feedbackItemOf(f))
	}
	export := url.Values{}
	if q.Status != "" {
		export.Set("status", q.Status)
	}
	if q.Category != "" {
		export.Set("category", q.Category)
	}
	exportURL := "/console/feedback/export.xlsx"
	if len(export) > 0 {
		exportURL += "?" + export.Encode()
	}
	return h.render(c, http.StatusOK, "feedback", view{Title: "督导反馈", Nav: "feedback", D: feedbackListData{
		Items: items, Pager: keysetFor(c, approxTotal(page.Total, page.TotalApprox), page.IsFirst, page.IsLast, page.Newer, page.Older), Status: q.Status, Category: q.Category,
		Statuses: domain.FeedbackStatusOptions(), Categories: h.core.Options().FeedbackCategories,
		ExportURL: exportURL, Region: st.Region, SeesAnonymousNames: st.Is(domain.RoleAdmin)}})
}

// FeedbackExport is GET /console/feedback/export.xlsx: the inbox as filtered,
// with the page's identity rules; audited.
func (h *Handlers) FeedbackExport(c echo.Context) error {
	x, err := h.core.ExportFeedback(c.Request().Context(), mustStaff(c), feedbackQuery(c))
	if err != nil {
		return err
	}
	return sendStream(c, x)
}

// sendExport sends a generated spreadsheet as a download.
func sendExport(c echo.Context, x *core.Export) error {
	c.Response().Header().Set(echo.HeaderContentDisposition,
		mime.FormatMediaType("attachment", map[string]string{"filename": x.FileName}))
	return c.Blob(http.StatusOK, xlsxType, x.Data)
}

type feedbackDetailData struct {
	F     feedbackItem
	Reply string // a refused reply, shown again as typed
}

// FeedbackDetail is GET /console/feedback/:fid: one feedback with its photos,
// and for the region's supervisor the reply and status forms.
func (h *Handlers) FeedbackDetail(c echo.Context) error {
	return h.renderFeedback(c, http.StatusOK, nil, "")
}

func (h *Handlers) renderFeedback(c echo.Context, status int, errs map[string]string, reply string) error {
	id, err := pathID(c, "fid")
	if err != nil {
		return err
	}
	f, err := h.core.GetStaffFeedback(c.Request().Context(), mustStaff(c), id)
	if err != nil {
		return err
	}
	return h.render(c, status, "feedback_detail", view{Title: fmt.Sprintf("督导反馈 #%d", f.ID), Nav: "feedback",
		Errs: errs, D: feedbackDetailData{F: feedbackItemOf(*f), Reply: reply}})
}

// FeedbackReply is POST /console/feedback/:fid/reply: the supervisor's answer,
// sent to the candidate as a notification; "close" also closes the feedback.
func (h *Handlers) FeedbackReply(c echo.Context) error {
	id, err := pathID(c, "fid")
	if err != nil {
		return err
	}
	in := core.FeedbackReplyInput{Text: c.FormValue("reply"), Close: c.FormValue("close") != ""}
	err = h.core.ReplyFeedback(c.Request().Context(), mustStaff(c), id, in)
	if errs, ok := fieldErrors(err); ok {
		return h.renderFeedback(c, http.StatusBadRequest, errs, in.Text)
	}
	if err != nil {
		return err
	}
	return redirectOK(c, fmt.Sprintf("/console/feedback/%d", id), "replied")
}

// FeedbackStatus is POST /console/feedback/:fid/status: 处理中, 已办结, or back
// to 处理中.
func (h *Handlers) FeedbackStatus(c echo.Context) error {
	id, err := pathID(c, "fid")
	if err != nil {
		return err
	}
	err = h.core.SetFeedbackStatus(c.Request().Context(), mustStaff(c), id, c.FormValue("status"))
	if errs, ok := fieldErrors(err); ok {
		return h.renderFeedback(c, http.StatusBadRequest, errs, "")
	}
	if err != nil {
		return err
	}
	return redirectOK(c, fmt.Sprintf("/console/feedback/%d", id), "status")
}

// FeedbackImage is GET /console/feedback/:fid/images/:iid: a photo, shown in
// the browser.
func (h *Handlers) FeedbackImage(c echo.Context) error {
	id, err := pathID(c, "fid")
	if err != nil {
		return err
	}
	iid, err := pathID(c, "iid")
	if err != nil {
		return err
	}
	f, err := h.core.OpenStaffFeedbackImage(c.Request().Context(), mustStaff(c), id, iid)
	if err != nil {
		return err
	}
	defer f.Body.Close()
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentType, f.ContentType)
	hd.Set(echo.HeaderContentDisposition, mime.FormatMediaType("inline", map[string]string{"filename": f.FileName}))
	hd.Set(echo.HeaderContentLength, strconv.FormatInt(f.Size, 10))
	hd.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox")
	c.Response().WriteHeader(http.StatusOK)
	_, err = io.Copy(c.Response(), f.Body)
	return err
}
