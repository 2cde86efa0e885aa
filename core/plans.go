package core

import (
	"context"

	"skillcert/domain"
	"skillcert/planindex"
)

// The plan read model lives in package planindex; core answers the doors'
// plan searches through it and keeps these names for them.
type (
	PlanQuery = planindex.Query
	PlanView  = planindex.PlanView
	PlanMeta  = planindex.Meta
	Location  = planindex.Location
)

// Plan statuses as candidates see them.
const (
	PlanStatusUpcoming = planindex.StatusUpcoming
	PlanStatusOpen     = planindex.StatusOpen
	PlanStatusClosed   = planindex.StatusClosed
	PlanStatusFull     = planindex.StatusFull
)

// PlanSorts and PlanStatuses are the pickers' options.
var (
	PlanSorts    = planindex.Sorts
	PlanStatuses = planindex.Statuses
)

// PlanStatusAt, ViewPlan and ValidatePlanQuery are planindex's rules.
var (
	PlanStatusAt      = planindex.StatusAt
	ViewPlan          = planindex.View
	ValidatePlanQuery = planindex.ValidateQuery
)

// Page is the one shape of every list.
type Page[T any] struct {
	Items    []T `json:"items"`
	Total    int `json:"total"`
	Page     int `json:"page"`
	PageSize int `json:"page_size"`
}

// SearchPlans answers a plan search from the read model, with an exact total.
func (c *Core) SearchPlans(ctx context.Context, q PlanQuery) (Page[PlanView], error) {
	if err := ValidatePlanQuery(&q); err != nil {
		return Page[PlanView]{}, err
	}
	r := c.Plans.Search(q, c.now())
	return Page[PlanView]{Items: r.Items, Total: r.Total, Page: q.Page, PageSize: q.PageSize}, nil
}

// GetPlan returns one visible plan for candidates; not found when unknown or
// unpublished.
func (c *Core) GetPlan(ctx context.Context, id int64) (PlanView, error) {
	v, ok := c.Plans.Get(id, c.now())
	if !ok {
		return PlanView{}, domain.NotFound("plan_not_found", "评价计划不存在或未发布")
	}
	return v, nil
}

// PlanMeta lists the levels, and the cities and occupations that have visible plans.
func (c *Core) PlanMeta() PlanMeta { return c.Plans.Meta(c.opts.SupervisionRegions) }

// PollInterval is how often a replica's plan read model reads the change feed:
// a change committed on another replica (a seat freed by a cancellation
// included) is seen within it.
const PollInterval = planindex.PollInterval
