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
		// The remembered (or read) draft is not a draft any more: from the
		// database.
		c.hints.forget(req.RegistrationID)
		v, err = c.submit(ctx, req, false)
	}
	if errors.Is(err, errStaleHint) {
		// Changed again between that read and its transaction.
		return nil, errRegistrationChanged()
	}
	return v, err
}

// errRegistrationChanged answers a submit whose registration or identity
// changed under it, twice over: the candidate sends it again.
func errRegistrationChanged() *domain.Error {
	return domain.Conflict("registration_changed", "报名信息已变化，请刷新后重试")
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
	if pre.Status == domain.StatusDraft && c.groups.queue != nil {
		// A draft's submit queues in its plan's commit queue unread, and the
		// group's leader reads it with the others (submit_queue.go).
		v, err := c.runSubmit(ctx, req, pre, hinted, &submitItem{queued: &queuedSubmit{req: req, pre: pre, hinted: hinted}})
		if !errors.Is(err, errQueuedUnread) {
			return v, err
		}
		// The plan was known full before the submit was read (from memory,
		// as at the gate); else (a seat freed meanwhile, or not a draft any
		// more) it goes on through the gate.
		if err := c.refuseFull(ctx, req, &pre, &hinted); err != nil {
			c.countFullFromMemory(err)
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
	// What the submit checks besides the seat is read and checked here, on
	// the read pool: the plan's serial group below reads only the plan, and
	// its status write holds to what was read here.
	prepared, err := c.prepareSubmit(ctx, req, pre, hinted)
	if err != nil {
		if errors.Is(err, errStaleHint) {
			return nil, err
		}
		return nil, asDomainError(err)
	}
	if fn := c.submitChecked.Load(); fn != nil {
		(*fn)(req.RegistrationID)
	}
	return c.runSubmit(ctx, req, pre, hinted, &submitItem{prepared: prepared})
}

// runSubmit runs the submit of it (prepared before, or queued for its
// group's leader to read) in its plan's commit queue and answers it. The
// transaction runs with the others of the plan's concurrent submits, under
// one commit (groupCommit): written with them in a few statements
// (writeSubmitGroup), or else in its own savepoint, as below.
func (c *Core) runSubmit(ctx context.Context, req SubmitRequest, pre repo.SeatState, hinted bool, it *submitItem) (*RegistrationView, error) {
	err := c.groups.run(ctx, pre.PlanID, it, func(ctx context.Context, tx repo.Tx) (bool, error) {
		it.took, it.done = false, nil
		// The seat first, for a draft: under a burst on a full plan most
		// transactions end here, after one statement, and the single writer moves
		// on. Anything that refuses the submit below rolls the seat back.
		if pre.Status == domain.StatusDraft {
			ok, err := tx.TakeSeat(ctx, pre.PlanID, c.dbNow())
			if err != nil {
				return false, err
			}
			if !ok {
				return false, errNoSeat // why is read after the rollback, off the plan's row lock
			}
			it.took = true
		}
		plan, err := tx.GetPlan(ctx, pre.PlanID)
		if err != nil {
			return false, err
		}
		// With what was read before the group when it holds (the status write
		// below is pinned to the registration's version and the candidate's
		// identity), else with what the transaction reads.
		prepared := it.prepared
		f := prepared
		for {
			if f == nil {
				if f, err = c.readSubmitInTx(ctx, tx, req, hinted); err != nil {
					if errors.Is(err, errAlreadySubmitted) {
						it.took = false
					}
					return false, err
				}
			}
			row, err := c.writeSubmit(ctx, tx, f, &plan, it.took)
			if errors.Is(err, errPinMoved) && f == prepared {
				f = nil // the registration or the identity changed since the checks
				continue
			}
			if err != nil {
				return false, err
			}
			it.done = &submitted{row: row, plan: plan, cand: f.cand, number: f.number}
			return it.took, nil
		}
	})
	took, done := it.took, it.done
	switch {
	case errors.Is(err, errStaleHint), errors.Is(err, errQueuedUnread):
		return nil, err
	case errors.Is(err, errAlreadySubmitted):
		c.forgetDraft(pre.PlanID, req.RegistrationID)
	case errors.Is(err, errNoSeat):
		return nil, c.noSeatFor(ctx, req, pre)
	case errors.Is(err, errPinMoved):
		// Changed again after the transaction's own reads (MariaDB reads a
		// group's snapshot): the candidate sends it again.
		return nil, errRegistrationChanged()
	case repo.IsUniqueViolation(err):
		return nil, errIDNumberRegistered()
	case err != nil:
		return nil, asDomainError(err)
	case took:
		// With the queue of unread submits, the group's leader has forgotten
		// the draft, put the plan's seats into the read model and told its
		// drafts if it is full (afterSeatsTaken); without, each winner does,
		// off the leader's path (a read on MySQL is a round trip). The draft
		// is forgotten first: a forget voids a read of the plan's drafts under
		// way, which the submits refused once the plan is full depend on.
		if c.groups.queue == nil {
			c.forgetDraft(pre.PlanID, req.RegistrationID)
			c.refreshSeats(ctx, pre.PlanID)
			c.tellDraftsPlanFull(ctx, pre.PlanID)
		}
		c.log.Info("registration submitted", "registration_id", req.RegistrationID, "plan_id", pre.PlanID)
	}
	if done != nil {
		// The answer from what the transaction read and wrote: no second read.
		return c.submittedView(ctx, done)
	}
	return c.GetRegistration(ctx, req.CandidateID, req.RegistrationID)
}

// OnSubmitChecked sets fn to run in each submit between its checks (read
// before the plan's serial group) and its transaction; nil removes it. It is
// a seam for tests, which change what a submit read at that point.
func (c *Core) OnSubmitChecked(fn func(registrationID int64)) {
	if fn == nil {
		c.submitChecked.Store(nil)
		return
	}
	c.submitChecked.Store(&fn)
}

// submitted is what a submit's transaction read and wrote: the registration's
// row as written, the plan read after the seat, the candidate and the opened
// ID number. The answer is made from it.
type submitted struct {
	row    repo.Registration
	plan   repo.Plan
	cand   repo.Candidate
	number string
}

// submittedView renders a submitted registration from its transaction's reads.
func (c *Core) submittedView(ctx context.Context, s *submitted) (*RegistrationView, error) {
	v := c.newViewer(c.db.Read())
	v.plans[s.plan.ID] = s.plan
	v.ids[s.cand.ID] = identityView(s.cand, s.number)
	return v.view(ctx, s.row)
}

// submitFacts is what a submit checks besides the seat and the plan: the
// registration as it was read, its checklist and the candidate's identity
// (number: its ID number, opened when written).
type submitFacts struct {
	r      repo.Registration
	items  []ChecklistEntry
	cand   repo.Candidate
	number string
}

// readSubmitFacts reads on q what the submit of r checks besides the plan.
func (c *Core) readSubmitFacts(ctx context.Context, q repo.Reader, r repo.Registration) (*submitFacts, error) {
	items, err := c.checklistOf(ctx, q, r)
	if err != nil {
		return nil, err
	}
	cand, err := q.GetCandidate(ctx, r.CandidateID)
	if err != nil {
		return nil, err
	}
	return &submitFacts{r: r, items: items, cand: cand}, nil
}

// checkSubmit applies to f every rule of a submit but the seat, on the plan:
// its window, the form and the checklist complete, an identity bound, the
// minimum age on the evaluation date and, where asked, a verified identity
// (whose rule is read on q when the candidate is not verified).
func (c *Core) checkSubmit(ctx context.Context, q repo.Reader, f *submitFacts, plan *repo.Plan) error {
	return c.checkSubmitWith(f, plan, func() (bool, error) { return q.PlanRequiresVerified(ctx, plan.ID) })
}

// checkSubmitWith is checkSubmit with the plan's 实名核验 rule from planRule,
// which runs only for a candidate not verified.
func (c *Core) checkSubmitWith(f *submitFacts, plan *repo.Plan, planRule func() (bool, error)) error {
	if err := submitWindow(plan, f.r.Status, c.now()); err != nil {
		return err
	}
	if err := c.checkComplete(f.r, f.items); err != nil {
		return err
	}
	if !f.cand.IDNumberIdx.Valid {
		return errIdentityRequired()
	}
	// One age rule for every document type, on the plan's evaluation date.
	if err := domain.CheckMinAge(f.cand.BirthDate, plan.EvalStart); err != nil {
		return err
	}
	return c.verifiedRule(f.cand, planRule)
}

// prepareSubmit reads and checks, on the read pool before the plan's serial
// group, what the submit of a draft or a returned registration needs: a
// submit refused for its own reasons never takes the plan's row lock, and a
// winner's transaction reads neither its registration, nor its attachments,
// nor its candidate. It returns nil facts for
// any other status: the transaction answers those (already submitted, or the
// status's refusal). pre and hinted are the submit's seat state and whether
// it came from a remembered draft.
func (c *Core) prepareSubmit(ctx context.Context, req SubmitRequest, pre repo.SeatState, hinted bool) (*submitFacts, error) {
	q := c.db.Read()
	r, err := c.registrationOf(ctx, q, req.CandidateID, req.RegistrationID)
	if err != nil {
		return nil, err
	}
	if err := submitStatusOf(r, hinted); errors.Is(err, errAlreadySubmitted) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if r.Status != pre.Status || (r.Status != domain.StatusDraft && r.Status != domain.StatusReturned) {
		return nil, nil
	}
	plan, err := q.GetPlan(ctx, r.PlanID)
	if err != nil {
		return nil, err
	}
	f, err := c.readSubmitFacts(ctx, q, r)
	if err != nil {
		return nil, err
	}
	if err := c.checkSubmit(ctx, q, f, &plan); err != nil {
		return nil, err
	}
	return f, nil
}

// readSubmitInTx reads in the transaction what a submit checks: the
// registration (refusing a stale hint and answering a repeated submit) and
// its facts.
func (c *Core) readSubmitInTx(ctx context.Context, tx repo.Tx, req SubmitRequest, hinted bool) (*submitFacts, error) {
	r, err := c.registrationOf(ctx, tx.Reader, req.CandidateID, req.RegistrationID)
	if err != nil {
		return nil, err
	}
	if err := submitStatusOf(r, hinted); err != nil {
		return nil, err
	}
	return c.readSubmitFacts(ctx, tx.Reader, r)
}

// submitStatusOf answers a submit of r from its status alone:
// errAlreadySubmitted when it is submitted or approved (the same answer, no
// second seat), errStaleHint when it came from a remembered draft that is not
// a draft any more (in a transaction that rolls the seat back; Submit runs
// again from the database), nil when its rules are to be checked.
func submitStatusOf(r repo.Registration, hinted bool) error {
	switch {
	case r.Status == domain.StatusSubmitted || r.Status == domain.StatusApproved:
		return errAlreadySubmitted
	case hinted && r.Status != domain.StatusDraft:
		return errStaleHint
	}
	return nil
}

// errPinMoved ends a submit's status write whose registration or candidate
// changed since they were read (repo.SubmitPin).
var errPinMoved = errors.New("registration or identity changed since read")

// writeSubmit checks f's submit on plan (read after the seat; took tells
// whether the submit took one) and writes it, pinned to what f read. It
// returns the registration's row as written; errPinMoved when the
// registration or the identity changed since f was read.
func (c *Core) writeSubmit(ctx context.Context, tx repo.Tx, f *submitFacts, plan *repo.Plan, took bool) (repo.Registration, error) {
	from := f.r.Status
	to, derr := domain.Transition(from, domain.ActionSubmit)
	if derr != nil {
		return f.r, derr
	}
	if (domain.SeatDelta(from, to) > 0) != took {
		return f.r, domain.Conflict("status_changed", "报名状态已变化，请刷新后重试")
	}
	if err := c.checkSubmit(ctx, tx.Reader, f, plan); err != nil {
		return f.r, err
	}
	// The registration carries the ID number bound now (it may have changed
	// since the draft): one number, one registration per plan. The plan and
	// the tail hash go with the status change: no statement of their own.
	var err error
	if f.number, err = c.pii.Open(f.cand.IDNumberEnc.String); err != nil {
		return f.r, err
	}
	pin := submitPin(f)
	return c.writeStatus(ctx, tx, f.r, to, domain.ActionSubmit,
		statusWrite{idx: f.cand.IDNumberIdx.String, tail: c.IDTailIndex(f.number), plan: plan, pin: &pin})
}

// submitPin is what the status write of f's submit holds to: the
// registration's version and the candidate's identity as f read them.
func submitPin(f *submitFacts) repo.SubmitPin {
	return repo.SubmitPin{Version: f.r.Version, CandidateID: f.cand.ID, IDNumberIdx: f.cand.IDNumberIdx.String,
		BirthDate: f.cand.BirthDate, VerifyState: f.cand.VerifyState,
		Name: f.cand.Name, IDType: f.cand.IDType, Gender: f.cand.Gender}
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

// noSeatFor answers the submit of a draft whose transaction found no seat: as
// noSeat says, unless the registration is not a draft any more. A double tap
// (the same draft sent twice at once) finds the last seat taken by its own
// first tap: that answer is the registration as submitted, not plan_full
// (errStaleHint: Submit runs again from the database). Whether it is still a
// draft is refuseFull's to tell, as for a submit refused before its
// transaction.
func (c *Core) noSeatFor(ctx context.Context, req SubmitRequest, pre repo.SeatState) error {
	err := c.noSeat(ctx, pre)
	if de, ok := domain.AsError(err); !ok || de.Code != "plan_full" {
		return err
	}
	hinted := false
	if ferr := c.refuseFull(ctx, req, &pre, &hinted); ferr != nil {
		return ferr
	}
	if pre.Status != domain.StatusDraft {
		c.forgetDraft(pre.PlanID, req.RegistrationID)
		return errStaleHint
	}
	return err
}

// refuseFull answers plan_full to a submit of a draft whose plan is known full;
// nil lets it go on. The read model's word is not enough: the registration
// must be among the plan's drafts read while it was full
// (stillDraftOnFullPlan), else its row is read (and pre, hinted become the
// database's). That holds for a draft read from the database before, too: it
// may have been submitted since by a double tap, whose answer is the
// registration as submitted.
func (c *Core) refuseFull(ctx context.Context, req SubmitRequest, pre *repo.SeatState, hinted *bool) error {
	if !c.knownFull(*pre) {
		return nil
	}
	if c.stillDraftOnFullPlan(ctx, pre.PlanID, req) {
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
// required checklist items (items: its checklist, checklistOf).
func (c *Core) checkComplete(r repo.Registration, items []ChecklistEntry) error {
	f, err := c.formOf(r)
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
	_, err := c.writeStatus(ctx, tx, r, to, action, statusWrite{idx: idx})
	return err
}

// statusWrite is what a status change writes besides the status: the ID
// number's blind index, and what its caller has already read or computed in
// the transaction: the ID number's tail hash ("" keeps it) and the plan
// (nil: read again for the event). pin, when set, is what the caller read and
// checked, which the write holds to (repo.SubmitPin): a write that finds them
// changed returns errPinMoved.
type statusWrite struct {
	idx, tail string
	plan      *repo.Plan
	pin       *repo.SubmitPin
}

// writeStatus is changeStatus with w: a submit, the serial part of a plan's
// burst, hands over its plan and tail hash, so that neither costs a
// statement of its own. It returns the registration's row as written.
func (c *Core) writeStatus(ctx context.Context, tx repo.Tx, r repo.Registration, to domain.Status, action domain.Action, w statusWrite) (repo.Registration, error) {
	now := c.dbNow()
	ch := repo.StatusChange{From: r.Status, To: to, SeatHeld: to.HoldsSeat(), IDNumberIdx: w.idx, IDTailIdx: w.tail,
		SubmittedAt: r.SubmittedAt, CancelledAt: r.CancelledAt, Pin: w.pin}
	switch action {
	case domain.ActionSubmit:
		ch.SubmittedAt = sql.NullTime{Time: now, Valid: true}
	case domain.ActionCancel, domain.ActionCancelByInstitution:
		ch.CancelledAt = sql.NullTime{Time: now, Valid: true}
	}
	ok, err := tx.SetRegistrationStatus(ctx, r.ID, ch, now)
	if err != nil {
		return r, err
	}
	if !ok && w.pin != nil {
		return r, errPinMoved
	}
	if !ok {
		return r, domain.Conflict("status_changed", "报名状态已变化，请刷新后重试")
	}
	if domain.SeatDelta(r.Status, to) == 0 { // a seat's take or free moved the plan's activity already
		if err := tx.TouchPlanActivity(ctx, r.PlanID, now); err != nil {
			return r, err
		}
	}
	if r.Status == domain.StatusApproved && to != domain.StatusApproved {
		if err := c.dropTicket(ctx, tx, r); err != nil { // issue 18: the ticket goes with the approval
			return r, err
		}
	}
	plan := w.plan
	if plan == nil {
		p, err := tx.GetPlan(ctx, r.PlanID)
		if err != nil {
			return r, err
		}
		plan = &p
	}
	if err := c.EnqueueEvent(ctx, tx, statusEvent(*plan, r.ID, r.CandidateID, to, action, now)); err != nil {
		return r, err
	}
	return written(r, ch, now), nil
}

// written is r as the status change ch, made at now, leaves it.
func written(r repo.Registration, ch repo.StatusChange, now time.Time) repo.Registration {
	row := r
	row.Status, row.SeatHeld, row.IDNumberIdx = ch.To, ch.SeatHeld, ch.IDNumberIdx
	row.SubmittedAt, row.CancelledAt, row.UpdatedAt = ch.SubmittedAt, ch.CancelledAt, now
	row.Version++
	return row
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
