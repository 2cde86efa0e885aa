package core

import (
	"context"
	"fmt"

	"skillcert/domain"
	"skillcert/repo"
)

func errFeedbackChanged() *domain.Error {
	return domain.Conflict("feedback_changed", "该反馈刚被其他人处理过，请刷新后再操作")
}

// SetFeedbackStatus moves a feedback to another status (domain.MoveFeedback);
// only the supervisor of its region may. Audited.
func (c *Core) SetFeedbackStatus(ctx context.Context, st *Staff, id int64, to string) error {
	f, err := c.feedbackFor(ctx, st, id, true)
	if err != nil {
		return err
	}
	from, next := f.Status, domain.FeedbackStatus(to)
	if err := domain.MoveFeedback(from, next); err != nil {
		return err
	}
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		ok, err := tx.SetFeedbackStatus(ctx, id, from, next, c.dbNow())
		if err != nil {
			return err
		}
		if !ok {
			return errFeedbackChanged()
		}
		return c.audit(ctx, tx.Writer, st, AuditFeedbackStatus, "feedback", id,
			fmt.Sprintf("计划编号 %s，%s → %s", f.PlanNo, from.Name(), next.Name()))
	})
	if err != nil {
		return asDomainError(err)
	}
	return nil
}

// FeedbackReplyInput is a supervisor's answer to a feedback.
type FeedbackReplyInput struct {
	Text  string // at most domain.FeedbackReplyMax characters
	Close bool   // close it (已办结) with the reply; else it is 处理中
}

// ReplyFeedback records the supervisor's reply and moves the feedback to 处理中
// or 已办结. The reply reaches the candidate as a feedback.replied notification,
// enqueued in the same transaction. A closed feedback must be reopened first.
func (c *Core) ReplyFeedback(ctx context.Context, st *Staff, id int64, in FeedbackReplyInput) error {
	f, err := c.feedbackFor(ctx, st, id, true)
	if err != nil {
		return err
	}
	text, verr := domain.CheckReply(in.Text)
	if verr != nil {
		return verr
	}
	if f.Status == domain.FeedbackClosed {
		return domain.Conflict("feedback_closed", "该反馈已办结，如需再次答复请先改为“处理中”")
	}
	to := domain.FeedbackProcessing
	if in.Close {
		to = domain.FeedbackClosed
	}
	now := c.dbNow()
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		ok, err := tx.ReplyFeedback(ctx, id, repo.FeedbackReply{Text: text, By: st.ID, Status: to,
			From: f.Status, RepliedAt: now})
		if err != nil {
			return err
		}
		if !ok {
			return errFeedbackChanged()
		}
		if err := c.EnqueueEvent(ctx, tx, Event{Kind: domain.EventFeedbackReplied, CandidateID: f.CandidateID,
			RegistrationID: f.RegistrationID.Int64, PlanID: f.PlanID,
			Payload: map[string]any{"note": text, "category": c.opts.FeedbackCategoryName(f.Category),
				"feedback_id": f.ID, "status": string(to)},
			Key: fmt.Sprintf("%d:%d", f.ID, now.UnixMicro())}); err != nil {
			return err
		}
		return c.audit(ctx, tx.Writer, st, AuditFeedbackReply, "feedback", id,
			fmt.Sprintf("计划编号 %s，状态 %s", f.PlanNo, to.Name()))
	})
	if err != nil {
		return asDomainError(err)
	}
	return nil
}

// feedbackColumns are the columns of the feedback export.
var feedbackColumns = []column{{"序号", 6}, {"提交时间", 17}, {"反馈类别", 10}, {"评价计划编号", 12},
	{"评价计划名称", 30}, {"评价机构", 24}, {"反馈内容", 50}, {"图片数", 7}, {"反馈人", 12},
	{"联系电话", 14}, {"办理状态", 9}, {"答复内容", 40}, {"答复时间", 17}}

// ExportFeedback is the reader's inbox (filtered like the page) as .xlsx, every
// matching feedback streamed row by row, with the same identity rules as the
// page: no name or contact for anonymous feedback unless the reader is an
// admin. Audited with the number of rows that went out.
func (c *Core) ExportFeedback(ctx context.Context, st *Staff, q FeedbackQuery) (*SheetStream, error) {
	f, err := feedbackFilter(st, q)
	if err != nil {
		return nil, err
	}
	fill := func(ctx context.Context, put func([]any) error) (int, error) {
		n := 0
		err := c.db.EachFeedback(ctx, f, func(r repo.FeedbackRow) error {
			v, err := c.staffFeedback(st, r)
			if err != nil {
				return err
			}
			replied := ""
			if v.RepliedAt != nil {
				replied = domain.FormatCNTime(*v.RepliedAt)
			}
			n++
			return put([]any{n, domain.FormatCNTime(v.CreatedAt), v.CategoryName, v.Plan.PlanNo,
				v.Plan.PlanName, v.Plan.InstitutionName, v.Content, v.ImageCount, v.Sender, v.Contact, v.StatusName,
				v.Reply, replied})
		})
		return n, err
	}
	scope := st.Region
	if scope == "" {
		scope = "全部地区"
	}
	done := func(ctx context.Context, n int, err error) {
		detail := fmt.Sprintf("%s，%d 条", scope, n)
		if err != nil {
			detail += "（导出中断）"
		}
		c.auditNow(context.WithoutCancel(ctx), st, AuditFeedbackExport, "", 0, detail)
	}
	return &SheetStream{FileName: "督导反馈_" + domain.TodayBeijing(c.now()) + ".xlsx", sheet: "督导反馈",
		cols: feedbackColumns, fill: fill, done: done}, nil
}
