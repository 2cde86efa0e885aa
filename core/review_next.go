package core

import (
	"context"

	"skillcert/domain"
)

// FindNextPending returns the registration of a plan waiting for review (已提交)
// that comes first in submission order, other than exceptID; 0 when none is
// left. Reviewers go on to it after each decision.
func (c *Core) FindNextPending(ctx context.Context, st *Staff, planID, exceptID int64) (int64, error) {
	page, err := c.ListPlanRegistrations(ctx, st, planID, ReviewQuery{Status: string(domain.StatusSubmitted), PageSize: 2})
	if err != nil {
		return 0, err
	}
	for _, it := range page.Items {
		if it.ID != exceptID {
			return it.ID, nil
		}
	}
	return 0, nil
}
