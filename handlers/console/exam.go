package console

import (
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

// Exam arrangements, tickets and check-in (issue 18).

func init() {
	flashes["exam_session"] = struct{ text, kind string }{"考试场次已添加。", ""}
	flashes["exam_session_deleted"] = struct{ text, kind string }{"考试场次已删除。", ""}
	flashes["exam_arranged"] = struct{ text, kind string }{"考场座位已编排。发布准考证后考生才能看到。", ""}
	flashes["exam_moved"] = struct{ text, kind string }{"座位已调整。重新发布准考证后，将只通知有变更的考生。", ""}
	flashes["exam_published"] = struct{ text, kind string }{"准考证已发布，新发或有变更的考生将收到“准考证已发放”通知。", ""}
}

// maxArrangementFile is the largest arrangement file accepted.
const maxArrangementFile = 2 << 20

type examData struct {
	Plan   core.StaffPlanView
	Owner  bool
	Ov     *core.ExamOverview
	Pager  *pager
	Report *core.ArrangeReport
	Form   core.ExamSessionInput
}

// Exam is GET /console/plans/:id/exam: sessions, arrangement and publication.
func (h *Handlers) Exam(c echo.Context) error {
	return h.renderExam(c, http.StatusOK, nil, nil, core.ExamSessionInput{Subject: "theory", Seats: "30"})
}

func (h *Handlers) renderExam(c echo.Context, status int, rep *core.ArrangeReport, errs map[string]string, form core.ExamSessionInput) error {
	ctx, st, plan, err := h.planOf(c)
	if err != nil {
		return err
	}
	id := plan.ID
	ov, err := h.core.GetExamOverview(ctx, st, id, pageParam(c), 50)
	if err != nil {
		return err
	}
	if form.Venue == "" {
		form.Venue = plan.City + plan.District + plan.Address
	}
	return h.render(c, status, "exam", view{Title: "考场编排与准考证", Nav: "plans", Errs: errs, D: examData{
		Plan: plan, Owner: st.OwnsPlan(&plan.Plan), Ov: ov, Pager: pagerFor(c, ov.Total, ov.Page, ov.PageSize),
		Report: rep, Form: form}})
}

// conflictErrs turns a refused operation into the page's general error line.
func conflictErrs(err error) (map[string]string, bool) {
	if errs, ok := fieldErrors(err); ok {
		return errs, true
	}
	if de, ok := asConflict(err); ok {
		return map[string]string{"": de}, true
	}
	return nil, false
}

// AddExamSession is POST /console/plans/:id/exam/sessions.
func (h *Handlers) AddExamSession(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	in := core.ExamSessionInput{Subject: c.FormValue("subject"), Date: c.FormValue("date"), Start: c.FormValue("start_time"),
		End: c.FormValue("end_time"), Venue: c.FormValue("venue"), Room: c.FormValue("room"), Seats: c.FormValue("seats")}
	_, err = h.core.AddExamSession(c.Request().Context(), mustStaff(c), id, in)
	if errs, ok := conflictErrs(err); ok {
		return h.renderExam(c, http.StatusBadRequest, nil, errs, in)
	}
	if err != nil {
		return err
	}
	return redirectOK(c, fmt.Sprintf("/console/plans/%d/exam", id), "exam_session")
}

// DeleteExamSession is POST /console/plans/:id/exam/sessions/:sid/delete.
func (h *Handlers) DeleteExamSession(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sid, err := pathID(c, "sid")
	if err != nil {
		return err
	}
	err = h.core.DeleteExamSession(c.Request().Context(), mustStaff(c), id, sid)
	return h.examDone(c, id, err, "exam_session_deleted")
}

// AutoArrange is POST /console/plans/:id/exam/arrange: seat every approved
// candidate (order=registration or id_number).
func (h *Handlers) AutoArrange(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	_, err = h.core.ArrangeSeats(c.Request().Context(), mustStaff(c), id, core.ArrangeOrder(c.FormValue("order")))
	return h.examDone(c, id, err, "exam_arranged")
}

// ImportArrangement is POST /console/plans/:id/exam/import: the whole
// arrangement from a file, applied only when every row is right.
func (h *Handlers) ImportArrangement(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return h.renderExam(c, http.StatusBadRequest, nil, map[string]string{"file": "请选择要上传的文件"}, core.ExamSessionInput{})
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxArrangementFile+1))
	if err != nil {
		return err
	}
	if len(data) > maxArrangementFile {
		return h.renderExam(c, http.StatusBadRequest, nil, map[string]string{"file": "文件不能超过2MB"}, core.ExamSessionInput{})
	}
	rep, err := h.core.ImportArrangement(c.Request().Context(), mustStaff(c), id, fh.Filename, data)
	if errs, ok := conflictErrs(err); ok {
		return h.renderExam(c, http.StatusBadRequest, nil, errs, core.ExamSessionInput{})
	}
	if err != nil {
		return err
	}
	if len(rep.Errors) > 0 {
		return h.renderExam(c, http.StatusUnprocessableEntity, &rep, nil, core.ExamSessionInput{})
	}
	return redirectOK(c, fmt.Sprintf("/console/plans/%d/exam", id), "exam_arranged")
}

// PublishTickets is POST /console/plans/:id/exam/publish.
func (h *Handlers) PublishTickets(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	_, err = h.core.PublishTickets(c.Request().Context(), mustStaff(c), id)
	return h.examDone(c, id, err, "exam_published")
}

type moveData struct {
	Plan     core.StaffPlanView
	Line     core.ArrangeLine
	Sessions []core.ExamSessionView
	Session  string
	Seat     string
}

// MoveForm is GET /console/plans/:id/exam/move/:rid.
func (h *Handlers) MoveForm(c echo.Context) error {
	return h.renderMove(c, http.StatusOK, nil)
}

func (h *Handlers) renderMove(c echo.Context, status int, errs map[string]string) error {
	id, rid, err := planAndReg(c)
	if err != nil {
		return err
	}
	st := mustStaff(c)
	ctx := c.Request().Context()
	plan, err := h.core.GetStaffPlanDetail(ctx, st, id)
	if err != nil {
		return err
	}
	line, err := h.core.GetArrangeLine(ctx, st, id, rid)
	if err != nil {
		return err
	}
	sessions, err := h.core.ListExamSessions(ctx, st, id)
	if err != nil {
		return err
	}
	return h.render(c, status, "exam_move", view{Title: "调整考场座位", Nav: "plans", Errs: errs, D: moveData{
		Plan: plan, Line: line, Sessions: sessions, Session: c.FormValue("session_id"), Seat: c.FormValue("seat_no")}})
}

// MoveCandidate is POST /console/plans/:id/exam/move/:rid.
func (h *Handlers) MoveCandidate(c echo.Context) error {
	id, rid, err := planAndReg(c)
	if err != nil {
		return err
	}
	in := core.MoveInput{RegistrationID: rid}
	errs := map[string]string{}
	if in.SessionID, err = strconv.ParseInt(c.FormValue("session_id"), 10, 64); err != nil {
		errs["session_id"] = "请选择考试场次"
	}
	if s := c.FormValue("seat_no"); s != "" {
		if in.SeatNo, err = strconv.Atoi(s); err != nil || in.SeatNo < 1 {
			errs["seat_no"] = "座位号应为正整数；留空则安排第一个空座"
		}
	}
	if len(errs) > 0 {
		return h.renderMove(c, http.StatusBadRequest, errs)
	}
	err = h.core.MoveCandidate(c.Request().Context(), mustStaff(c), id, in)
	if errs, ok := conflictErrs(err); ok {
		return h.renderMove(c, http.StatusBadRequest, errs)
	}
	if err != nil {
		return err
	}
	return redirectOK(c, fmt.Sprintf("/console/plans/%d/exam", id), "exam_moved")
}

type sessionData struct {
	Plan   core.StaffPlanView
	Owner  bool
	Roster *core.SessionRoster
}

// ExamSessionRoster is GET /console/plans/:id/exam/sessions/:sid: who sits
// where, who arrived and (after the session) who was absent.
func (h *Handlers) ExamSessionRoster(c echo.Context) error {
	ctx, st, plan, err := h.planOf(c)
	if err != nil {
		return err
	}
	id := plan.ID
	sid, err := pathID(c, "sid")
	if err != nil {
		return err
	}
	r, err := h.core.GetSessionRoster(ctx, st, id, sid)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "exam_session", view{Title: "场次签到情况", Nav: "plans", D: sessionData{
		Plan: plan, Owner: st.OwnsPlan(&plan.Plan), Roster: r}})
}

type checkinData struct {
	Plan     core.StaffPlanView
	Sessions []core.ExamSessionView
	Session  int64
	Result   *core.CheckInResult
}

// CheckInPage is GET /console/plans/:id/checkin?session=…: scan or type.
func (h *Handlers) CheckInPage(c echo.Context) error {
	return h.renderCheckIn(c, http.StatusOK, nil, nil)
}

func (h *Handlers) renderCheckIn(c echo.Context, status int, res *core.CheckInResult, errs map[string]string) error {
	ctx, st, plan, err := h.planOf(c)
	if err != nil {
		return err
	}
	id := plan.ID
	sessions, err := h.core.ListExamSessions(ctx, st, id)
	if err != nil {
		return err
	}
	sid, _ := strconv.ParseInt(c.FormValue("session"), 10, 64)
	if sid == 0 && len(sessions) > 0 {
		sid = sessions[0].ID
		for _, s := range sessions { // the first session not over yet
			if !s.Ended {
				sid = s.ID
				break
			}
		}
	}
	return h.render(c, status, "checkin", view{Title: "考生签到", Nav: "plans", Errs: errs, D: checkinData{
		Plan: plan, Sessions: sessions, Session: sid, Result: res}})
}

// CheckIn is POST /console/plans/:id/checkin: records one arrival.
func (h *Handlers) CheckIn(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sid, err := strconv.ParseInt(c.FormValue("session"), 10, 64)
	if err != nil {
		return h.renderCheckIn(c, http.StatusBadRequest, nil, map[string]string{"session": "请选择考试场次"})
	}
	res, err := h.core.CheckIn(c.Request().Context(), mustStaff(c), id, sid, c.FormValue("code"))
	if errs, ok := fieldErrors(err); ok {
		return h.renderCheckIn(c, http.StatusUnprocessableEntity, nil, errs)
	}
	if err != nil {
		return err
	}
	return h.renderCheckIn(c, http.StatusOK, res, nil)
}

// asConflict returns the message of a conflict (an operation the state refuses).
func asConflict(err error) (string, bool) {
	if de, ok := domain.AsError(err); ok && de.Kind == domain.KindConflict {
		return de.Message, true
	}
	return "", false
}

// examDone ends an exam action: a refused one shows the page again with its
// conflict, any other error goes to the error page, success returns to the page.
func (h *Handlers) examDone(c echo.Context, planID int64, err error, flash string) error {
	if errs, ok := conflictErrs(err); ok {
		return h.renderExam(c, http.StatusConflict, nil, errs, core.ExamSessionInput{})
	}
	if err != nil {
		return err
	}
	return redirectOK(c, fmt.Sprintf("/console/plans/%d/exam", planID), flash)
}
