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
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Act)
	if err != nil {
		return err
	}
	if err := c.resultsOpen(&p); err != nil {
		return err
	}
	// The one row and its results: the checks of a change need no other row.
	reg, err := c.db.GetReviewRow(ctx, planID, regID)
	if repo.IsNoRows(err) {
		return errRegistrationNotFound()
	}
	if err != nil {
		return domain.Internal(err)
	}
	results, err := c.resultsOf(ctx, []int64{regID})
	if err != nil {
		return domain.Internal(err)
	}
	pr := &planResults{plan: p, byID: map[int64]repo.ReviewRow{regID: reg}, results: results}
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

// ListResultLines lists a plan's approved registrations with their results and
// certificate progress, for staff who may see the plan: one page of rows read,
// opened and given their results.
func (c *Core) ListResultLines(ctx context.Context, st *Staff, planID int64, page, size int) (Page[ResultLine], error) {
	items, err := c.ListPlanRegistrations(ctx, st, planID, ReviewQuery{Status: string(domain.StatusApproved), Page: page, PageSize: size})
	if err != nil {
		return Page[ResultLine]{}, err
	}
	ids := make([]int64, len(items.Items))
	for i, it := range items.Items {
		ids[i] = it.ID
	}
	results, err := c.resultsOf(ctx, ids)
	if err != nil {
		return Page[ResultLine]{}, domain.Internal(err)
	}
	out := Page[ResultLine]{Items: []ResultLine{}, Total: items.Total, Page: items.Page, PageSize: items.PageSize}
	for _, it := range items.Items {
		out.Items = append(out.Items, resultLine(it, results[it.ID]))
	}
	return out, nil
}

// resultLine is a listed registration with its results and certificate progress.
func resultLine(it ReviewItem, scores map[domain.Subject]domain.Score) ResultLine {
	return ResultLine{ReviewItem: it, Scores: scores, CertNo: it.certNo, Stage: it.certStage,
		StageName: domain.CertStage(it.certStage).Name()}
}

// resultsOf reads the recorded results of some registrations, by registration.
func (c *Core) resultsOf(ctx context.Context, ids []int64) (map[int64]map[domain.Subject]domain.Score, error) {
	res, err := c.db.ExamResults(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := map[int64]map[domain.Subject]domain.Score{}
	for _, r := range res {
		if out[r.RegistrationID] == nil {
			out[r.RegistrationID] = map[domain.Subject]domain.Score{}
		}
		s := domain.Score{Result: domain.Result(r.Result)}
		if r.Score.Valid {
			v := r.Score.Float64
			s.Points = &v
		}
		out[r.RegistrationID][domain.Subject(r.Subject)] = s
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

// GetResultLine returns one approved registration of a plan for the edit form
// (that row read and opened, nothing else of the plan).
func (c *Core) GetResultLine(ctx context.Context, st *Staff, planID, regID int64) (ResultLine, error) {
	if _, err := c.planFor(ctx, c.db.Read(), st, planID, Act); err != nil {
		return ResultLine{}, err
	}
	r, err := c.db.GetReviewRow(ctx, planID, regID)
	if repo.IsNoRows(err) || (err == nil && r.Status != domain.StatusApproved) {
		return ResultLine{}, errRegistrationNotFound()
	}
	if err != nil {
		return ResultLine{}, domain.Internal(err)
	}
	items, err := c.reviewItems([]repo.ReviewRow{r})
	if err != nil {
		return ResultLine{}, err
	}
	results, err := c.resultsOf(ctx, []int64{regID})
	if err != nil {
		return ResultLine{}, domain.Internal(err)
	}
	return resultLine(items[0], results[regID]), nil
}
