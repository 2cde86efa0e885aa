package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"skillcert/domain"
	"skillcert/repo"
)

// Staff job kinds and statuses (staff_jobs).
const (
	JobResultsImport = "results.import"

	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// jobStale is how long a running job may go without writing a batch before its
// page reports it interrupted.
const jobStale = 2 * time.Minute

var errJobNotFound = domain.NotFound("job_not_found", "导入任务不存在")

// ResultsUpload is the answer to an upload: the refused rows (nothing is
// written, no job), or the job writing the file in the background.
type ResultsUpload struct {
	Report ResultsReport
	JobID  int64
}

// ResultsJob is what the console's job page shows of a results import.
type ResultsJob struct {
	ID      int64
	PlanID  int64
	Status  string // running, done, failed
	Total   int    // registrations to change
	Done    int    // registrations written
	Refused []RowError
	Error   string // in Chinese, when failed
}

// Running reports whether the job is still writing.
func (j ResultsJob) Running() bool { return j.Status == JobRunning }

// Percent is the share written, 0–100.
func (j ResultsJob) Percent() int {
	if j.Total == 0 {
		if j.Status == JobRunning {
			return 0
		}
		return 100
	}
	return j.Done * 100 / j.Total
}

// StatusName is the job's status in Chinese.
func (j ResultsJob) StatusName() string {
	switch j.Status {
	case JobDone:
		return "已完成"
	case JobFailed:
		return "失败"
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
	id, err := c.db.InsertStaffJob(ctx, repo.StaffJob{Kind: JobResultsImport, PlanID: imp.plan.ID, StaffID: st.ID,
		Total: len(imp.changes), Refused: string(refused), LockKey: fmt.Sprintf("%s:%d", JobResultsImport, imp.plan.ID)},
		c.dbNow(), jobStale)
	if running, ok := errors.AsType[*repo.JobRunningError](err); ok {
		// Two imports of one plan at once would interleave their batches and
		// notify candidates twice: the second waits for the first.
		msg := "该计划已有一个成绩导入正在进行，请等待其完成后再上传"
		if running.JobID != 0 {
			msg = fmt.Sprintf("该计划已有一个成绩导入正在进行（任务 #%d），请等待其完成后再上传", running.JobID)
		}
		return ResultsUpload{}, domain.Conflict("results_import_running", msg)
	}
	if err != nil {
		return ResultsUpload{}, domain.Internal(err)
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
		func(ctx context.Context, tx *sqlx.Tx, done int) error {
			return c.db.StaffJobProgress(ctx, tx, id, done, c.dbNow())
		})
	if err == nil {
		if ferr := c.db.FinishStaffJob(ctx, id, JobDone, written, "", c.dbNow()); ferr != nil {
			c.log.Error("results job: finish failed", "job", id, "err", ferr)
		}
		c.log.Info("results job done", "job", id, "plan", imp.plan.ID, "rows", written, "elapsed", time.Since(start), "slowest_batch", slowest)
		return
	}
	c.log.Error("results job failed", "job", id, "plan", imp.plan.ID, "written", written, "err", err)
	msg := fmt.Sprintf("导入中途失败：已保存 %d 人，其余 %d 人未写入。可修正后重新上传同一文件，已保存的不会重复写入", written, len(imp.changes)-written)
	if ferr := c.db.FinishStaffJob(ctx, id, JobFailed, written, msg, c.dbNow()); ferr != nil {
		c.log.Error("results job: finish failed", "job", id, "err", ferr)
	}
	c.auditNow(ctx, st, AuditResultsFailed, "plan", imp.plan.ID,
		fmt.Sprintf("%s；任务 #%d 中途失败，已保存 %d 人，共 %d 人", imp.detail, id, written, len(imp.changes)))
}

// ResultsImportJob returns a results import job of a plan st may see.
func (c *Core) ResultsImportJob(ctx context.Context, st *Staff, planID, jobID int64) (ResultsJob, error) {
	if _, err := c.planFor(ctx, c.db.R, st, planID, Read); err != nil {
		return ResultsJob{}, err
	}
	j, err := c.db.StaffJob(ctx, jobID)
	if repo.IsNoRows(err) || (err == nil && (j.PlanID != planID || j.Kind != JobResultsImport)) {
		return ResultsJob{}, errJobNotFound
	}
	if err != nil {
		return ResultsJob{}, domain.Internal(err)
	}
	out := ResultsJob{ID: j.ID, PlanID: j.PlanID, Status: j.Status, Total: j.Total, Done: j.Done, Error: j.Error}
	if j.Status == JobRunning && c.dbNow().Sub(j.UpdatedAt) > jobStale {
		// Every batch touches the job; one untouched this long was cut off (a
		// server stopped without waiting, a crash): its page stops waiting.
		out.Status = JobFailed
		out.Error = fmt.Sprintf("导入已中断（服务器重启或故障）：已保存 %d 人，其余 %d 人未写入。可重新上传同一文件，已保存的不会重复写入", j.Done, j.Total-j.Done)
	}
	if j.Refused != "" {
		if err := json.Unmarshal([]byte(j.Refused), &out.Refused); err != nil {
			return ResultsJob{}, domain.Internal(err)
		}
	}
	return out, nil
}

// WaitJobs waits for the staff jobs running in the background (server shutdown,
// before the database closes).
func (c *Core) WaitJobs() { c.jobs.Wait() }
