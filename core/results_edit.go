package core

import (
	"context"
	"fmt"
	"strings"

	"skillcert/domain"
	"skillcert/repo"
)

// ResultEdit is one registration's results and certificate progress as the
// console's edit form sends them; an empty value changes nothing.
type ResultEdit struct {
	Scores map[domain.Subject]string
	CertNo string
	Stage  string
}

// editFields maps the columns of the checks to the edit form's fields.
var editFields = map[string]string{"理论": string(domain.SubjectTheory), "实操": string(domain.SubjectPractical),
	"综合": string(domain.SubjectComprehensive), colCertNo: "cert_no", colStage: "stage"}

// EditResult records one approved registration's results and certificate
// progress, with the same checks, events and outbox rows as an upload.
func (c *Core) EditResult(ctx context.Context, st *Staff, planID, regID int64, in ResultEdit) error {
	p, err := c.planFor(ctx, c.db.R, st, planID, Act)
	if err != nil {
		return err
	}
	if err := c.resultsOpen(&p); err != nil {
		return err
	}
	pr, err := c.loadPlanResults(ctx, c.db.R, p, false)
	if err != nil {
		return domain.Internal(err)
	}
	reg, ok := pr.byID[regID]
	if !ok {
		return errRegistrationNotFound()
	}
	if reg.Status != domain.StatusApproved {
		return domain.Conflict("not_approved", "只有审核通过的考生可以录入成绩")
	}
	ch, errs := pr.change(reg, resultInput{CertNo: in.CertNo, Stage: in.Stage, Scores: in.Scores}, 0)
	if len(errs) > 0 {
		fe := make([]domain.FieldError, 0, len(errs))
		for _, e := range errs {
			fe = append(fe, domain.FieldError{Field: editFields[e.Column], Code: "invalid", Message: e.Message}) // shown under the field's own label
		}
		return domain.InvalidFields(fe)
	}
	if ch == nil {
		return nil
	}
	_, _, err = c.applyResults(ctx, st, p, []resultChange{*ch}, AuditResultsEdit,
		fmt.Sprintf("计划编号 %s，报名 #%d：%s", p.PlanNo, regID, strings.Join(ch.summary, "；")), nil)
	return err
}

// ResultLine is one approved registration on the results page.
type ResultLine struct {
	ReviewItem
	Scores    map[domain.Subject]domain.Score
	CertNo    string
	Stage     string
	StageName string
}

// Score returns one subject's recorded outcome as shown ("" when none).
func (l ResultLine) Score(subject string) string {
	s, ok := l.Scores[domain.Subject(subject)]
	if !ok {
		return ""
	}
	return scoreText(s)
}

// PlanResultLines lists a plan's approved registrations with their results and
// certificate progress, for staff who may see the plan.
func (c *Core) PlanResultLines(ctx context.Context, st *Staff, planID int64, page, size int) (Page[ResultLine], error) {
	p, err := c.planFor(ctx, c.db.R, st, planID, Read)
	if err != nil {
		return Page[ResultLine]{}, err
	}
	items, err := c.PlanRegistrations(ctx, st, planID, ReviewQuery{Status: string(domain.StatusApproved), Page: page, PageSize: size})
	if err != nil {
		return Page[ResultLine]{}, err
	}
	pr, err := c.loadPlanResults(ctx, c.db.R, p, false)
	if err != nil {
		return Page[ResultLine]{}, domain.Internal(err)
	}
	out := Page[ResultLine]{Items: []ResultLine{}, Total: items.Total, Page: items.Page, PageSize: items.PageSize}
	for _, it := range items.Items {
		r := pr.byID[it.ID]
		out.Items = append(out.Items, ResultLine{ReviewItem: it, Scores: pr.results[it.ID], CertNo: r.CertNo,
			Stage: r.CertStage, StageName: domain.CertStage(r.CertStage).Name()})
	}
	return out, nil
}

// ScoreInput returns one subject's outcome as the edit form takes it back: the
// score, or 合格/不合格 ("" when none).
func (l ResultLine) ScoreInput(subject string) string {
	s, ok := l.Scores[domain.Subject(subject)]
	switch {
	case !ok:
		return ""
	case s.Points != nil:
		return fmt.Sprintf("%g", *s.Points)
	}
	return s.Result.Name()
}

// ResultLineOf returns one approved registration of a plan for the edit form.
func (c *Core) ResultLineOf(ctx context.Context, st *Staff, planID, regID int64) (ResultLine, error) {
	p, err := c.planFor(ctx, c.db.R, st, planID, Act)
	if err != nil {
		return ResultLine{}, err
	}
	pr, err := c.loadPlanResults(ctx, c.db.R, p, false)
	if err != nil {
		return ResultLine{}, domain.Internal(err)
	}
	r, ok := pr.byID[regID]
	if !ok || r.Status != domain.StatusApproved {
		return ResultLine{}, errRegistrationNotFound()
	}
	items, err := c.reviewItems([]repo.ReviewRow{r}, "")
	if err != nil {
		return ResultLine{}, err
	}
	return ResultLine{ReviewItem: items[0], Scores: pr.results[regID], CertNo: r.CertNo, Stage: r.CertStage,
		StageName: domain.CertStage(r.CertStage).Name()}, nil
}
