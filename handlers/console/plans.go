package console

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

type plansData struct {
	Items           []core.StaffPlanView
	Keyset          *keysetPager // both orders page by key
	State, Text     string
	Phase, Sort     string
	States          []domain.Option
	Phases, Sorts   []domain.Option
	CanCreate       bool
	ShowInstitution bool
}

// Plans is GET /console/plans: the plans the staff member may see, with their
// registrations counted by status.
func (h *Handlers) Plans(c echo.Context) error {
	st := mustStaff(c)
	before, _ := strconv.ParseInt(c.QueryParam("before"), 10, 64)
	after, _ := strconv.ParseInt(c.QueryParam("after"), 10, 64)
	q := core.PlanListQuery{State: c.QueryParam("state"), Phase: c.QueryParam("phase"), Sort: c.QueryParam("sort"),
		Text: c.QueryParam("q"), Before: max(0, before), After: max(0, after),
		Last: c.QueryParam("last") == "1"}
	page, err := h.core.ListStaffPlans(c.Request().Context(), st, q)
	if err != nil {
		return err
	}
	d := plansData{Items: page.Items, State: q.State, Text: q.Text,
		Phase: q.Phase, Sort: q.Sort, Phases: core.PlanPhaseOptions(), Sorts: core.PlanSortOptions(),
		States: core.PlanStateOptions(), CanCreate: st.Is(domain.RoleInstitution),
		ShowInstitution: !st.Is(domain.RoleInstitution),
	}
	total := keysetTotal(page.Total, page.TotalCapped)
	if page.TotalApprox {
		total = approxTotal(page.Total, true)
	}
	d.Keyset = keysetFor(c, total, page.IsFirst, page.IsLast, page.Newer, page.Older)
	return h.render(c, http.StatusOK, "plans", view{Title: "评价计划", Nav: "plans", D: d})
}

type planData struct {
	Plan    core.StaffPlanView
	Owner   bool
	Admin   bool            // may change the 业务监管地
	Regions []domain.Option // its choices
	// RequireVerified: the plan takes submissions only from verified identities;
	// RequireVerifiedAll: the whole deployment does (SKILLCERT_REQUIRE_VERIFIED).
	RequireVerified, RequireVerifiedAll bool
}

// Plan is GET /console/plans/:id.
func (h *Handlers) Plan(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	st := mustStaff(c)
	v, err := h.core.GetStaffPlanDetail(c.Request().Context(), st, id)
	if err != nil {
		return err
	}
	req, all, err := h.core.GetPlanRequireVerified(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "plan", view{Title: v.PlanName, Nav: "plans",
		D: planData{Plan: v, Owner: st.OwnsPlan(&v.Plan), Admin: st.Is(domain.RoleAdmin),
			Regions: h.core.Options().SupervisionRegions, RequireVerified: req, RequireVerifiedAll: all}})
}

type planFormData struct {
	ID           int64
	Form         domain.PlanForm
	LevelLocked  bool
	RegionLocked bool // published: only an admin changes the 业务监管地
	SeatsHint    string
	Choices      domain.PlanChoices
}

func bindPlanForm(c echo.Context) domain.PlanForm {
	v := c.FormValue
	return domain.PlanForm{PlanNo: v("plan_no"), PlanName: v("plan_name"), OccupationName: v("occupation_name"),
		WorkType: v("work_type"), Level: v("level"), SeatsTotal: v("seats_total"), City: v("city"),
		District: v("district"), Address: v("address"), RegStart: v("reg_start"), RegDeadline: v("reg_deadline"),
		EvalStart: v("eval_start"), EvalEnd: v("eval_end"), ContactName: v("contact_name"),
		ContactPhone: v("contact_phone"), SupervisionRegion: v("supervision_region")}
}

// NewPlan is GET /console/plans/new.
func (h *Handlers) NewPlan(c echo.Context) error {
	f := domain.PlanForm{WorkType: domain.EmployerNone}
	ch, err := h.core.ListPlanChoices(c.Request().Context())
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "plan_form", view{Title: "新建评价计划", Nav: "plans",
		D: planFormData{Form: f, Choices: ch}})
}

// CreatePlan is POST /console/plans.
func (h *Handlers) CreatePlan(c echo.Context) error {
	form := bindPlanForm(c)
	p, err := h.core.CreatePlan(c.Request().Context(), mustStaff(c), form)
	if errs, ok := fieldErrors(err); ok {
		ch, cerr := h.core.ListPlanChoices(c.Request().Context())
		if cerr != nil {
			return cerr
		}
		return h.render(c, http.StatusBadRequest, "plan_form", view{Title: "新建评价计划", Nav: "plans", Errs: errs,
			D: planFormData{Form: form, Choices: ch}})
	}
	if err != nil {
		return err
	}
	return redirectOK(c, fmt.Sprintf("/console/plans/%d", p.ID), "created")
}

// EditPlan is GET /console/plans/:id/edit.
func (h *Handlers) EditPlan(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	d, err := h.planFormData(c, id)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "plan_form", view{Title: "修改评价计划", Nav: "plans", D: d})
}

// planFormData loads a plan's edit form, with what its registrations lock.
func (h *Handlers) planFormData(c echo.Context, id int64) (planFormData, error) {
	st := mustStaff(c)
	v, err := h.core.GetStaffPlanDetail(c.Request().Context(), st, id)
	if err != nil {
		return planFormData{}, err
	}
	if !st.OwnsPlan(&v.Plan) {
		return planFormData{}, domain.NewError(domain.KindForbidden, "forbidden", "只有本机构账号可以修改该评价计划")
	}
	ch, err := h.core.ListPlanChoices(c.Request().Context())
	if err != nil {
		return planFormData{}, err
	}
	d := planFormData{ID: id, Form: core.PlanFormOf(&v.Plan), LevelLocked: h.core.IsPlanLevelLocked(c.Request().Context(), id),
		RegionLocked: v.State != "draft", Choices: ch}
	if v.SeatsTaken > 0 {
		d.SeatsHint = fmt.Sprintf("已占用 %d 个名额，不能少于此数", v.SeatsTaken)
	}
	return d, nil
}

// UpdatePlan is POST /console/plans/:id.
func (h *Handlers) UpdatePlan(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	form := bindPlanForm(c)
	_, err = h.core.UpdatePlan(c.Request().Context(), mustStaff(c), id, form)
	if errs, ok := fieldErrors(err); ok {
		d, lerr := h.planFormData(c, id)
		if lerr != nil {
			return lerr
		}
		d.Form = form
		return h.render(c, http.StatusBadRequest, "plan_form", view{Title: "修改评价计划", Nav: "plans", Errs: errs, D: d})
	}
	if err != nil {
		return err
	}
	return redirectOK(c, fmt.Sprintf("/console/plans/%d", id), "saved")
}

// PublishPlan is POST /console/plans/:id/publish.
func (h *Handlers) PublishPlan(c echo.Context) error {
	return h.planAction(c, h.core.PublishPlan, "published")
}

// ClosePlan is POST /console/plans/:id/close.
func (h *Handlers) ClosePlan(c echo.Context) error {
	return h.planAction(c, h.core.ClosePlan, "closed")
}

// ReopenPlan is POST /console/plans/:id/reopen (admins).
func (h *Handlers) ReopenPlan(c echo.Context) error {
	return h.planAction(c, h.core.ReopenPlan, "reopened")
}

func (h *Handlers) planAction(c echo.Context, do func(ctx context.Context, st *core.Staff, id int64) error, flash string) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := do(c.Request().Context(), mustStaff(c), id); err != nil {
		return err
	}
	return redirectOK(c, fmt.Sprintf("/console/plans/%d", id), flash)
}
