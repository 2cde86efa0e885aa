package core

import (
	"context"
	"strconv"

	"skillcert/domain"
	"skillcert/repo"
)

// Seat watches (有空位提醒我): a candidate told plan_full may ask to hear when
// the plan has a seat again. When a seat is given back (a cancellation, an
// institution withdrawing or rejecting a registration) every pending watch of
// the plan gets one event, in the order they were asked, in the transaction that
// freed the seat; the seat is not reserved: the first to submit takes it.

// SeatWatch is the candidate's watch of a plan.
type SeatWatch struct {
	PlanID   int64 `json:"plan_id"`
	Watching bool  `json:"watching"`
}

// WatchSeats records the candidate's wish to hear when a full plan has a seat.
// Only a full plan that takes submissions may be watched (409 plan_not_full when
// it has seats, the plan's window error when closed); asking again is a no-op.
func (c *Core) WatchSeats(ctx context.Context, candidateID, planID int64) (*SeatWatch, error) {
	p, err := c.db.Read().GetPlan(ctx, planID)
	if repo.IsNoRows(err) || (err == nil && p.State != repo.PlanPublished && p.State != repo.PlanClosed) {
		return nil, domain.NotFound("plan_not_found", "评价计划不存在")
	}
	if err != nil {
		return nil, domain.Internal(err)
	}
	if err := planAcceptsDrafts(&p, c.now()); err != nil {
		return nil, err
	}
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		seats, err := tx.SeatsTaken(ctx, planID)
		if err != nil {
			return err
		}
		if seats < p.SeatsTotal {
			return domain.Conflict("plan_not_full", "该评价计划尚有名额，可直接提交报名")
		}
		has, err := tx.HasSeatWatch(ctx, planID, candidateID)
		if err != nil || has {
			return err
		}
		return tx.InsertSeatWatch(ctx, planID, candidateID, c.dbNow())
	})
	if err != nil {
		return nil, asDomainError(err)
	}
	return &SeatWatch{PlanID: planID, Watching: true}, nil
}

// UnwatchSeats withdraws the candidate's pending watch of a plan.
func (c *Core) UnwatchSeats(ctx context.Context, candidateID, planID int64) (*SeatWatch, error) {
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		return tx.DeleteSeatWatch(ctx, planID, candidateID)
	})
	if err != nil {
		return nil, domain.Internal(err)
	}
	return &SeatWatch{PlanID: planID}, nil
}

// GetSeatWatch tells whether the candidate watches a plan.
func (c *Core) GetSeatWatch(ctx context.Context, candidateID, planID int64) (*SeatWatch, error) {
	has, err := c.db.Read().HasSeatWatch(ctx, planID, candidateID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	return &SeatWatch{PlanID: planID, Watching: has}, nil
}

// seatFreed tells, inside the transaction that gave a seat back, every pending
// watch of the plan, oldest first, and closes them.
func (c *Core) seatFreed(ctx context.Context, tx repo.Tx, planID int64) error {
	ws, err := tx.PendingSeatWatches(ctx, planID)
	if err != nil || len(ws) == 0 {
		return err
	}
	now := c.dbNow()
	for _, w := range ws {
		ok, err := tx.MarkSeatWatchNotified(ctx, w.ID, now)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		reg := int64(0)
		if id, err := tx.RegistrationIDByPlanCandidate(ctx, planID, w.CandidateID); err == nil {
			reg = id
		}
		if err := c.EnqueueEvent(ctx, tx, Event{Kind: domain.EventSeatFreed, CandidateID: w.CandidateID, PlanID: planID,
			RegistrationID: reg, Key: "watch-" + strconv.FormatInt(w.ID, 10),
			Payload: map[string]any{"note": "有名额空出，名额不作保留，先提交者先得"}}); err != nil {
			return err
		}
	}
	return nil
}
