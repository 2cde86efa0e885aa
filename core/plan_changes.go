package core

import (
	"context"
	"fmt"
	"strings"

	"skillcert/domain"
	"skillcert/repo"
)

// planChanges describes, in Chinese, what changed in a plan that its
// registered candidates must know: the evaluation dates and the place.
func planChanges(old, cur *repo.Plan) string {
	var out []string
	cn := func(d string) string {
		if t, ok := domain.ParseDate(d); ok {
			return domain.FormatCN(t)
		}
		return d
	}
	if old.EvalStart != cur.EvalStart {
		out = append(out, "评价开始日期改为"+cn(cur.EvalStart))
	}
	if old.EvalEnd != cur.EvalEnd {
		out = append(out, "评价结束日期改为"+cn(cur.EvalEnd))
	}
	if old.City != cur.City || old.District != cur.District || old.Address != cur.Address {
		out = append(out, "考试地点改为"+cur.City+cur.District+cur.Address)
	}
	return strings.Join(out, "；")
}

// planNoticeBatch is how many seat holders one transaction of a plan-change
// notice writes to the outbox.
const planNoticeBatch = 500

// notifyPlanChanged tells every candidate holding a seat of the plan what
// changed. It runs after the plan's save has committed, so the save never
// holds the writer for thousands of rows: planNoticeBatch outbox rows a
// transaction, in multi-row statements. The dedupe key (registration and the
// plan's updated_at) makes a repeated call write nothing twice.
func (c *Core) notifyPlanChanged(ctx context.Context, p *repo.Plan, changes string) error {
	holders, err := c.db.Read().PlanSeatHolders(ctx, p.ID)
	if err != nil {
		return err
	}
	for start := 0; start < len(holders); start += planNoticeBatch {
		batch := holders[start:min(start+planNoticeBatch, len(holders))]
		events := make([]Event, len(batch))
		for i, h := range batch {
			events[i] = Event{Kind: domain.EventPlanChanged, CandidateID: h.CandidateID,
				RegistrationID: h.ID, PlanID: p.ID, Key: fmt.Sprintf("%d:%d", h.ID, p.UpdatedAt.UnixMicro()),
				Payload: map[string]any{"changes": changes, "plan_no": p.PlanNo, "plan_name": p.PlanName}}
		}
		if err := c.db.WithTx(ctx, func(tx repo.Tx) error { return c.EnqueueEvents(ctx, tx, events) }); err != nil {
			return err
		}
	}
	return nil
}
