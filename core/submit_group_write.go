package core

import (
	"context"
	"database/sql"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// submitItem is one submit in its plan's commit group: what it read and
// checked before the group (prepared, nil when the transaction reads it; for a
// queued submit, its group's leader reads it: submit_queue.go), and what its
// write did (took a seat; the rows it wrote, for its answer; err, the refusal
// a group write gave it).
type submitItem struct {
	prepared *submitFacts
	queued   *queuedSubmit

	took bool
	done *submitted
	err  error
}

// groupWritable tells whether the submit can be written with the others of its
// group by writeSubmitGroup: a draft whose facts were read and checked before
// the group (prepareSubmit prepares only a registration still in the status
// its seat state was read in).
func (it *submitItem) groupWritable() bool {
	return it != nil && it.prepared != nil && it.prepared.r.Status == domain.StatusDraft
}

// writeSubmitGroup writes a commit group of draft submits (groupWritable) to
// plan planID in a fixed number of statements, whatever the group's size: the
// plan's seats read under its lock, one UPDATE taking the seats the first
// members get, the plan read back, the plan's 实名核验 rule (once, if a
// candidate is not verified), one UPDATE of every winner's registration
// pinned to what it checked (repo.SubmitMany), one multi-row INSERT of their
// outbox events. Serially, one member at a time, a group of 16 costs about
// 100 statements (issue 19: 1.2 ms a member on MariaDB).
//
// The members past the free seats get errNoSeat, as TakeSeat would give them.
// It returns ok false, having set nothing, when a member needs its own path:
// a rule that fails on the plan as the transaction reads it, or a pin that
// moved (fewer registrations changed than written). The caller then rolls
// the group's writes back and runs each member in its own savepoint, where
// each gets its own answer.
func (c *Core) writeSubmitGroup(ctx context.Context, tx repo.Tx, planID int64, items []*submitItem) (ok bool, err error) {
	seats, err := tx.LockPlanSeats(ctx, planID)
	if err != nil {
		return false, err
	}
	n := 0
	if seats.State == repo.PlanPublished {
		n = max(min(len(items), seats.Total-seats.Taken), 0)
	}
	winners := items[:n]
	var (
		plan    repo.Plan
		rows    = make([]repo.SubmitManyRow, n)
		events  = make([]Event, n)
		numbers = make([]string, n)
		at      = submitTimes(c.dbNow, n)
	)
	if n > 0 {
		if ok, err := tx.TakeSeats(ctx, planID, n, at[n-1]); err != nil || !ok {
			return false, err
		}
		if plan, err = tx.GetPlan(ctx, planID); err != nil {
			return false, err
		}
	}
	planRule := readOnce(func() (bool, error) { return tx.PlanRequiresVerified(ctx, planID) })
	to, derr := domain.Transition(domain.StatusDraft, domain.ActionSubmit)
	if derr != nil {
		return false, derr
	}
	for i, it := range winners {
		f := it.prepared
		if err := c.checkSubmitWith(f, &plan, planRule); err != nil {
			return false, nil // refused on the plan as it is now: its own path says why
		}
		if numbers[i], err = c.pii.Open(f.cand.IDNumberEnc.String); err != nil {
			return false, err
		}
		rows[i] = repo.SubmitManyRow{RegistrationID: f.r.ID, Pin: submitPin(f), IDTailIdx: c.IDTailIndex(numbers[i]), At: at[i]}
		events[i] = statusEvent(plan, f.r.ID, f.r.CandidateID, to, domain.ActionSubmit, at[i])
	}
	changed, err := tx.SubmitMany(ctx, rows, domain.StatusDraft, to)
	if err != nil || changed != n {
		return false, err // a pin moved (or one ID number twice): each on its own
	}
	if err := c.EnqueueEvents(ctx, tx, events); err != nil {
		return false, err
	}
	for i, it := range items {
		if i >= n {
			it.took, it.done, it.err = false, nil, errNoSeat
			continue
		}
		f := it.prepared
		ch := repo.StatusChange{From: domain.StatusDraft, To: to, SeatHeld: to.HoldsSeat(), IDNumberIdx: rows[i].Pin.IDNumberIdx,
			SubmittedAt: sql.NullTime{Time: at[i], Valid: true}, CancelledAt: f.r.CancelledAt}
		it.took, it.err = true, nil
		it.done = &submitted{row: written(f.r, ch, at[i]), plan: plan, cand: f.cand, number: numbers[i]}
	}
	return true, nil
}

// readOnce returns read's answer, read the first time it is asked for and
// then remembered (a plan's 实名核验 rule, read at most once for a group).
func readOnce(read func() (bool, error)) func() (bool, error) {
	var v *bool
	return func() (bool, error) {
		if v == nil {
			on, err := read()
			if err != nil {
				return false, err
			}
			v = &on
		}
		return *v, nil
	}
}

// submitTimes are the submit times of n winners of a group, in its order:
// each read from now (the database clock), and each at least a microsecond
// after the one before, so that the review queue (by submit time) keeps the
// order in which the seats were taken, as member by member.
func submitTimes(now func() time.Time, n int) []time.Time {
	at := make([]time.Time, n)
	for i := range at {
		at[i] = now()
		if i > 0 && !at[i].After(at[i-1]) {
			at[i] = at[i-1].Add(time.Microsecond)
		}
	}
	return at
}
