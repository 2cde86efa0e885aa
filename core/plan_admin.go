package core

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/planindex"
	"skillcert/repo"
)

var planStateNames = map[string]string{
	repo.PlanDraft: "草稿", repo.PlanPublished: "已发布", repo.PlanClosed: "已关闭", repo.PlanCancelled: "已取消",
}

// PlanStateOptions lists the plan states as filter options.
func PlanStateOptions() []domain.Option {
	return []domain.Option{{Code: repo.PlanDraft, Name: "草稿"}, {Code: repo.PlanPublished, Name: "已发布"},
		{Code: repo.PlanClosed, Name: "已关闭"}}
}

// Plan is an evaluation plan as the console shows and edits it. It is core's
// copy of the stored row (repo.Plan), so that repo's rows stay below core;
// planView converts, and fails to compile when the two drift apart.
type Plan struct {
	ID                int64
	PlanNo            string
	PlanName          string
	InstitutionID     int64
	InstitutionName   string
	OccupationName    string
	WorkType          string
	Level             int
	SeatsTotal        int
	SeatsTaken        int
	City              string
	District          string
	Address           string
	RegStart          string
	RegDeadline       string
	EvalStart         string
	EvalEnd           string
	ContactName       string
	ContactPhone      string
	SupervisionRegion string
	State             string
	PublishedAt       sql.NullTime
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func planView(p repo.Plan) Plan { return Plan(p) }

// StaffPlanView is a plan as the console lists it: the row, its names, the
// status candidates see, and its registrations counted by status.
type StaffPlanView struct {
	Plan
	LevelName  string
	StateName  string
	StatusName string         // what candidates see: 报名中, 已截止, …
	Counts     map[string]int // registrations by status code
}

// Count returns the registrations of one status.
func (v StaffPlanView) Count(status string) int { return v.Counts[status] }

// PlanPhaseOptions lists the console plan list's phase filters.
func PlanPhaseOptions() []domain.Option {
	return []domain.Option{{Code: repo.PhaseOpen, Name: "报名中"}, {Code: repo.PhaseEnded, Name: "已截止"},
		{Code: repo.PhasePending, Name: "有待审核"}}
}

// PlanSortOptions lists the console plan list's orders; the first is the default.
func PlanSortOptions() []domain.Option {
	return []domain.Option{{Code: "", Name: "最新创建"}, {Code: repo.SortActivity, Name: "最近有动态"}}
}

// PlanListQuery is the console's plan list request. Unknown states, phases and
// orders are ignored (the list shows everything, newest first).
// Both orders page by key: the first page, the page after the plan Before,
// before the plan After, or the last page (the activity order places the key
// plan by its activity at the time of the request).
type PlanListQuery struct {
	State    string
	Phase    string // see PlanPhaseOptions
	Sort     string // see PlanSortOptions
	Text     string
	Before   int64
	After    int64
	Last     bool
	PageSize int
}

// PlanCountCap is how far the plan list counts its matches; beyond it the page
// says "超过 10000 条".
const PlanCountCap = 10000

// PlanListPage is a keyset page of the console's plan list, in either order.
type PlanListPage struct {
	KeysetPage[StaffPlanView]
	// TotalCapped: there are more than PlanCountCap (Total) matching plans.
	TotalCapped bool
	// TotalApprox: Total is an estimate (a search matching more than
	// ExactCount plans).
	TotalApprox bool
}

// ListStaffPlans lists the plans st may see: an institution its own, a supervisor
// those of their region, an admin all. Each comes with its counts by status.
func (c *Core) ListStaffPlans(ctx context.Context, st *Staff, q PlanListQuery) (PlanListPage, error) {
	f := repo.PlanFilter{State: q.State, Text: strings.TrimSpace(q.Text)}
	switch st.Role {
	case domain.RoleInstitution:
		f.InstitutionID = st.InstitutionID
	case domain.RoleSupervisor:
		f.Region = st.Region
	case domain.RoleAdmin:
	default:
		return PlanListPage{}, errStaffForbidden
	}
	if _, ok := planStateNames[f.State]; !ok {
		f.State = ""
	}
	for _, o := range PlanPhaseOptions() {
		if o.Code == q.Phase {
			f.Phase, f.Today = q.Phase, domain.TodayBeijing(c.now())
		}
	}
	if q.Sort == repo.SortActivity {
		f.Sort = q.Sort
	}
	_, size := consolePage(1, q.PageSize)
	out := PlanListPage{}
	k := repo.ListKey{Before: max(0, q.Before), After: max(0, q.After), Last: q.Last}
	if k.After > 0 || k.Last {
		k.Before = 0
	}
	pageOf := c.db.PlanPage
	if f.Sort == repo.SortActivity {
		pageOf = c.db.PlanActivityPage
	}
	// The page and the count share one pick of the search's gram.
	f, err := c.db.ResolvePlanSearch(ctx, f)
	if err != nil {
		return PlanListPage{}, domain.Internal(err)
	}
	rows, err := pageOf(ctx, f, k, size+1) // one more tells whether the far side goes on
	if err == nil {
		rows, out.Newer, out.Older, out.IsFirst, out.IsLast = keysetTrim(rows, func(p repo.Plan) int64 { return p.ID }, k, size)
	}
	if err != nil {
		return PlanListPage{}, domain.Internal(err)
	}
	if out.Items, err = c.planViews(ctx, rows); err != nil {
		return PlanListPage{}, err
	}
	n, err := c.db.CountConsolePlansApprox(ctx, f, PlanCountCap+1, ExactCount)
	if err != nil {
		return PlanListPage{}, domain.Internal(err)
	}
	if n.Approx {
		out.Total, out.TotalApprox = n.N, true
	} else {
		out.Total, out.TotalCapped = min(n.N, PlanCountCap), n.N > PlanCountCap
	}
	return out, nil
}

// GetStaffPlanDetail returns one plan st may see, with its counts.
func (c *Core) GetStaffPlanDetail(ctx context.Context, st *Staff, id int64) (StaffPlanView, error) {
	p, err := c.planFor(ctx, c.db.Read(), st, id, Read)
	if err != nil {
		return StaffPlanView{}, err
	}
	v, err := c.planViews(ctx, []repo.Plan{p})
	if err != nil {
		return StaffPlanView{}, err
	}
	return v[0], nil
}

func (c *Core) planViews(ctx context.Context, rows []repo.Plan) ([]StaffPlanView, error) {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	counts, err := c.db.PlanStatusCounts(ctx, ids)
	if err != nil {
		return nil, domain.Internal(err)
	}
	now := c.now()
	out := make([]StaffPlanView, len(rows))
	for i := range rows {
		p := rows[i]
		v := StaffPlanView{Plan: planView(p), LevelName: domain.Level(p.Level).Name(), StateName: planStateNames[p.State],
			Counts: counts[p.ID]}
		if p.State != repo.PlanDraft {
			v.StatusName = planindex.StatusNames[PlanStatusAt(&p, p.SeatsTaken, now)]
		}
		if v.Counts == nil {
			v.Counts = map[string]int{}
		}
		out[i] = v
	}
	return out, nil
}

// planFromFields copies a validated form onto a plan row.
func planFromFields(p *repo.Plan, f domain.PlanFields) {
	p.PlanNo, p.PlanName, p.OccupationName, p.WorkType = f.PlanNo, f.PlanName, f.OccupationName, f.WorkType
	p.Level, p.SeatsTotal = int(f.LevelValue), f.Seats
	p.City, p.District, p.Address = f.City, f.District, f.Address
	p.RegStart, p.RegDeadline, p.EvalStart, p.EvalEnd = f.RegStart, f.RegDeadline, f.EvalStart, f.EvalEnd
	p.ContactName, p.ContactPhone, p.SupervisionRegion = f.ContactName, f.ContactPhone, f.SupervisionRegion
}

// PlanFormOf returns a plan as the edit form shows it.
func PlanFormOf(p *Plan) domain.PlanForm {
	r := repo.Plan(*p)
	return planFormOf(&r)
}

func planFormOf(p *repo.Plan) domain.PlanForm {
	return domain.PlanForm{PlanNo: p.PlanNo, PlanName: p.PlanName, OccupationName: p.OccupationName,
		WorkType: p.WorkType, Level: fmt.Sprint(p.Level), SeatsTotal: fmt.Sprint(p.SeatsTotal), City: p.City,
		District: p.District, Address: p.Address, RegStart: p.RegStart, RegDeadline: p.RegDeadline,
		EvalStart: p.EvalStart, EvalEnd: p.EvalEnd, ContactName: p.ContactName, ContactPhone: p.ContactPhone,
		SupervisionRegion: p.SupervisionRegion}
}

var errPlanNoTaken = domain.Invalid("plan_no", "plan_no_taken", "评价计划编号已存在，请换一个")

// CreatePlan creates a draft plan of st's institution.
func (c *Core) CreatePlan(ctx context.Context, st *Staff, form domain.PlanForm) (Plan, error) {
	p, err := c.createPlan(ctx, st, form)
	return planView(p), err
}

func (c *Core) createPlan(ctx context.Context, st *Staff, form domain.PlanForm) (repo.Plan, error) {
	if !st.Is(domain.RoleInstitution) || st.InstitutionID == 0 {
		return repo.Plan{}, errStaffForbidden
	}
	f, verr := c.validatePlan(ctx, form)
	if verr != nil {
		return repo.Plan{}, verr
	}
	now := c.now().UTC().Truncate(time.Microsecond)
	p := repo.Plan{InstitutionID: st.InstitutionID, State: repo.PlanDraft, CreatedAt: now, UpdatedAt: now}
	planFromFields(&p, f)
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		if err := tx.InsertPlan(ctx, &p); err != nil {
			return err
		}
		return c.audit(ctx, tx.Writer, st, AuditPlanCreate, "plan", p.ID, "计划编号 "+p.PlanNo)
	})
	if repo.IsUniqueViolation(err) {
		return repo.Plan{}, errPlanNoTaken
	}
	if err != nil {
		return repo.Plan{}, domain.Internal(err)
	}
	return p, nil
}

// UpdatePlan saves an edited plan of st's institution. A closed plan cannot be
// edited; seats cannot drop below those taken; the level cannot change once a
// registration was submitted. Candidates see the change at once.
func (c *Core) UpdatePlan(ctx context.Context, st *Staff, id int64, form domain.PlanForm) (Plan, error) {
	p, err := c.updatePlan(ctx, st, id, form)
	return planView(p), err
}

func (c *Core) updatePlan(ctx context.Context, st *Staff, id int64, form domain.PlanForm) (repo.Plan, error) {
	f, verr := c.validatePlan(ctx, form)
	var p repo.Plan
	var changes string // what seat holders are told, after the save
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		var err error
		if p, err = c.planFor(ctx, tx.Reader, st, id, Act); err != nil {
			return err
		}
		if verr != nil {
			return verr
		}
		if p.State != repo.PlanDraft && p.State != repo.PlanPublished {
			return domain.Conflict("plan_closed", "评价计划已关闭，不能修改")
		}
		if p.State != repo.PlanDraft && f.SupervisionRegion != p.SupervisionRegion {
			return errRegionLocked
		}
		if err := c.checkPlanLimits(ctx, tx, &p, f); err != nil {
			return err
		}
		old := p
		planFromFields(&p, f)
		p.UpdatedAt = c.now().UTC().Truncate(time.Microsecond)
		ok, err := tx.UpdatePlan(ctx, &p)
		if err != nil {
			return err
		}
		if !ok { // a submit slipped in between: the UPDATE's own guard refused
			return domain.Conflict("plan_changed", "评价计划的报名情况刚刚发生变化，请刷新后重试")
		}
		detail := "计划编号 " + p.PlanNo
		if all := planFieldChanges(&old, &p); all != "" {
			detail += "；" + all
		} else {
			detail += "；未修改任何项目"
		}
		changes = planChanges(&old, &p)
		return c.audit(ctx, tx.Writer, st, AuditPlanUpdate, "plan", p.ID, detail)
	})
	if repo.IsUniqueViolation(err) {
		return repo.Plan{}, errPlanNoTaken
	}
	if err != nil {
		return repo.Plan{}, asDomainError(err)
	}
	c.refreshPlans(ctx)
	if changes != "" {
		// The save stands whatever happens here; a failure is logged, and the
		// notices already written stay (each batch commits on its own).
		if err := c.notifyPlanChanged(context.WithoutCancel(ctx), &p, changes); err != nil {
			c.log.Error("plan change notices", "plan_id", p.ID, "err", err)
		}
	}
	return p, nil
}

// checkPlanLimits refuses seats below those taken and a level change after a submit.
func (c *Core) checkPlanLimits(ctx context.Context, tx repo.Tx, p *repo.Plan, f domain.PlanFields) error {
	var fe []domain.FieldError
	if f.Seats < p.SeatsTaken {
		fe = append(fe, domain.FieldError{Field: "seats_total", Code: "seats_below_taken",
			Message: fmt.Sprintf("已有%d人占用名额，最大允许报名人数不能少于%d", p.SeatsTaken, p.SeatsTaken)})
	}
	if int(f.LevelValue) != p.Level {
		n, err := tx.PlanSubmittedCount(ctx, p.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			fe = append(fe, domain.FieldError{Field: "level", Code: "level_locked",
				Message: "已有考生提交报名，不能修改评价等级"})
		}
	}
	if err := domain.InvalidFields(fe); err != nil {
		return err
	}
	return nil
}

// PublishPlan makes a draft plan visible to candidates.
func (c *Core) PublishPlan(ctx context.Context, st *Staff, id int64) error {
	return c.movePlan(ctx, st, id, Act, repo.PlanDraft, repo.PlanPublished, AuditPlanPublish, "只有草稿状态的计划可以发布")
}

// ClosePlan stops registration for a published plan; candidates still see it as 已截止.
func (c *Core) ClosePlan(ctx context.Context, st *Staff, id int64) error {
	return c.movePlan(ctx, st, id, Act, repo.PlanPublished, repo.PlanClosed, AuditPlanClose, "只有已发布的计划可以关闭")
}

// ReopenPlan opens a closed plan for registration again; admins only (audited).
// Seats and registrations are as they were; a passed deadline still applies.
func (c *Core) ReopenPlan(ctx context.Context, st *Staff, id int64) error {
	if !st.Is(domain.RoleAdmin) {
		return errStaffForbidden
	}
	// An admin acts on any institution's plan here (Read: seeing it is enough).
	return c.movePlan(ctx, st, id, Read, repo.PlanClosed, repo.PlanPublished, AuditPlanReopen, "只有已关闭的计划可以重新开放")
}

func (c *Core) movePlan(ctx context.Context, st *Staff, id int64, access Access, from, to, action, refusal string) error {
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		p, err := c.planFor(ctx, tx.Reader, st, id, access)
		if err != nil {
			return err
		}
		if from == repo.PlanDraft {
			// A draft may have been saved before a rule changed: check it again.
			if _, verr := c.validatePlan(ctx, planFormOf(&p)); verr != nil {
				return domain.Conflict("plan_incomplete", "计划信息不完整或有误，请先修改："+domain.MessageOf(verr))
			}
		}
		ok, err := tx.SetPlanState(ctx, id, from, to, c.now().UTC().Truncate(time.Microsecond))
		if err != nil {
			return err
		}
		if !ok {
			return domain.Conflict("plan_state", refusal)
		}
		return c.audit(ctx, tx.Writer, st, action, "plan", id, "计划编号 "+p.PlanNo)
	})
	if err != nil {
		return asDomainError(err)
	}
	c.refreshPlans(ctx)
	return nil
}

// refreshPlans brings the candidates' read model up to date after a plan change
// committed; a failure only delays it until the next poll.
func (c *Core) refreshPlans(ctx context.Context) {
	if err := c.Plans.Refresh(ctx); err != nil {
		c.log.Warn("plan index refresh after a console change failed", "err", err)
	}
}

// IsPlanLevelLocked reports whether a plan's level can no longer change: a
// registration of it was submitted. The edit form disables the field then.
func (c *Core) IsPlanLevelLocked(ctx context.Context, planID int64) bool {
	n, err := c.db.Read().PlanSubmittedCount(ctx, planID)
	return err != nil || n > 0
}
