package core

import (
	"context"
	"errors"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// registerAgain answers a code typed by a candidate who already has a
// registration on its plan. Only a cancelled one changes: while the plan takes
// drafts it is reopened as a fresh draft (the same id; the form and attachments
// kept for reuse, the commitment asked again, no seat held), and the round it
// ended, when it had been submitted, is kept in registration_rounds for the
// institution. The row lock and the status guard make concurrent requests reopen
// it once; the registration's unique keys (plan and candidate, plan and ID
// number) are untouched, so one live registration per ID number and plan holds.
func (c *Core) registerAgain(ctx context.Context, candidateID, id, codeID int64, plan *repo.Plan) (*RegistrationView, bool, error) {
	r, err := c.registrationOf(ctx, c.db.Read(), candidateID, id)
	if err != nil {
		return nil, false, err
	}
	if r.Status != domain.StatusCancelled || planAcceptsDrafts(plan, c.now()) != nil {
		v, err := c.GetRegistration(ctx, candidateID, id)
		return v, false, err
	}
	cand, err := c.db.Read().GetCandidate(ctx, candidateID)
	if err != nil {
		return nil, false, domain.Internal(err)
	}
	if !cand.IDNumberIdx.Valid || cand.IDNumberIdx.String == "" {
		return nil, false, errIdentityRequired()
	}
	reopened := false
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		if err := tx.CountCodeUse(ctx, codeID); err != nil { // the code's row first, as CreateDraft
			return err
		}
		r, err := c.lockRegistrationOf(ctx, tx, candidateID, id)
		if err != nil {
			return err
		}
		if r.Status != domain.StatusCancelled {
			return errNotReopened // a concurrent request reopened it
		}
		now := c.dbNow()
		if r.SubmittedAt.Valid {
			if err := tx.InsertRound(ctx, r, now); err != nil {
				return err
			}
		}
		ok, err := tx.ReopenRegistration(ctx, id, codeID, cand.IDNumberIdx.String, now)
		if err != nil {
			return err
		}
		if !ok {
			return errNotReopened
		}
		if err := c.setIDTail(ctx, tx, id, cand.IDNumberEnc.String); err != nil {
			return err
		}
		reopened = true
		return nil
	})
	switch {
	case errors.Is(err, errNotReopened):
	case repo.IsUniqueViolation(err):
		return nil, false, errIDNumberRegistered()
	case err != nil:
		return nil, false, asDomainError(err)
	}
	if reopened {
		c.log.Info("registration reopened", "registration_id", id, "plan_id", plan.ID, "candidate_id", candidateID)
	}
	v, err := c.GetRegistration(ctx, candidateID, id)
	return v, reopened, err
}

// errNotReopened ends the transaction of a reopen that another request did first.
var errNotReopened = errors.New("not reopened")

// RoundView is an earlier round of a registration, as the institution sees it.
type RoundView struct {
	RoundNo     int        `json:"round_no"`
	Status      string     `json:"status"`
	StatusName  string     `json:"status_name"`
	BasisName   string     `json:"basis_name"`
	SubmittedAt *time.Time `json:"submitted_at"`
	ReviewedAt  *time.Time `json:"reviewed_at"`
	ReviewNote  string     `json:"review_note"`
	CancelledAt *time.Time `json:"cancelled_at"`
	ReopenedAt  time.Time  `json:"reopened_at"`
}

// roundsOf lists a registration's earlier rounds.
func (c *Core) roundsOf(ctx context.Context, q repo.Reader, id int64) ([]RoundView, error) {
	rows, err := q.Rounds(ctx, id)
	if err != nil {
		return nil, domain.Internal(err)
	}
	out := make([]RoundView, 0, len(rows))
	for _, r := range rows {
		st := r.Status
		out = append(out, RoundView{RoundNo: r.RoundNo, Status: string(r.Status), StatusName: st.Name(),
			BasisName:   c.opts.BasisName(r.Basis),
			SubmittedAt: timePtr(r.SubmittedAt.Time, r.SubmittedAt.Valid),
			ReviewedAt:  timePtr(r.ReviewedAt.Time, r.ReviewedAt.Valid), ReviewNote: r.ReviewNote,
			CancelledAt: timePtr(r.CancelledAt.Time, r.CancelledAt.Valid), ReopenedAt: apiTime(r.ReopenedAt)})
	}
	return out, nil
}
