package core

import (
	"context"

	"skillcert/domain"
	"skillcert/repo"
)

// errPlanNotFound is the answer for a plan that does not exist or that the staff
// member may not see: the two are indistinguishable from outside.
var errPlanNotFound = domain.NotFound("plan_not_found", "评价计划不存在")

// Access is what a staff member wants to do with a plan.
type Access int

// Kinds of access to a plan.
const (
	Read Access = iota // see it, its registrations and its roster
	Act                // change it: only its own institution
)

// canSee reports whether st may read plan p: an institution its own plans, a
// supervisor the plans of their region, an admin every plan.
func (st *Staff) canSee(p *repo.Plan) bool {
	switch st.Role {
	case domain.RoleInstitution:
		return st.InstitutionID != 0 && p.InstitutionID == st.InstitutionID
	case domain.RoleSupervisor:
		return st.Region != "" && p.SupervisionRegion == st.Region
	case domain.RoleAdmin:
		return true
	}
	return false
}

// OwnsPlan reports whether st is staff of the plan's own institution: the only
// role that acts on a plan and sees full ID numbers.
func (st *Staff) OwnsPlan(p *Plan) bool { return st.ownsInstitution(p.InstitutionID) }

// ownsInstitution reports whether st is staff of the institution with this id.
func (st *Staff) ownsInstitution(id int64) bool {
	return st.Role == domain.RoleInstitution && st.InstitutionID != 0 && id == st.InstitutionID
}

// planFor loads a plan for st. A plan st may not see is not found (404); a plan st
// may see but not act on is forbidden (403) for Act.
func (c *Core) planFor(ctx context.Context, q repo.Reader, st *Staff, id int64, a Access) (repo.Plan, error) {
	p, err := q.GetPlan(ctx, id)
	if repo.IsNoRows(err) {
		return repo.Plan{}, errPlanNotFound
	}
	if err != nil {
		return repo.Plan{}, domain.Internal(err)
	}
	if !st.canSee(&p) {
		return repo.Plan{}, errPlanNotFound
	}
	if a == Act && !st.ownsInstitution(p.InstitutionID) {
		return repo.Plan{}, errStaffForbidden
	}
	return p, nil
}

// GetStaffPlan returns one plan st may see.
func (c *Core) GetStaffPlan(ctx context.Context, st *Staff, id int64) (Plan, error) {
	p, err := c.planFor(ctx, c.db.Read(), st, id, Read)
	return planView(p), err
}
