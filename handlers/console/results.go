package console

import (
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

// maxResultsFile is the largest results file accepted (the body limit applies too).
const maxResultsFile = 2 << 20

type resultsData struct {
	Plan   core.StaffPlanView
	Items  []core.ResultLine
	Pager  *pager
	Owner  bool
	Report *core.ResultsReport
}

// Results is GET /console/plans/:id/results: the approved candidates with their
// results and certificate progress, and (for the plan's institution) the upload.
func (h *Handlers) Results(c echo.Context) error {
	return h.renderResults(c, http.StatusOK, nil, nil)
}

func (h *Handlers) renderResults(c echo.Context, status int, rep *core.ResultsReport, errs map[string]string) error {
	ctx, st, plan, err := h.planOf(c)
	if err != nil {
		return err
	}
	id := plan.ID
	page, err := h.core.ListResultLines(ctx, st, id, pageParam(c), 50)
	if err != nil {
		return err
	}
	return h.render(c, status, "results", view{Title: "成绩与证书", Nav: "plans", Errs: errs, D: resultsData{
		Plan: plan, Items: page.Items, Pager: pagerFor(c, page.Total, page.Page, page.PageSize),
		Owner: st.OwnsPlan(&plan.Plan), Report: rep}})
}

// UploadResults is POST /console/plans/:id/results: validate the whole file,
// apply it only when every row is right, else show each row's problems.
func (h *Handlers) UploadResults(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return h.renderResults(c, http.StatusBadRequest, nil, map[string]string{"file": "请选择要上传的文件"})
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxResultsFile+1))
	if err != nil {
		return err
	}
	if len(data) > maxResultsFile {
		return h.renderResults(c, http.StatusBadRequest, nil, map[string]string{"file": "文件不能超过2MB"})
	}
	up, err := h.core.StartResultsImport(c.Request().Context(), mustStaff(c), id, fh.Filename, data)
	if errs, ok := fieldErrors(err); ok {
		return h.renderResults(c, http.StatusBadRequest, nil, errs)
	}
	if de, ok := domain.AsError(err); ok && de.Kind == domain.KindConflict {
		return h.renderResults(c, http.StatusConflict, nil, map[string]string{"file": de.Message})
	}
	if err != nil {
		return err
	}
	if len(up.Report.Errors) > 0 {
		return h.renderResults(c, http.StatusUnprocessableEntity, &up.Report, nil)
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/plans/%d/results/imports/%d", id, up.JobID))
}

type resultsJobData struct {
	Plan core.StaffPlanView
	Job  core.JobView
}

// ResultsImportJob is GET /console/plans/:id/results/imports/:jid: a results
// import writing in the background, its progress (the page refreshes itself
// while it runs), then how many were written or why it stopped.
func (h *Handlers) ResultsImportJob(c echo.Context) error {
	ctx, st, plan, err := h.planOf(c)
	if err != nil {
		return err
	}
	id := plan.ID
	jid, err := pathID(c, "jid")
	if err != nil {
		return err
	}
	job, err := h.core.GetResultsImportJob(ctx, st, id, jid)
	if err != nil {
		return err
	}
	v := view{Title: "成绩导入", Nav: "plans", D: resultsJobData{Plan: plan, Job: job}}
	if job.Running() {
		v.Refresh = 1
	}
	return h.render(c, http.StatusOK, "results_job", v)
}

type resultEditData struct {
	Plan  core.StaffPlanView
	Line  core.ResultLine
	Typed map[string]string // what was typed into a refused form
}

// Value is what a field of the form shows: what was typed when the form was
// refused, the saved value otherwise.
func (d resultEditData) Value(name string) string {
	if d.Typed != nil {
		return d.Typed[name]
	}
	switch name {
	case "cert_no":
		return d.Line.CertNo
	case "stage":
		return d.Line.Stage
	}
	return d.Line.ScoreInput(name)
}

// ResultForm is GET /console/plans/:id/results/:rid: edit one row in the page.
func (h *Handlers) ResultForm(c echo.Context) error {
	return h.renderResultForm(c, http.StatusOK, nil, nil)
}

func (h *Handlers) renderResultForm(c echo.Context, status int, errs, typed map[string]string) error {
	id, rid, err := planAndReg(c)
	if err != nil {
		return err
	}
	st := mustStaff(c)
	ctx := c.Request().Context()
	line, err := h.core.GetResultLine(ctx, st, id, rid)
	if err != nil {
		return err
	}
	plan, err := h.core.GetStaffPlanDetail(ctx, st, id)
	if err != nil {
		return err
	}
	return h.render(c, status, "result_edit", view{Title: "修改成绩与证书进度", Nav: "plans", Errs: errs,
		D: resultEditData{Plan: plan, Line: line, Typed: typed}})
}

// SaveResult is POST /console/plans/:id/results/:rid.
func (h *Handlers) SaveResult(c echo.Context) error {
	id, rid, err := planAndReg(c)
	if err != nil {
		return err
	}
	in := core.ResultEdit{CertNo: c.FormValue("cert_no"), Stage: c.FormValue("stage"), Scores: map[domain.Subject]string{}}
	for _, s := range domain.Subjects() {
		in.Scores[s] = c.FormValue(string(s))
	}
	err = h.core.EditResult(c.Request().Context(), mustStaff(c), id, rid, in)
	if errs, ok := fieldErrors(err); ok {
		typed := map[string]string{"cert_no": in.CertNo, "stage": in.Stage}
		for s, v := range in.Scores {
			typed[string(s)] = v
		}
		return h.renderResultForm(c, http.StatusBadRequest, errs, typed)
	}
	if err != nil {
		return err
	}
	return redirectOK(c, fmt.Sprintf("/console/plans/%d/results", id), "result")
}
