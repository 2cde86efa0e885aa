package core

import (
	"context"
	"errors"
	"fmt"

	"skillcert/domain"
	"skillcert/repo"
)

// A draft's submit to a plan not known full is queued in the plan's commit
// queue as it is, unread: the group's leader reads and checks the queued
// submits of its group together, in a few statements whatever their number
// (prepareQueuedSubmits), under one slot of the submit gate, and writes them
// (writeSubmitGroup). Read one by one, each in its own request's goroutine
// behind its own gate slot, the 60 winners of a 2,000-submit burst on two
// cores took 110–185 ms to fill the plan: every wait for a slot, a read
// connection or the group's turn cost a scheduling round behind the burst's
// thousands of runnable goroutines, and the refusals could only be made once
// the plan was full (issue 19, bench/README.md).

// maxSubmitGroup bounds a commit group: a plan's burst of queued submits is
// read and written in groups of up to this many (at most as many as the plan
// has seats left), each in a few statements and one commit. The submits that
// came through the gate are at most its slots.
const maxSubmitGroup = 64

// queuedSubmit is a draft's submit queued unread: its request, its seat state
// (from the read model or a pre-check) and whether that came from a
// remembered draft. err is the refusal its checks gave it, if any.
type queuedSubmit struct {
	req    SubmitRequest
	pre    repo.SeatState
	hinted bool
	err    error
}

// isQueued tells whether the item is a queued submit not read yet.
func (it *submitItem) isQueued() bool {
	return it != nil && it.queued != nil && it.prepared == nil && it.queued.err == nil
}

// errQueuedUnread answers a queued submit that was not read because its plan
// was known full when its group's turn came: the submit says why from its
// own row (refuseFull), not from the queue's word.
var errQueuedUnread = errors.New("plan known full before the queued submit was read")

// submitQueue is what a plan's commit queue needs of core for its queued
// submits.
type submitQueue struct {
	// admit takes a gate slot for a group of n queued submits of a plan
	// (pre, a member's seat state); errQueuedUnread when the plan fills
	// meanwhile, busy (for each of the n) when no slot frees in time.
	admit func(ctx context.Context, pre repo.SeatState, n int) (release func(), err error)
	// free tells the plan's free seats as the read model knows them.
	free func(planID int64) (n int, ok bool)
	// prepare reads and checks the queued submits of a group (each item's
	// prepared or queued.err is set, or neither: the transaction reads it).
	prepare func(ctx context.Context, planID int64, items []*submitItem)
	// after runs after a commit that took seats of the plan, with the
	// group's items.
	after func(ctx context.Context, planID int64, items []*submitItem)
}

func (c *Core) newSubmitQueue() *submitQueue {
	return &submitQueue{
		admit: func(ctx context.Context, pre repo.SeatState, n int) (func(), error) {
			release, err := c.admitFor(ctx, pre)
			if errors.Is(err, errPlanFilled) {
				return nil, errQueuedUnread
			}
			if de, ok := domain.AsError(err); ok && de.Code == "busy" {
				c.gate.refused.Add(int64(n - 1)) // AdmitSubmit counted one
			}
			return release, err
		},
		free: func(planID int64) (int, bool) {
			taken, total, ok := c.Plans.Seats(planID)
			return max(total-taken, 0), ok
		},
		prepare: c.prepareQueuedSubmits,
		after:   c.afterSeatsTaken,
	}
}

// prepareQueuedSubmits reads and checks, for the queued draft submits of a
// commit group of plan planID, what prepareSubmit reads and checks one by one:
// every registration in one statement, their uploads in one, their
// candidates in one, the plan once and its 实名核验 rule at most once. Each
// item gets its facts (prepared), or its refusal (queued.err), or neither
// when its registration is no longer the draft it was queued as (its
// transaction reads it). When a read fails, no item gets either, and each
// transaction reads its own.
func (c *Core) prepareQueuedSubmits(ctx context.Context, planID int64, items []*submitItem) {
	facts, err := c.readQueuedSubmits(ctx, planID, items)
	if err != nil {
		c.log.Warn("read a submit group's registrations at once; each reads its own", "plan_id", planID, "err", err)
		return
	}
	for _, it := range items {
		if f := facts[it]; f != nil {
			it.prepared = f
			if fn := c.submitChecked.Load(); fn != nil {
				(*fn)(it.queued.req.RegistrationID)
			}
		}
	}
}

// readQueuedSubmits is prepareQueuedSubmits's reads and checks: the facts of
// each item checked and found good; the refusals go to queued.err.
func (c *Core) readQueuedSubmits(ctx context.Context, planID int64, items []*submitItem) (map[*submitItem]*submitFacts, error) {
	q := c.db.Read()
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.queued.req.RegistrationID
	}
	rows, err := q.GetRegistrations(ctx, ids)
	if err != nil {
		return nil, err
	}
	regs := make(map[int64]repo.Registration, len(rows))
	candIDs := make([]int64, 0, len(rows))
	for _, r := range rows {
		regs[r.ID] = r
		candIDs = append(candIDs, r.CandidateID)
	}
	plan, err := q.GetPlan(ctx, planID)
	if err != nil {
		return nil, err
	}
	cands, err := q.GetCandidates(ctx, candIDs)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]repo.Candidate, len(cands))
	for _, cd := range cands {
		byID[cd.ID] = cd
	}
	keys, err := c.db.AttachmentKeys(ctx, ids)
	if err != nil {
		return nil, err
	}
	planRule := readOnce(func() (bool, error) { return q.PlanRequiresVerified(ctx, planID) })
	out := make(map[*submitItem]*submitFacts, len(items))
	for _, it := range items {
		qs := it.queued
		r, ok := regs[qs.req.RegistrationID]
		if !ok || r.CandidateID != qs.req.CandidateID {
			qs.err = errRegistrationNotFound()
			continue
		}
		if err := submitStatusOf(r, qs.hinted); err != nil {
			qs.err = err // already submitted (answered as it is), or a stale hint (read again)
			continue
		}
		if r.Status != domain.StatusDraft || r.PlanID != planID {
			continue // not the draft it was queued as: its transaction reads it
		}
		cand, ok := byID[r.CandidateID]
		if !ok {
			qs.err = domain.Internal(fmt.Errorf("candidate %d of registration %d not found", r.CandidateID, r.ID))
			continue
		}
		f := &submitFacts{r: r, items: c.checklistFrom(r, keys[r.ID]), cand: cand}
		if err := c.checkSubmitWith(f, &plan, planRule); err != nil {
			qs.err = asDomainError(err)
			continue
		}
		out[it] = f
	}
	return out, nil
}

// afterSeatsTaken runs after a commit that took seats of a plan, once for
// its group, before the group's answers: the winners' drafts are forgotten
// (first: a forget voids a read of the plan's drafts under way), the read
// model learns the plan's seats (waking the submits waiting for them when it
// is full) and, when full, the plan's drafts are told.
func (c *Core) afterSeatsTaken(ctx context.Context, planID int64, items []*submitItem) {
	for _, it := range items {
		if it != nil && it.took && it.done != nil {
			c.forgetDraft(planID, it.done.row.ID)
		}
	}
	c.refreshSeats(ctx, planID)
	if taken, total, ok := c.Plans.Seats(planID); ok && taken >= total {
		c.tellDraftsPlanFull(ctx, planID)
	}
}
