package core

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// MaxBulkIDs is how many ticked registrations one bulk request may name; more
// are decided with "all matching the filter" (BulkReviewRequest.All).
const MaxBulkIDs = 500

// bulkBatch is how many registrations one transaction of a bulk review decides:
// small enough that SQLite's single writer is free again within milliseconds,
// so candidates' submits interleave with a decision on thousands.
const bulkBatch = 200

// bulkJobFrom is how many registrations an "all matching" decision may name and
// still be decided within the request (a few batches, well under a second);
// more run as a background job whose page shows the progress.
const bulkJobFrom = 1000

// BulkReviewRequest is one decision (approve, return or reject) on many
// registrations of a plan awaiting review: the ticked ones, or every one
// matching the list's filter.
type BulkReviewRequest struct {
	Decision ReviewDecision
	IDs      []int64 // the ticked registrations (at most MaxBulkIDs)
	// All: every registration awaiting review that matches Filter (its status
	// and page are ignored). Expect is the number the reviewer confirmed; when
	// more match now, nothing is decided.
	All    bool
	Filter ReviewQuery
	Expect int
}

// BulkResult says how a bulk review went.
type BulkResult struct {
	Done    int   // decided now
	Skipped int   // no longer awaiting review, or not of the plan
	JobID   int64 // a large decision runs as this job (Done and Skipped are 0)
}

// CountPendingMatching counts the registrations of a plan awaiting review that match
// the list's filter q (its status is ignored): the N of "all N matching".
func (c *Core) CountPendingMatching(ctx context.Context, st *Staff, planID int64, q ReviewQuery) (int, error) {
	if _, err := c.planFor(ctx, c.db.Read(), st, planID, Read); err != nil {
		return 0, err
	}
	f, suffix, err := c.reviewFilter(planID, q)
	if err != nil {
		return 0, err
	}
	if suffix == "" {
		n, err := c.db.CountPending(ctx, f)
		if err != nil {
			return 0, domain.Internal(err)
		}
		return n, nil
	}
	ids, err := c.pendingIDs(ctx, planID, q)
	return len(ids), err
}

// pendingIDs lists the registrations awaiting review that match q, in id order.
func (c *Core) pendingIDs(ctx context.Context, planID int64, q ReviewQuery) ([]int64, error) {
	f, suffix, err := c.reviewFilter(planID, q)
	if err != nil {
		return nil, err
	}
	if suffix == "" {
		ids, err := c.db.PendingIDs(ctx, f, domain.MaxPlanSeats)
		if err != nil {
			return nil, domain.Internal(err)
		}
		return ids, nil
	}
	// Part of a number: the rows sharing its last four, opened to compare (as the list does).
	f.Status = domain.StatusSubmitted
	rows, _, err := c.db.ListReviewRows(ctx, f, domain.MaxPlanSeats, 0)
	if err != nil {
		return nil, domain.Internal(err)
	}
	items, err := c.keepIDSuffix(rows, suffix)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	slices.Sort(ids)
	return ids, nil
}

// ReviewRegistrations applies one decision to many registrations of a plan of st's
// institution, bulkBatch a transaction: in each, the batch's rows still awaiting
// review are locked and changed by one statement, and their outbox events and
// audit entries are written in multi-row statements, so every registration is
// decided and notified exactly once. Those no longer awaiting review are skipped.
func (c *Core) ReviewRegistrations(ctx context.Context, st *Staff, planID int64, req BulkReviewRequest) (BulkResult, error) {
	var res BulkResult
	d := req.Decision
	switch d.Action {
	case domain.ActionApprove, domain.ActionReturn, domain.ActionReject:
	default:
		return res, domain.Invalid(domain.FieldAction, "action_invalid", "批量审核只能审核通过、退回修改或审核不通过")
	}
	if err := d.validate(); err != nil {
		return res, err
	}
	if _, err := c.planFor(ctx, c.db.Read(), st, planID, Act); err != nil {
		return res, err
	}
	var ids []int64
	if req.All {
		var err error
		if ids, err = c.pendingIDs(ctx, planID, req.Filter); err != nil {
			return res, err
		}
		if req.Expect > 0 && len(ids) > req.Expect {
			return res, domain.Conflict("bulk_changed", fmt.Sprintf(
				"符合条件的待审核报名已变为%d条（确认时为%d条），请刷新页面后重新确认", len(ids), req.Expect))
		}
	} else {
		if len(req.IDs) > MaxBulkIDs {
			return res, domain.Invalid("ids", "too_many", fmt.Sprintf(
				"勾选的报名（ids）一次最多%d条，本次为%d条；要处理全部符合条件的报名，请使用“全部待审核报名”按钮",
				MaxBulkIDs, len(req.IDs)))
		}
		ids = slices.Clone(req.IDs)
		slices.Sort(ids)
		ids = slices.Compact(ids)
	}
	to, derr := domain.Transition(domain.StatusSubmitted, d.Action)
	if derr != nil {
		return res, derr
	}
	if req.All && len(ids) > bulkJobFrom {
		return c.startBulkJob(ctx, st, planID, ids, d, to)
	}
	done, err := c.decideInBatches(ctx, st, planID, ids, d, to, nil)
	return BulkResult{Done: done, Skipped: len(ids) - done}, err
}

// decideInBatches decides ids bulkBatch a transaction and returns how many it
// changed; progress, when set, runs in each batch's transaction with the
// number decided so far. Freed seats are offered again at the end.
func (c *Core) decideInBatches(ctx context.Context, st *Staff, planID int64, ids []int64, d ReviewDecision, to domain.Status,
	progress func(ctx context.Context, tx repo.Tx, done int) error) (int, error) {
	done := 0
	var err error
	for start := 0; start < len(ids) && err == nil; start += bulkBatch {
		var n int
		n, err = c.reviewBatch(ctx, st, planID, ids[start:min(start+bulkBatch, len(ids))], d, to, func(ctx context.Context, tx repo.Tx, n int) error {
			if progress == nil {
				return nil
			}
			return progress(ctx, tx, done+n)
		})
		done += n
	}
	if done > 0 && domain.SeatDelta(domain.StatusSubmitted, to) < 0 {
		c.refreshSeats(ctx, planID)
	}
	return done, err
}

// startBulkJob records a bulk review job of ids and decides them in the
// background; the job's page shows the progress.
func (c *Core) startBulkJob(ctx context.Context, st *Staff, planID int64, ids []int64, d ReviewDecision, to domain.Status) (BulkResult, error) {
	id, err := c.startJob(ctx, repo.StaffJob{Kind: JobBulkReview, PlanID: planID, StaffID: st.ID, Total: len(ids)},
		"批量审核", "bulk_review_running")
	if err != nil {
		return BulkResult{}, err
	}
	staff := *st
	bg := context.WithoutCancel(ctx)
	c.jobs.Add(1)
	go func() {
		defer c.jobs.Done()
		start := time.Now()
		done, err := c.decideInBatches(bg, &staff, planID, ids, d, to, func(ctx context.Context, tx repo.Tx, done int) error {
			return tx.StaffJobProgress(ctx, id, done, c.dbNow())
		})
		if err != nil {
			c.log.Error("bulk review job failed", "job", id, "plan", planID, "decided", done, "err", err)
		} else {
			c.log.Info("bulk review job done", "job", id, "plan", planID, "decided", done, "of", len(ids), "elapsed", time.Since(start))
		}
		c.finishJob(bg, id, done, err, fmt.Sprintf("批量审核中途失败：已处理 %d 条，其余 %d 条未处理（%s）。可刷新列表后重新操作，已处理的不会重复处理",
			done, len(ids)-done, domain.MessageOf(err)))
	}()
	return BulkResult{JobID: id}, nil
}

// reviewBatch decides one batch in one transaction and returns how many
// registrations it changed.
func (c *Core) reviewBatch(ctx context.Context, st *Staff, planID int64, ids []int64, d ReviewDecision, to domain.Status,
	progress func(ctx context.Context, tx repo.Tx, decided int) error) (int, error) {
	done := 0
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		done = 0
		p, err := c.planFor(ctx, tx.Reader, st, planID, Act)
		if err != nil {
			return err
		}
		rows, err := tx.LockPending(ctx, p.ID, ids)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return progress(ctx, tx, 0)
		}
		keep := make([]int64, len(rows))
		for i, r := range rows {
			keep[i] = r.ID
		}
		now := c.dbNow()
		rec := repo.ReviewRecord{ReviewedBy: st.ID, Note: d.Reason, ReturnFields: strings.Join(d.Fields, ",")}
		n, err := tx.DecidePending(ctx, p.ID, keep, repo.BulkDecision{To: string(to), SeatHeld: to.HoldsSeat(), Record: rec}, now)
		if err != nil {
			return err
		}
		if n != len(rows) { // a row changed under us (SQLite holds the writer, MySQL the row locks)
			return domain.Conflict("status_changed", "报名状态已变化，请刷新后重试")
		}
		if domain.SeatDelta(domain.StatusSubmitted, to) == 0 { // FreeSeats moves the plan's activity itself
			if err := tx.TouchPlanActivity(ctx, p.ID, now); err != nil {
				return err
			}
		}
		if domain.SeatDelta(domain.StatusSubmitted, to) < 0 {
			if err := tx.FreeSeats(ctx, p.ID, n, now); err != nil {
				return err
			}
			if err := c.seatFreed(ctx, tx, p.ID); err != nil {
				return err
			}
		}
		events := make([]Event, len(rows))
		audits := make([]repo.AuditEntry, len(rows))
		detail := fmt.Sprintf("计划编号 %s：%s → %s（批量）", p.PlanNo, domain.StatusSubmitted.Name(), to.Name())
		if d.Reason != "" {
			detail += "；原因：" + d.Reason
		}
		at := c.now().UTC().Truncate(time.Microsecond)
		for i, r := range rows {
			events[i] = statusEvent(p, r.ID, r.CandidateID, to, d.Action, now)
			audits[i] = repo.AuditEntry{ActorKind: "staff", ActorID: sql.NullInt64{Int64: st.ID, Valid: st.ID != 0},
				Action: AuditRegReview, ObjectKind: "registration", ObjectID: sql.NullInt64{Int64: r.ID, Valid: true},
				Detail: detail, IP: st.IP, CreatedAt: at}
		}
		if err := c.EnqueueEvents(ctx, tx, events); err != nil {
			return err
		}
		if err := tx.InsertAuditMany(ctx, audits); err != nil {
			return err
		}
		done = n
		return progress(ctx, tx, n)
	})
	if err != nil {
		return 0, asDomainError(err)
	}
	return done, nil
}
