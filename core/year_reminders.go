package core

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// Reminders that keep a candidate from missing a plan (issue 25): a draft not
// submitted 3 days and 1 day before the deadline, a return not answered a day
// later. Like the exam reminder they are enqueued by every scheduler that runs;
// the outbox's de-duplication key (kind, candidate, registration) makes each
// once, and every channel rule of the dispatcher applies.

// ReturnReminderAfter is how long after a return (退回修改) a registration not
// resubmitted is reminded.
const ReturnReminderAfter = 24 * time.Hour

// returnReminderWindow bounds how far back returns are looked at, so the scan
// stays small; a scheduler stopped longer than this misses older ones.
const returnReminderWindow = 7 * 24 * time.Hour

// EnqueueRegistrationReminders enqueues the deadline reminders of drafts (from
// 09:00 Beijing time on the day 3 days and 1 day before the deadline) and the
// reminders of returns not resubmitted for a day. It returns how many events it
// offered to the outbox (repeats are offered again and dropped there).
func (c *Core) EnqueueRegistrationReminders(ctx context.Context) (int, error) {
	now := c.now().In(domain.Beijing)
	total := 0
	if now.Hour() >= ExamReminderHour {
		day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, domain.Beijing)
		for _, r := range []struct {
			days int
			kind string
		}{{3, domain.EventDeadlineIn3Days}, {1, domain.EventDeadlineIn1Day}} {
			deadline := day.AddDate(0, 0, r.days).Format(domain.DateLayout)
			n, err := c.enqueuePaged(ctx, func(after int64) ([]repo.DueRegistration, error) {
				return c.db.DraftsDueForDeadline(ctx, deadline, after, reminderBatch)
			}, func(d repo.DueRegistration) Event {
				end, _ := domain.ParseDate(d.RegDeadline)
				return Event{Kind: r.kind, CandidateID: d.CandidateID, RegistrationID: d.RegistrationID, PlanID: d.PlanID,
					Key: reminderKey(d.RegistrationID), Payload: map[string]any{"note": fmt.Sprintf(
						"%d月%d日24:00截止，请尽快提交", end.Month(), end.Day())}}
			})
			total += n
			if err != nil {
				return total, err
			}
		}
	}
	cut := c.now().Add(-ReturnReminderAfter).UTC()
	since := cut.Add(-returnReminderWindow)
	n, err := c.enqueuePaged(ctx, func(after int64) ([]repo.DueRegistration, error) {
		return c.db.ReturnedNotResubmitted(ctx, cut, since, after, reminderBatch)
	}, func(d repo.DueRegistration) Event {
		return Event{Kind: domain.EventReturnPending, CandidateID: d.CandidateID, RegistrationID: d.RegistrationID,
			PlanID: d.PlanID, Key: reminderKey(d.RegistrationID),
			Payload: map[string]any{"note": "已退回修改，请按审核意见修改后尽快提交"}}
	})
	return total + n, err
}

// enqueuePaged enqueues one event per row of a paged query, a page per
// transaction in multi-row statements.
func (c *Core) enqueuePaged(ctx context.Context, page func(after int64) ([]repo.DueRegistration, error),
	event func(repo.DueRegistration) Event) (int, error) {
	total := 0
	var after int64
	for {
		rows, err := page(after)
		if err != nil {
			return total, domain.Internal(err)
		}
		if len(rows) == 0 {
			return total, nil
		}
		events := make([]Event, len(rows))
		for i, r := range rows {
			events[i] = event(r)
		}
		err = c.db.WithTx(ctx, func(tx repo.Tx) error { return c.EnqueueEvents(ctx, tx, events) })
		if err != nil {
			return total, domain.Internal(err)
		}
		total += len(rows)
		after = rows[len(rows)-1].RegistrationID
		if len(rows) < reminderBatch {
			return total, nil
		}
	}
}

// planFullTellDelay is how long after a plan fills its drafts are told: the
// submits of the burst that filled it, refused from memory by the thousand,
// are answered first, without a thousand outbox rows written meanwhile on the
// same cores. A seat freed within the delay makes the plan not full, and
// nobody is told.
const planFullTellDelay = time.Second

// tellDraftsPlanFull tells the drafts of a plan that has just filled up that it
// is full (drafts hold no seat), once per draft. It runs after a submit that
// took a seat committed, in the background and planFullTellDelay later: the
// submit's answer does not wait for a thousand outbox rows, and the submits
// that filled the plan together (one commit group) start one run, not one
// each (they deadlocked on the outbox on MariaDB). A failure is logged (the
// submit stands). At shutdown it goes ahead at once and is waited for.
func (c *Core) tellDraftsPlanFull(ctx context.Context, planID int64) {
	ctx = context.WithoutCancel(ctx)
	c.jobs.Add(1) // shutdown waits for it (StopBackground, WaitJobs)
	done := c.planFullTold.DoChan(strconv.FormatInt(planID, 10), func() (any, error) {
		t := time.NewTimer(planFullTellDelay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.quit:
		}
		c.tellDraftsPlanFullNow(ctx, planID)
		return nil, nil
	})
	go func() {
		<-done
		c.jobs.Done()
	}()
}

func (c *Core) tellDraftsPlanFullNow(ctx context.Context, planID int64) {
	p, err := c.db.Read().GetPlan(ctx, planID)
	if err != nil {
		c.log.Warn("tell drafts the plan is full: read the plan", "plan_id", planID, "err", err)
		return
	}
	if p.SeatsTaken < p.SeatsTotal {
		return
	}
	_, err = c.enqueuePaged(ctx, func(after int64) ([]repo.DueRegistration, error) {
		return c.db.Read().DraftsOfPlan(ctx, planID, after, reminderBatch)
	}, func(d repo.DueRegistration) Event {
		return Event{Kind: domain.EventPlanFullForDraft, CandidateID: d.CandidateID, RegistrationID: d.RegistrationID,
			PlanID: planID, Key: reminderKey(d.RegistrationID), Payload: map[string]any{"note": "名额已满，草稿不占名额，可订阅有空位提醒"}}
	})
	if err != nil {
		c.log.Warn("tell drafts the plan is full", "plan_id", planID, "err", err)
	}
}

// dueText says what a registration still needs from its candidate, and by when
// ("" when nothing): the chat's 记录 and the mini-program show it.
func dueText(r repo.Registration, p *repo.Plan, now time.Time) string {
	switch r.Status {
	case domain.StatusDraft:
		if planAcceptsDrafts(p, now) != nil {
			return ""
		}
		end := domain.DayEnd(p.RegDeadline)
		days := int(end.Sub(now).Hours() / 24)
		left := "今天截止"
		if days > 0 {
			left = "还剩" + strconv.Itoa(days) + "天"
		}
		full := ""
		if p.SeatsTaken >= p.SeatsTotal {
			full = "；该计划名额已满"
		}
		return fmt.Sprintf("待提交：报名于%s 24:00截止（%s），草稿不占名额%s", domain.FormatCN(end.Add(-time.Second)), left, full)
	case domain.StatusReturned:
		return "待重新提交：报名已退回修改，请按审核意见修改后提交"
	}
	return ""
}
