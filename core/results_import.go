package core

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// RowError is one problem of a results file: the spreadsheet row (the header is
// row 1), the column and what is wrong, in Chinese.
type RowError struct {
	Line    int
	Column  string
	Message string
}

// ResultsReport is the outcome of a results upload.
type ResultsReport struct {
	Rows    int        // data rows read
	Changed int        // registrations changed
	Errors  []RowError // when not empty, nothing was applied
	Absent  int        // subjects marked 缺考: a seat, no check-in, the session over, no result given
}

// resultChange is one validated row: what changes for one registration.
type resultChange struct {
	line    int
	reg     repo.ReviewRow
	scores  map[domain.Subject]domain.Score // only the subjects that change
	certNo  string
	stage   domain.CertStage
	summary []string // what changed, in Chinese, for the event's note
}

// subjectColumns are the result columns in sheet order.
var subjectColumns = []struct {
	col     string
	subject domain.Subject
}{{"理论", domain.SubjectTheory}, {"实操", domain.SubjectPractical}, {"综合", domain.SubjectComprehensive}}

// planResults is what the validation reads once: the plan's registrations by the
// blind index of their ID number, and their recorded results.
type planResults struct {
	plan    repo.Plan
	byIdx   map[string]repo.ReviewRow
	byID    map[int64]repo.ReviewRow
	results map[int64]map[domain.Subject]domain.Score
}

// loadPlanResults reads a plan's registrations and results, for an import,
// which checks a whole plan. Only with byNumber (an import,
// which finds rows by ID number) are the sealed ID numbers opened to index
// them. The results page, the edit form and its save read only their own rows
// (ListResultLines, GetResultLine, EditResult).
func (c *Core) loadPlanResults(ctx context.Context, q repo.Reader, p repo.Plan, byNumber bool) (*planResults, error) {
	rows, _, err := c.db.ListReviewRows(ctx, repo.ReviewFilter{PlanID: p.ID}, domain.MaxPlanSeats, 0)
	if err != nil {
		return nil, err
	}
	pr := &planResults{plan: p, byIdx: map[string]repo.ReviewRow{}, byID: map[int64]repo.ReviewRow{},
		results: map[int64]map[domain.Subject]domain.Score{}}
	for _, r := range rows {
		pr.byID[r.ID] = r
		if !byNumber {
			continue
		}
		full, err := c.pii.Open(r.IDNumberEnc.String)
		if err != nil {
			return nil, err
		}
		pr.byIdx[c.IDNumberIndex(full)] = r
	}
	res, err := q.PlanResults(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range res {
		if pr.results[r.RegistrationID] == nil {
			pr.results[r.RegistrationID] = map[domain.Subject]domain.Score{}
		}
		s := domain.Score{Result: domain.Result(r.Result)}
		if r.Score.Valid {
			v := r.Score.Float64
			s.Points = &v
		}
		pr.results[r.RegistrationID][domain.Subject(r.Subject)] = s
	}
	return pr, nil
}

// ImportResults validates a results file (.xlsx or .csv) of a plan of st's
// institution as a whole and, only when every row is right, applies it in
// transactions of resultsBatch registrations, waiting for the end. Columns: 证件号码, 姓名, then any of 理论, 实操, 综合 (合格/不合格 or
// a score), 证书编号 and 证书进度; an empty cell changes nothing. Each changed
// registration gets a certificate progress event and an outbox row. The console
// uses StartResultsImport, which applies the file in the background.
func (c *Core) ImportResults(ctx context.Context, st *Staff, planID int64, fileName string, data []byte) (ResultsReport, error) {
	imp, err := c.prepareResults(ctx, st, planID, fileName, data)
	if err != nil || len(imp.rep.Errors) > 0 {
		return imp.rep, err
	}
	if _, _, err := c.applyResults(ctx, st, imp.plan, imp.changes, AuditResultsImport, imp.detail, nil); err != nil {
		return ResultsReport{}, err
	}
	imp.rep.Changed = len(imp.changes)
	return imp.rep, nil
}

// preparedResults is a validated results file: what to write, or why not.
type preparedResults struct {
	plan    repo.Plan
	changes []resultChange
	rep     ResultsReport
	detail  string // the audit row's text
}

// prepareResults reads and validates a results file as a whole. With refused
// rows (rep.Errors) nothing is to be written and the refusal is audited.
func (c *Core) prepareResults(ctx context.Context, st *Staff, planID int64, fileName string, data []byte) (preparedResults, error) {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Act)
	if err != nil {
		return preparedResults{}, err
	}
	if err := c.resultsOpen(&p); err != nil {
		return preparedResults{}, err
	}
	sheet, derr := readSheet(fileName, data)
	if derr != nil {
		return preparedResults{}, derr
	}
	pr, err := c.loadPlanResults(ctx, c.db.Read(), p, true)
	if err != nil {
		return preparedResults{}, domain.Internal(err)
	}
	changes, rep := pr.validate(c, sheet)
	if len(rep.Errors) > 0 {
		c.auditNow(ctx, st, AuditResultsRejected, "plan", p.ID, fmt.Sprintf("计划编号 %s，文件 %s，%d 处错误，未导入", p.PlanNo, fileName, len(rep.Errors)))
		return preparedResults{plan: p, rep: rep}, nil
	}
	changes, absent, err := c.markAbsent(ctx, pr, changes)
	if err != nil {
		return preparedResults{}, domain.Internal(err)
	}
	rep.Absent = absent
	detail := fmt.Sprintf("计划编号 %s，文件 %s，%d 行，更新 %d 人", p.PlanNo, fileName, rep.Rows, len(changes))
	if absent > 0 {
		detail += fmt.Sprintf("，缺考 %d 科次", absent)
	}
	return preparedResults{plan: p, changes: changes, rep: rep, detail: detail}, nil
}

// validate checks every row and returns the changes, or the errors.
func (pr *planResults) validate(c *Core, sheet [][]string) ([]resultChange, ResultsReport) {
	var rep ResultsReport
	if len(sheet) == 0 {
		rep.Errors = []RowError{{Line: 1, Message: "文件是空的"}}
		return nil, rep
	}
	idx, herrs := headerIndex(sheet[0])
	if len(herrs) > 0 {
		rep.Errors = herrs
		return nil, rep
	}
	cell := func(row []string, col string) string {
		if i, ok := idx[col]; ok && i < len(row) {
			return row[i]
		}
		return ""
	}
	seen := map[int64]int{}
	var out []resultChange
	for i, row := range sheet[1:] {
		line := i + 2
		if strings.Join(row, "") == "" {
			continue
		}
		rep.Rows++
		in := resultInput{IDNumber: cell(row, colIDNumber), Name: cell(row, colName),
			CertNo: cell(row, colCertNo), Stage: cell(row, colStage), Scores: map[domain.Subject]string{}}
		for _, sc := range subjectColumns {
			in.Scores[sc.subject] = cell(row, sc.col)
		}
		reg, errs := pr.find(c, in, line)
		if len(errs) == 0 {
			if prev, dup := seen[reg.ID]; dup {
				errs = append(errs, RowError{line, colIDNumber, fmt.Sprintf("与第%d行是同一考生", prev)})
			}
			seen[reg.ID] = line
		}
		if len(errs) == 0 {
			var ch *resultChange
			ch, errs = pr.change(reg, in, line)
			if ch != nil {
				out = append(out, *ch)
			}
		}
		rep.Errors = append(rep.Errors, errs...)
	}
	if rep.Rows == 0 && len(rep.Errors) == 0 {
		rep.Errors = []RowError{{Line: 2, Message: "文件中没有数据行"}}
	}
	return out, rep
}

// resultInput is one row (or the one-row edit form) as typed.
type resultInput struct {
	IDNumber, Name, CertNo, Stage string
	Scores                        map[domain.Subject]string
}

// find matches a row to an approved registration of the plan.
func (pr *planResults) find(c *Core, in resultInput, line int) (repo.ReviewRow, []RowError) {
	if in.IDNumber == "" {
		return repo.ReviewRow{}, []RowError{{line, colIDNumber, "请填写证件号码"}}
	}
	reg, ok := pr.byIdx[c.IDNumberIndex(in.IDNumber)]
	if !ok {
		return repo.ReviewRow{}, []RowError{{line, colIDNumber, "本评价计划中没有该证件号码的报名"}}
	}
	var errs []RowError
	if in.Name != reg.Name {
		errs = append(errs, RowError{line, colName, "姓名与证件号码对应的考生（" + reg.Name + "）不符"})
	}
	if reg.Status != domain.StatusApproved {
		errs = append(errs, RowError{line, colIDNumber, "该考生的报名状态为“" + reg.Status.Name() + "”，只有审核通过的考生可以录入成绩"})
	}
	return reg, errs
}

// change checks a row's values against the registration's current state and
// returns what changes (nil when nothing does).
func (pr *planResults) change(reg repo.ReviewRow, in resultInput, line int) (*resultChange, []RowError) {
	var errs []RowError
	ch := &resultChange{line: line, reg: reg, scores: map[domain.Subject]domain.Score{}, certNo: reg.CertNo,
		stage: domain.CertStage(reg.CertStage)}
	current := pr.results[reg.ID]
	for _, sc := range subjectColumns {
		v := in.Scores[sc.subject]
		if v == "" {
			continue
		}
		s, err := domain.ParseScore(v)
		if err != nil {
			errs = append(errs, RowError{line, sc.col, domain.MessageOf(err)})
			continue
		}
		if old, ok := current[sc.subject]; !ok || !sameScore(old, s) {
			ch.scores[sc.subject] = s
			ch.summary = append(ch.summary, sc.col+scoreText(s))
		}
	}
	if in.CertNo != "" {
		no := domain.NormalizeCertNo(in.CertNo)
		if !domain.ValidCertNo(no, domain.Level(pr.plan.Level)) {
			errs = append(errs, RowError{line, colCertNo, fmt.Sprintf("证书编号应为Y或S加21位数字，且第16位为评价等级（本计划为%d）", pr.plan.Level)})
		} else if no != reg.CertNo {
			ch.certNo = no
			ch.summary = append(ch.summary, "证书编号 "+no)
		}
	}
	if in.Stage != "" {
		s, err := domain.ParseCertStage(in.Stage)
		switch {
		case err != nil:
			errs = append(errs, RowError{line, colStage, "证书进度应为：成绩录入、成绩公示、认定结果审核通过、证书制作（赋码）、已上报全国联网、待领取、已邮寄、已领取"})
		case s.Position() < domain.CertStage(reg.CertStage).Position():
			errs = append(errs, RowError{line, colStage, "证书进度不能回退（当前为“" + domain.CertStage(reg.CertStage).Name() + "”）"})
		case s != domain.CertStage(reg.CertStage):
			ch.stage = s
			ch.summary = append(ch.summary, "证书进度 "+s.Name())
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if ch.stage == "" && len(ch.scores) > 0 {
		ch.stage = domain.StageScoreEntered
	}
	if ch.stage.Position() >= domain.StageCertMade.Position() && ch.certNo == "" {
		return nil, []RowError{{line, colCertNo, "证书制作（赋码）及之后的进度须填写证书编号"}}
	}
	if ch.stage.Position() >= domain.StageScorePublished.Position() && len(current) == 0 && len(ch.scores) == 0 {
		return nil, []RowError{{line, colStage, "尚未录入成绩，不能进入“" + ch.stage.Name() + "”"}}
	}
	if len(ch.summary) == 0 && ch.stage == domain.CertStage(reg.CertStage) {
		return nil, nil
	}
	return ch, nil
}

func sameScore(a, b domain.Score) bool {
	if a.Result != b.Result || (a.Points == nil) != (b.Points == nil) {
		return false
	}
	return a.Points == nil || *a.Points == *b.Points
}

func scoreText(s domain.Score) string {
	if s.Points != nil {
		return fmt.Sprintf(" %g分（%s）", *s.Points, s.Result.Name())
	}
	return " " + s.Result.Name()
}

// resultsBatch is how many registrations' changes one transaction of a results
// import writes: between batches SQLite's writer is free, so candidates'
// submits on any plan wait for one batch at most, not for the whole file.
const resultsBatch = 200

// applyResults writes validated changes in transactions of resultsBatch
// registrations: results, the certificate number and stage, a progress event
// and an outbox row for each, the outbox rows in the same transaction as their
// change. The audit row goes with the last batch. progress (when not nil) runs
// inside each batch's transaction with the number of changes written once it
// commits. A failure stops the import after the batches already written (each
// change is whole; uploading the same file again writes only what is left);
// written says how many changes were saved, slowest the longest a batch's
// transaction took (what a candidate's submit may wait for on SQLite).
func (c *Core) applyResults(ctx context.Context, st *Staff, p repo.Plan, changes []resultChange, action, detail string,
	progress func(ctx context.Context, tx repo.Tx, written int) error) (written int, slowest time.Duration, err error) {
	for start := 0; start < len(changes) || start == 0; start += resultsBatch {
		t0 := time.Now()
		batch := changes[start:min(start+resultsBatch, len(changes))]
		last := start+resultsBatch >= len(changes)
		if err := c.applyResultsBatch(ctx, st, p, batch, last, action, detail, func(ctx context.Context, tx repo.Tx) error {
			if progress == nil {
				return nil
			}
			return progress(ctx, tx, start+len(batch))
		}); err != nil {
			return written, slowest, err
		}
		slowest = max(slowest, time.Since(t0))
		written = start + len(batch)
	}
	return written, slowest, nil
}

// applyResultsBatch writes one batch of changes in one transaction (and the
// audit row, when it is the last) in multi-row statements: the results (one
// DELETE per subject and one INSERT), the certificates (one UPDATE), the
// progress events (one INSERT) and their outbox rows (EnqueueEvents).
func (c *Core) applyResultsBatch(ctx context.Context, st *Staff, p repo.Plan, changes []resultChange, last bool, action, detail string,
	inTx func(ctx context.Context, tx repo.Tx) error) error {
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		now := c.dbNow()
		var rows []repo.PlanResult
		for _, ch := range changes {
			for subj, s := range ch.scores {
				row := repo.PlanResult{RegistrationID: ch.reg.ID, Subject: string(subj), Result: string(s.Result)}
				if s.Points != nil {
					row.Score = sql.NullFloat64{Float64: *s.Points, Valid: true}
				}
				rows = append(rows, row)
			}
		}
		if err := tx.SetExamResults(ctx, rows, now); err != nil {
			return err
		}
		certs := make([]repo.CertChange, len(changes))
		for i, ch := range changes {
			certs[i] = repo.CertChange{RegistrationID: ch.reg.ID, CertNo: ch.certNo, Stage: string(ch.stage),
				Note: strings.Join(ch.summary, "；")}
		}
		if err := tx.SetCertificates(ctx, certs, now); err != nil {
			return err
		}
		evIDs, err := tx.InsertCertEvents(ctx, certs, now, st.ID)
		if err != nil {
			return err
		}
		events := make([]Event, len(changes))
		for i, ch := range changes {
			events[i] = resultEvent(p, ch, certs[i].Note, evIDs[ch.reg.ID])
		}
		if err := c.EnqueueEvents(ctx, tx, events); err != nil {
			return err
		}
		if err := inTx(ctx, tx); err != nil {
			return err
		}
		if !last {
			return nil
		}
		return c.audit(ctx, tx.Writer, st, action, "plan", p.ID, detail)
	})
	if err != nil {
		return asDomainError(err)
	}
	return nil
}

// resultEvent is the candidate's notification of one change: the stage reached,
// or (results only) the results.
func resultEvent(p repo.Plan, ch resultChange, note string, eventID int64) Event {
	e := Event{Kind: domain.EventCertStage, CandidateID: ch.reg.CandidateID, RegistrationID: ch.reg.ID, PlanID: p.ID,
		Key:     fmt.Sprintf("%d:%d", ch.reg.ID, eventID),
		Payload: map[string]any{"stage": string(ch.stage), "note": note, "plan_no": p.PlanNo, "plan_name": p.PlanName}}
	if ch.certNo != "" {
		e.Payload["cert_no"] = ch.certNo
	}
	if ch.stage == domain.CertStage(ch.reg.CertStage) {
		e.Kind = domain.EventResultPublished
		e.Payload["summary"] = note
	}
	return e
}
