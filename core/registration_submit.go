package core

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// SubmitRequest submits a candidate's registration (提交), or resubmits it after
// 退回修改.
type SubmitRequest struct {
	CandidateID    int64
	RegistrationID int64
}

// SubmitRegistration sends a draft (or a returned registration) for review. It needs the
// commitment, every required field and every required checklist item; a draft
// also needs the plan open (published, its window begun, before the end of the
// deadline day in Beijing time) and takes a seat with a conditional update in the
// same transaction, so the plan's maximum holds whatever the concurrency. A
// returned registration keeps the seat it holds. The same ID number cannot hold
// two registrations of one plan. Submitting again once submitted returns the
// registration unchanged. The status change and its outbox event commit together.
func (c *Core) SubmitRegistration(ctx context.Context, req SubmitRequest) (*RegistrationView, error) {
	v, err := c.submit(ctx, req, true)
	if errors.Is(err, errStaleHint) {
		// The remembered draft is not a draft any more: from the database.
		c.hints.forget(req.RegistrationID)
		v, err = c.submit(ctx, req, false)
	}
	return v, err
}

// submit is Submit, from the remembered draft (draftHints) when useHint.
func (c *Core) submit(ctx context.Context, req SubmitRequest, useHint bool) (*RegistrationView, error) {
	var pre repo.SeatState
	hinted := false
	if useHint {
		pre, hinted = c.hintedSeatState(req)
	}
	if hinted {
		if err := c.refuseFull(ctx, req, &pre, &hinted); err != nil {
			return nil, err
		}
	} else {
		var err error
		if pre, err = c.precheckSubmit(ctx, req); err != nil {
			return nil, err
		}
	}
	release, err := c.admitFor(ctx, pre)
	if errors.Is(err, errPlanFilled) {
		// The plan filled while this submit waited: refused from memory
		// with the other waiters at once. A remembered draft the plan's
		// drafts do not vouch for is read again, and goes on if it may.
		if ferr := c.refuseFull(ctx, req, &pre, &hinted); ferr != nil {
			c.countFullFromMemory(ferr)
			return nil, ferr
		}
		release, err = c.AdmitSubmit(ctx)
	}
	if err != nil {
		// The plan may have filled while this submit waited: say so, not busy.
		if ferr := c.refuseFull(ctx, req, &pre, &hinted); ferr != nil {
			return nil, ferr
		}
		return nil, err
	}
	defer release()
	// Under a burst, most submits wait at the gate while the seats go: one
	// that finds the plan full when its turn comes is refused from memory,
	// not queued on the plan's row lock behind the winners.
	if err := c.refuseFull(ctx, req, &pre, &hinted); err != nil {
		c.countFullFromMemory(err)
		return nil, err
	}
	took := false
	// The transaction runs with the others of the plan's concurrent submits,
	// each in its own savepoint, under one commit (groupCommit).
	err = c.groups.run(ctx, pre.PlanID, func(ctx context.Context, tx repo.Tx) error {
		took = false
		// The seat first, for a draft: under a burst on a full plan most
		// transactions end here, after one statement, and the single writer moves
		// on. Anything that refuses the submit below rolls the seat back.
		if pre.Status == domain.StatusDraft {
			ok, err := tx.TakeSeat(ctx, pre.PlanID, c.dbNow())
			if err != nil {
				return err
			}
			if !ok {
				return errNoSeat // why is read after the rollback, off the plan's row lock
			}
			took = true
		}
		r, err := c.lockRegistrationOf(ctx, tx, req.CandidateID, req.RegistrationID)
		if err != nil {
			return err
		}
		from := r.Status
		if hinted && from != domain.StatusDraft && from != domain.StatusSubmitted && from != domain.StatusApproved {
			return errStaleHint // rolls the seat back; Submit runs again from the database
		}
		if from == domain.StatusSubmitted || from == domain.StatusApproved {
			took = false
			return errAlreadySubmitted // the same answer, no second seat
		}
		to, derr := domain.Transition(from, domain.ActionSubmit)
		if derr != nil {
			return derr
		}
		if (domain.SeatDelta(from, to) > 0) != took {
			return domain.Conflict("status_changed", "报名状态已变化，请刷新后重试")
		}
		plan, err := tx.GetPlan(ctx, r.PlanID)
		if err != nil {
			return err
		}
		if err := submitWindow(&plan, from, c.now()); err != nil {
			return err
		}
		if err := c.checkComplete(ctx, tx.Reader, r); err != nil {
			return err
		}
		// The registration carries the ID number bound now (it may have changed
		// since the draft): one number, one registration per plan.
		cand, err := tx.GetCandidate(ctx, r.CandidateID)
		if err != nil {
			return err
		}
		if !cand.IDNumberIdx.Valid {
			return errIdentityRequired()
		}
		// One age rule for every document type, on the plan's evaluation date.
		if err := domain.CheckMinAge(cand.BirthDate, plan.EvalStart); err != nil {
			return err
		}
		if err := c.requireVerified(ctx, tx.Reader, r.PlanID, cand); err != nil {
			return err
		}
		// The plan read above (after the seat) and the tail hash go with the
		// status change: no statement of their own.
		number, err := c.pii.Open(cand.IDNumberEnc.String)
		if err != nil {
			return err
		}
		return c.writeStatus(ctx, tx, r, to, domain.ActionSubmit,
			statusWrite{idx: cand.IDNumberIdx.String, tail: c.IDTailIndex(number), plan: &plan})
	})
	switch {
	case errors.Is(err, errStaleHint):
		return nil, err
	case errors.Is(err, errAlreadySubmitted):
		c.forgetDraft(pre.PlanID, req.RegistrationID)
	case errors.Is(err, errNoSeat):
		return nil, c.noSeat(ctx, pre)
	case repo.IsUniqueViolation(err):
		return nil, errIDNumberRegistered()
	case err != nil:
		return nil, asDomainError(err)
	case took:
		c.forgetDraft(pre.PlanID, req.RegistrationID)
		c.refreshSeats(ctx, pre.PlanID)
		c.tellDraftsPlanFull(ctx, pre.PlanID)
		c.log.Info("registration submitted", "registration_id", req.RegistrationID, "plan_id", pre.PlanID)
	}
	return c.GetRegistration(ctx, req.CandidateID, req.RegistrationID)
}

// noSeat says why a plan gave no seat: its window (closed, withdrawn, past the
// deadline) or, when it takes submissions, that it is full. When the read
// model already knows the plan full (a group of this replica filled it), it
// says so without a read; else the plan's row tells, and the read model
// learns its seats.
func (c *Core) noSeat(ctx context.Context, pre repo.SeatState) error {
	if c.knownFull(pre) {
		return errPlanFull(pre.PlanID)
	}
	p, err := c.db.Read().GetPlan(ctx, pre.PlanID)
	if err != nil {
		return domain.Internal(err)
	}
	if err := planWindow(&p, c.now()); err != nil {
		return err
	}
	c.Plans.SetSeatsTaken(p.ID, p.SeatsTaken)
	return errPlanFull(pre.PlanID)
}

// refuseFull answers plan_full to a submit of a draft whose plan is known full;
// nil lets it go on. For a remembered draft (hinted), the read model's word is
// not enough: the registration must be among the plan's drafts read while it
// was full (stillDraftOnFullPlan), else its row is read (and pre, hinted
// become the database's).
func (c *Core) refuseFull(ctx context.Context, req SubmitRequest, pre *repo.SeatState, hinted *bool) error {
	if !c.knownFull(*pre) {
		return nil
	}
	if !*hinted || c.stillDraftOnFullPlan(ctx, pre.PlanID, req) {
		return errPlanFull(pre.PlanID)
	}
	s, err := c.precheckSubmit(ctx, req)
	*pre, *hinted = s, false
	return err
}

// forgetDraft forgets a registration that is no longer a draft (or is about
// to be) on this replica: its hint and its place in its plan's list of
// drafts of a full plan.
func (c *Core) forgetDraft(planID, id int64) {
	c.hints.forget(id)
	c.fullDrafts.forget(planID, id)
}

// errStaleHint ends the transaction of a submit made from a remembered draft
// that is not a draft any more.
var errStaleHint = errors.New("stale draft hint")

// errNoSeat ends the transaction of a submit that found no seat.
var errNoSeat = errors.New("no seat")

// errAlreadySubmitted ends the transaction of a repeated submit (rolling back
// the seat it took), which then answers with the registration as it is.
var errAlreadySubmitted = errors.New("already submitted")

// precheckSubmit refuses, from one read of committed data and without the write
// lock, someone else's registration and a draft on a plan that is full: a burst
// on a full plan must not queue for the single writer only to learn that. The
// transaction decides everything else.
func (c *Core) precheckSubmit(ctx context.Context, req SubmitRequest) (repo.SeatState, error) {
	s, err := c.db.RegistrationSeatState(ctx, req.RegistrationID)
	if repo.IsNoRows(err) || (err == nil && s.CandidateID != req.CandidateID) {
		return s, errRegistrationNotFound()
	}
	if err != nil {
		return s, domain.Internal(err)
	}
	if s.Status == domain.StatusDraft {
		c.hints.put(req.RegistrationID, s.CandidateID, s.PlanID)
	}
	if c.knownFull(s) {
		return s, errPlanFull(s.PlanID)
	}
	return s, nil
}

// knownFull tells whether a submit of this draft, on a plan open for
// registration, would find no seat: by the committed row read in
// precheckSubmit, or by the read model since (a seat taken on this replica is
// there at once, one taken on another within core.PollInterval). A full plan
// is never offered a seat it lacks; a seat freed on another replica is offered
// again once the read model follows the change, within the same interval
// (docs/SCALING.md). Anything else is decided by the transaction.
func (c *Core) knownFull(s repo.SeatState) bool {
	if s.Status != domain.StatusDraft || s.PlanState != repo.PlanPublished || !c.now().Before(domain.DayEnd(s.RegDeadline)) {
		return false
	}
	if s.SeatsTaken >= s.SeatsTotal {
		return true
	}
	taken, total, ok := c.Plans.Seats(s.PlanID)
	return ok && taken >= total
}

// countFullFromMemory counts a plan_full answer made from the read model
// after (or instead of) the wait at the gate.
func (c *Core) countFullFromMemory(err error) {
	if de, ok := domain.AsError(err); ok && de.Code == "plan_full" {
		c.fullFromMemory.Add(1)
	}
}

// SubmitsFullFromMemory counts the submits refused as plan_full from the read
// model after waiting at the gate (a metric).
func (c *Core) SubmitsFullFromMemory() int64 { return c.fullFromMemory.Load() }

// checkComplete lists what the registration still lacks: form fields and
// required checklist items.
func (c *Core) checkComplete(ctx context.Context, q repo.Reader, r repo.Registration) error {
	f, err := c.formOf(r)
	if err != nil {
		return err
	}
	items, err := c.checklistOf(ctx, q, r)
	if err != nil {
		return err
	}
	var m Missing
	m.Fields = f.MissingFields()
	for _, it := range items {
		if it.Required && !it.Satisfied {
			m.Items = append(m.Items, it.Key)
		}
	}
	if m.Fields == nil && m.Items == nil {
		return nil
	}
	if m.Fields == nil {
		m.Fields = []string{}
	}
	if m.Items == nil {
		m.Items = []string{}
	}
	return errIncomplete(m, checklistNames(items))
}

// changeStatus moves a registration to a new status inside tx, keeping the seat
// flag and times in step, and enqueues the action's outbox event.
func (c *Core) changeStatus(ctx context.Context, tx repo.Tx, r repo.Registration, to domain.Status, action domain.Action, idx string) error {
	return c.writeStatus(ctx, tx, r, to, action, statusWrite{idx: idx})
}

// statusWrite is what a status change writes besides the status: the ID
// number's blind index, and what its caller has already read or computed in
// the transaction: the ID number's tail hash ("" keeps it) and the plan
// (nil: read again for the event).
type statusWrite struct {
	idx, tail string
	plan      *repo.Plan
}

// writeStatus is changeStatus with w: a submit, the serial part of a plan's
// burst, hands over its plan and tail hash, so that neither costs a
// statement of its own.
func (c *Core) writeStatus(ctx context.Context, tx repo.Tx, r repo.Registration, to domain.Status, action domain.Action, w statusWrite) error {
	now := c.dbNow()
	ch := repo.StatusChange{From: r.Status, To: to, SeatHeld: to.HoldsSeat(), IDNumberIdx: w.idx, IDTailIdx: w.tail,
		SubmittedAt: r.SubmittedAt, CancelledAt: r.CancelledAt}
	switch action {
	case domain.ActionSubmit:
		ch.SubmittedAt = sql.NullTime{Time: now, Valid: true}
	case domain.ActionCancel, domain.ActionCancelByInstitution:
		ch.CancelledAt = sql.NullTime{Time: now, Valid: true}
	}
	ok, err := tx.SetRegistrationStatus(ctx, r.ID, ch, now)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Conflict("status_changed", "报名状态已变化，请刷新后重试")
	}
	if domain.SeatDelta(r.Status, to) == 0 { // a seat's take or free moved the plan's activity already
		if err := tx.TouchPlanActivity(ctx, r.PlanID, now); err != nil {
			return err
		}
	}
	if r.Status == domain.StatusApproved && to != domain.StatusApproved {
		if err := c.dropTicket(ctx, tx, r); err != nil { // issue 18: the ticket goes with the approval
			return err
		}
	}
	plan := w.plan
	if plan == nil {
		p, err := tx.GetPlan(ctx, r.PlanID)
		if err != nil {
			return err
		}
		plan = &p
	}
	return c.EnqueueEvent(ctx, tx, statusEvent(*plan, r.ID, r.CandidateID, to, action, now))
}

// statusEvent is the outbox event of a registration's status change, the same
// for a single decision and for each registration of a bulk one.
func statusEvent(plan repo.Plan, regID, candidateID int64, to domain.Status, action domain.Action, now time.Time) Event {
	return Event{
		Kind: action.EventKind(), CandidateID: candidateID, RegistrationID: regID, PlanID: plan.ID,
		Key: fmt.Sprintf("%d:%d", regID, now.UnixMicro()),
		Payload: map[string]any{"status": string(to), "status_name": to.Name(), "plan_no": plan.PlanNo,
			"plan_name": plan.PlanName, "occupation_name": plan.OccupationName,
			"level_name": domain.Level(plan.Level).Name()},
	}
}

// refreshSeats puts a plan's committed seat count into the read model at once.
func (c *Core) refreshSeats(ctx context.Context, planID int64) {
	n, err := c.db.Read().SeatsTaken(ctx, planID)
	if err != nil {
		c.log.Warn("read seats after change", "plan_id", planID, "err", err)
		return
	}
	c.Plans.SetSeatsTaken(planID, n)
}
