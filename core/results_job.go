package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// Staff job kinds and statuses (staff_jobs).
const (
	JobResultsImport = "results.import"
	JobBulkReview    = "review.bulk"

	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// jobStale is how long a running job may go without writing a batch before its
// page reports it interrupted.
const jobStale = 2 * time.Minute

var errJobNotFound = domain.NotFound("job_not_found", "任务不存在")

// ResultsUpload is the answer to an upload: the refused rows (nothing is
// written, no job), or the job writing the file in the background.
type ResultsUpload struct {
	Report ResultsReport
	JobID  int64
}

// JobView is what the console's job page shows of a staff job (a results
// import, a bulk review).
type JobView struct {
	ID      int64
	Kind    string
	PlanID  int64
	Status  string     // running, done, failed
	Total   int        // registrations to change
	Done    int        // registrations written
	Refused []RowError // a results import's refused rows
	Error   string     // in Chinese, when failed
}

// Running reports whether the job is still writing.
func (j JobView) Running() bool { return j.Status == JobRunning }

// Percent is the share written, 0–100.
func (j JobView) Percent() int {
	if j.Total == 0 {
		if j.Status == JobRunning {
			return 0
		}
		return 100
	}
	return j.Done * 100 / j.Total
}

// Left is how many of the job's rows it has not written (decided).
func (j JobView) Left() int { return max(j.Total-j.Done, 0) }

// StatusName is the job's status in Chinese.
func (j JobView) StatusName() string {
	switch j.Status {
	case JobDone:
		return "已完成"
	case JobFailed:
		return "失败"
	}
	if j.Kind == JobBulkReview {
		return "正在处理"
	}
	return "正在导入"
}

// StartResultsImport validates a results file whole (like ImportResults) and,
// when every row is right, records a staff job and writes the file in the
// background in batches of resultsBatch registrations, each batch's
// transaction also counting the job's progress. With refused rows nothing
// starts and the report lists them. The job outlives the request; WaitJobs
// waits for it.
func (c *Core) StartResultsImport(ctx context.Context, st *Staff, planID int64, fileName string, data []byte) (ResultsUpload, error) {
	imp, err := c.prepareResults(ctx, st, planID, fileName, data)
	if err != nil || len(imp.rep.Errors) > 0 {
		return ResultsUpload{Report: imp.rep}, err
	}
	refused, _ := json.Marshal(imp.rep.Errors)
	id, err := c.startJob(ctx, repo.StaffJob{Kind: JobResultsImport, PlanID: imp.plan.ID, StaffID: st.ID,
		Total: len(imp.changes), Refused: string(refused)}, "成绩导入", "results_import_running")
	if err != nil {
		return ResultsUpload{}, err
	}
	staff := *st
	bg := context.WithoutCancel(ctx)
	imp.rep.Changed = len(imp.changes)
	rep := imp.rep // the answer's copy: the job goroutine owns imp from here
	c.jobs.Add(1)
	go func() {
		defer c.jobs.Done()
		c.runResultsJob(bg, &staff, id, imp)
	}()
	return ResultsUpload{Report: rep, JobID: id}, nil
}

// runResultsJob writes a prepared import and closes its job: done, or failed
// with the rows saved so far (they stay written) and a results.failed audit row.
func (c *Core) runResultsJob(ctx context.Context, st *Staff, id int64, imp preparedResults) {
	start := time.Now()
	written, slowest, err := c.applyResults(ctx, st, imp.plan, imp.changes, AuditResultsImport, imp.detail,
		func(ctx context.Context, tx repo.Tx, done int) error {
			return tx.StaffJobProgress(ctx, id, done, c.dbNow())
		})
	if err == nil {
		c.finishJob(ctx, id, written, nil, "")
		c.log.Info("results job done", "job", id, "plan", imp.plan.ID, "rows", written, "elapsed", time.Since(start), "slowest_batch", slowest)
		return
	}
	c.log.Error("results job failed", "job", id, "plan", imp.plan.ID, "written", written, "err", err)
	msg := fmt.Sprintf("导入中途失败：已保存 %d 人，其余 %d 人未写入。可修正后重新上传同一文件，已保存的不会重复写入", written, len(imp.changes)-written)
	// The audit row first: whoever sees the job failed finds the row too.
	c.auditNow(ctx, st, AuditResultsFailed, "plan", imp.plan.ID,
		fmt.Sprintf("%s；任务 #%d 中途失败，已保存 %d 人，共 %d 人", imp.detail, id, written, len(imp.changes)))
	c.finishJob(ctx, id, written, err, msg)
}

// GetResultsImportJob returns a results import job of a plan st may see.
func (c *Core) GetResultsImportJob(ctx context.Context, st *Staff, planID, jobID int64) (JobView, error) {
	return c.planJob(ctx, st, planID, jobID, JobResultsImport)
}

// GetBulkReviewJob returns a bulk review job of a plan st may see.
func (c *Core) GetBulkReviewJob(ctx context.Context, st *Staff, planID, jobID int64) (JobView, error) {
	return c.planJob(ctx, st, planID, jobID, JobBulkReview)
}

// planJob reads a job of kind of a plan st may see; a job of another plan or
// kind is not found.
func (c *Core) planJob(ctx context.Context, st *Staff, planID, jobID int64, kind string) (JobView, error) {
	if _, err := c.planFor(ctx, c.db.Read(), st, planID, Read); err != nil {
		return JobView{}, err
	}
	j, err := c.db.StaffJob(ctx, jobID)
	if repo.IsNoRows(err) || (err == nil && (j.PlanID != planID || j.Kind != kind)) {
		return JobView{}, errJobNotFound
	}
	if err != nil {
		return JobView{}, domain.Internal(err)
	}
	out := JobView{ID: j.ID, Kind: j.Kind, PlanID: j.PlanID, Status: j.Status, Total: j.Total, Done: j.Done, Error: j.Error}
	if j.Status == JobRunning && c.dbNow().Sub(j.UpdatedAt) > jobStale {
		// Every batch touches the job; one untouched this long was cut off (a
		// server stopped without waiting, a crash): its page stops waiting.
		out.Status = JobFailed
		out.Error = fmt.Sprintf("导入已中断（服务器重启或故障）：已保存 %d 人，其余 %d 人未写入。可重新上传同一文件，已保存的不会重复写入", j.Done, j.Total-j.Done)
		if kind == JobBulkReview {
			out.Error = fmt.Sprintf("批量审核已中断（服务器重启或故障）：已处理 %d 条，其余 %d 条未处理。可刷新列表后重新操作，已处理的不会重复处理", j.Done, j.Total-j.Done)
		}
	}
	if j.Refused != "" {
		if err := json.Unmarshal([]byte(j.Refused), &out.Refused); err != nil {
			return JobView{}, domain.Internal(err)
		}
	}
	return out, nil
}

// startJob records a running job that holds its plan's lock for kind (one
// at a time per plan and kind, on every replica); a second answers a conflict
// naming the running one ("该计划已有一个<what>正在进行…").
func (c *Core) startJob(ctx context.Context, j repo.StaffJob, what, code string) (int64, error) {
	j.LockKey = fmt.Sprintf("%s:%d", j.Kind, j.PlanID)
	id, err := c.db.InsertStaffJob(ctx, j, c.dbNow(), jobStale)
	if running, ok := errors.AsType[*repo.JobRunningError](err); ok {
		msg := fmt.Sprintf("该计划已有一个%s正在进行，请等待其完成后再操作", what)
		if running.JobID != 0 {
			msg = fmt.Sprintf("该计划已有一个%s正在进行（任务 #%d），请等待其完成后再操作", what, running.JobID)
		}
		return 0, domain.Conflict(code, msg)
	}
	if err != nil {
		return 0, domain.Internal(err)
	}
	return id, nil
}

// finishJob closes a job: done, or failed with msg (Chinese) and the rows
// written so far.
func (c *Core) finishJob(ctx context.Context, id int64, done int, failed error, msg string) {
	status := JobDone
	if failed != nil {
		status = JobFailed
	} else {
		msg = ""
	}
	if err := c.db.FinishStaffJob(ctx, id, status, done, msg, c.dbNow()); err != nil {
		c.log.Error("staff job: finish failed", "job", id, "err", err)
	}
}

// WaitJobs waits for the staff jobs running in the background (server shutdown,
// before the database closes).
func (c *Core) WaitJobs() { c.jobs.Wait() }

// StopBackground makes background work that waits go ahead at once (the
// plan-full notice's second, planFullTellDelay), so that WaitJobs, called
// next at shutdown, does not lose it; safe to call twice.
func (c *Core) StopBackground() { c.quitOnce.Do(func() { close(c.quit) }) }
