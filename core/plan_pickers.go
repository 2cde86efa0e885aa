package core

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"skillcert/domain"
	"skillcert/repo"
)

// Audited actions of the plan pickers and of staff passwords (issue 15).
const (
	AuditPlanRegion     = "plan.region"
	AuditOccupationAdd  = "occupation.add"
	AuditPasswordChange = "staff.password_change"
	AuditPasswordReset  = "staff.password_reset"
)

// pickerAuditActions are listed after the older actions in the audit filter.
var pickerAuditActions = []string{AuditPlanRegion, AuditOccupationAdd, AuditPasswordChange,
	AuditPasswordReset}

func init() {
	auditNames[AuditPlanRegion] = "修改业务监管地"
	auditNames[AuditOccupationAdd] = "新增职业名称"
	auditNames[AuditPasswordChange] = "修改本人密码"
	auditNames[AuditPasswordReset] = "重置账号密码"
}

// ListPlanChoices returns the lists the plan form picks from: the 业务监管地, the
// cities of the 考试地点, and the occupation catalogue with the occupations
// admins added. Every door that saves a plan checks against it.
func (c *Core) ListPlanChoices(ctx context.Context) (domain.PlanChoices, error) {
	names, err := c.db.ListPlanOccupations(ctx)
	if err != nil {
		return domain.PlanChoices{}, domain.Internal(err)
	}
	extra := make([]domain.Option, len(names))
	for i, n := range names {
		extra[i] = domain.Option{Code: n, Name: n}
	}
	return domain.PlanChoicesOf(c.opts, extra), nil
}

// validatePlan checks a plan form against the rules and the pickers' lists.
func (c *Core) validatePlan(ctx context.Context, form domain.PlanForm) (domain.PlanFields, error) {
	ch, err := c.ListPlanChoices(ctx)
	if err != nil {
		return domain.PlanFields{}, err
	}
	return domain.ValidatePlanForm(form, ch)
}

// AddPlanOccupation adds an occupation to the plan form's 职业名称 picker;
// admins only, audited.
func (c *Core) AddPlanOccupation(ctx context.Context, st *Staff, name string) error {
	if !st.Is(domain.RoleAdmin) {
		return errStaffForbidden
	}
	name = strings.TrimSpace(name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return domain.Invalid("occupation", "required", "请填写职业名称")
	case n < 2 || n > 50:
		return domain.Invalid("occupation", "too_long", "职业名称应为2至50个字")
	case strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0:
		return domain.Invalid("occupation", "bad_chars", "职业名称不能含有空格或不可见字符")
	}
	ch, err := c.ListPlanChoices(ctx)
	if err != nil {
		return err
	}
	for _, o := range ch.Occupations {
		if o.Code == name {
			return domain.Invalid("occupation", "occupation_exists", "职业名称已在列表中")
		}
	}
	now := c.now().UTC().Truncate(time.Microsecond)
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		if err := tx.InsertPlanOccupation(ctx, name, st.ID, now); err != nil {
			return err
		}
		return c.audit(ctx, tx.Writer, st, AuditOccupationAdd, "occupation", 0, name)
	})
	if repo.IsUniqueViolation(err) {
		return domain.Invalid("occupation", "occupation_exists", "职业名称已在列表中")
	}
	if err != nil {
		return domain.Internal(err)
	}
	return nil
}

// SetPlanSupervisionRegion changes the 业务监管地 of a plan; admins only (an
// institution may choose it only while the plan is a draft). Audited with the
// old and the new value; the supervisors' views follow at once.
func (c *Core) SetPlanSupervisionRegion(ctx context.Context, st *Staff, id int64, region string) error {
	if !st.Is(domain.RoleAdmin) {
		return errStaffForbidden
	}
	region = strings.TrimSpace(region)
	if !c.opts.HasSupervisionRegion(region) {
		return domain.Invalid("supervision_region", "not_in_list", "请从列表中选择业务监管地")
	}
	now := c.now().UTC().Truncate(time.Microsecond)
	err := c.db.WithTx(ctx, func(tx repo.Tx) error {
		p, err := c.planFor(ctx, tx.Reader, st, id, Read)
		if err != nil {
			return err
		}
		if p.SupervisionRegion == region {
			return nil
		}
		if _, err := tx.SetPlanRegion(ctx, id, region, now); err != nil {
			return err
		}
		return c.audit(ctx, tx.Writer, st, AuditPlanRegion, "plan", id,
			fmt.Sprintf("计划编号 %s；业务监管地：%s → %s", p.PlanNo, p.SupervisionRegion, region))
	})
	if err != nil {
		return asDomainError(err)
	}
	c.refreshPlans(ctx)
	return nil
}

// errRegionLocked refuses an institution's change of a published plan's region.
var errRegionLocked = domain.Invalid("supervision_region", "region_locked",
	"评价计划发布后，业务监管地只能由管理员修改")

// planFieldChanges lists every field that differs between two versions of a
// plan as "label：old → new", for the audit log.
func planFieldChanges(old, cur *repo.Plan) string {
	a, b := planFormOf(old), planFormOf(cur)
	a.Level, b.Level = domain.Level(old.Level).Name(), domain.Level(cur.Level).Name()
	fields := []struct {
		label    string
		old, new string
	}{
		{"评价计划编号", a.PlanNo, b.PlanNo}, {"评价计划名称", a.PlanName, b.PlanName},
		{"职业名称", a.OccupationName, b.OccupationName}, {"工种名称", a.WorkType, b.WorkType},
		{"评价等级", a.Level, b.Level}, {"最大允许报名人数", a.SeatsTotal, b.SeatsTotal},
		{"考试地点（市）", a.City, b.City}, {"考试地点（区/县）", a.District, b.District},
		{"考试详细地址", a.Address, b.Address}, {"报名开始日期", a.RegStart, b.RegStart},
		{"报名截止日期", a.RegDeadline, b.RegDeadline}, {"评价开始日期", a.EvalStart, b.EvalStart},
		{"评价结束日期", a.EvalEnd, b.EvalEnd}, {"评价业务联系人", a.ContactName, b.ContactName},
		{"联系电话", a.ContactPhone, b.ContactPhone}, {"业务监管地", a.SupervisionRegion, b.SupervisionRegion},
	}
	var out []string
	for _, f := range fields {
		if f.old != f.new {
			out = append(out, fmt.Sprintf("%s：%s → %s", f.label, orDash(f.old), orDash(f.new)))
		}
	}
	return strings.Join(out, "；")
}

func orDash(s string) string {
	if s == "" {
		return "（空）"
	}
	return s
}
