package core

import (
	"context"

	"skillcert/domain"
	"skillcert/repo"
)

// CancelRequest withdraws a candidate's registration (撤销).
type CancelRequest struct {
	CandidateID    int64
	RegistrationID int64
}

// CancelRegistration withdraws a registration. One that holds a seat (submitted, returned)
// may be withdrawn only before the end of the plan's deadline day, and gives its
// seat back in the same transaction; a draft may be withdrawn at any time.
// Cancelling again returns the registration unchanged.
func (c *Core) CancelRegistration(ctx context.Context, req CancelRequest) (*RegistrationView, error) {
	var freed int64
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		r, err := c.lockRegistrationOf(ctx, tx, req.CandidateID, req.RegistrationID)
		if err != nil {
			return err
		}
		from := r.Status
		if from == domain.StatusCancelled {
			return nil
		}
		to, derr := domain.Transition(from, domain.ActionCancel)
		if derr != nil {
			return derr
		}
		if domain.SeatDelta(from, to) < 0 {
			plan, err := tx.GetPlan(ctx, r.PlanID)
			if err != nil {
				return err
			}
			if !c.now().Before(domain.DayEnd(plan.RegDeadline)) {
				return domain.Conflict("deadline_passed", "报名已截止，不能撤销；如需退出请联系评价机构")
			}
			if err := tx.FreeSeat(ctx, r.PlanID, c.dbNow()); err != nil {
				return err
			}
			if err := c.seatFreed(ctx, tx, r.PlanID); err != nil {
				return err
			}
			freed = r.PlanID
		}
		return c.changeStatus(ctx, tx, r, to, domain.ActionCancel, r.IDNumberIdx)
	})
	if err != nil {
		return nil, asDomainError(err)
	}
	if freed != 0 {
		c.refreshSeats(ctx, freed)
	}
	c.log.Info("registration cancelled", "registration_id", req.RegistrationID, "candidate_id", req.CandidateID)
	return c.GetRegistration(ctx, req.CandidateID, req.RegistrationID)
}
