package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

type auditData struct {
	Items   []core.AuditEntry
	Pager   *keysetPager
	Actions []domain.Option
	Action  string
	Actor   int64
}

// Audit is GET /console/audit: every staff action, newest first (admins), in
// keyset pages (?before=, ?after=, ?last=1).
func (h *Handlers) Audit(c echo.Context) error {
	actor, _ := strconv.ParseInt(c.QueryParam("actor"), 10, 64)
	before, _ := strconv.ParseInt(c.QueryParam("before"), 10, 64)
	after, _ := strconv.ParseInt(c.QueryParam("after"), 10, 64)
	q := core.AuditQuery{ActorID: max(0, actor), Action: c.QueryParam("action"), Before: max(0, before),
		After: max(0, after), Last: c.QueryParam("last") == "1", PageSize: 50}
	page, err := h.core.ListAuditLog(c.Request().Context(), mustStaff(c), q)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "audit", view{Title: "审计日志", Nav: "audit", D: auditData{
		Items: page.Items, Pager: keysetFor(c, approxTotal(page.Total, page.TotalApprox), page.IsFirst, page.IsLast, page.Newer, page.Older),
		Actions: core.AuditActions(), Action: q.Action, Actor: q.ActorID}})
}

// AuditExport is GET /console/audit/export.xlsx (or export.jsonl): the audit
// log as filtered, for a date range (from, to), every matching entry, streamed
// (admins; audited).
func (h *Handlers) AuditExport(c echo.Context) error {
	actor, _ := strconv.ParseInt(c.QueryParam("actor"), 10, 64)
	x, err := h.core.ExportAuditLog(c.Request().Context(), mustStaff(c), core.AuditQuery{ActorID: max(0, actor),
		Action: c.QueryParam("action"), From: strings.TrimSpace(c.QueryParam("from")), To: strings.TrimSpace(c.QueryParam("to")),
		JSONLines: strings.HasSuffix(c.Path(), ".jsonl")})
	if err != nil {
		return err
	}
	return sendStream(c, x)
}

type newUserForm struct {
	Username, Role, Region string
	InstitutionID          int64
}

type usersData struct {
	Items        []core.StaffAccount
	Pager        *pager
	Institutions []core.Institution
	New          newUserForm
	Regions      []domain.Option // the 业务监管地 of supervisor accounts
	MustChange   map[int64]bool  // accounts whose password an admin reset
	OneTime      *oneTime        // a password just reset, shown once
}

// oneTime is a one-time password an admin just set for an account.
type oneTime struct {
	UserID   int64
	Username string
	Password string
}

// Users is GET /console/users: the accounts and the form for a new one (admins).
func (h *Handlers) Users(c echo.Context) error {
	return h.renderUsers(c, http.StatusOK, newUserForm{Role: string(domain.RoleInstitution)}, nil)
}

func (h *Handlers) renderUsers(c echo.Context, status int, f newUserForm, errs map[string]string) error {
	return h.renderUsersWith(c, status, f, errs, nil)
}

func (h *Handlers) renderUsersWith(c echo.Context, status int, f newUserForm, errs map[string]string, ot *oneTime) error {
	st := mustStaff(c)
	ctx := c.Request().Context()
	page, err := h.core.ListStaffAccounts(ctx, st, pageParam(c), 20)
	if err != nil {
		return err
	}
	insts, err := h.core.ListAllInstitutions(ctx, st)
	if err != nil {
		return err
	}
	must, err := h.core.ListPasswordResetAccounts(ctx, st)
	if err != nil {
		return err
	}
	if ot != nil {
		for _, it := range page.Items {
			if it.ID == ot.UserID {
				ot.Username = it.Username
			}
		}
	}
	return h.render(c, status, "users", view{Title: "账号管理", Nav: "users", Errs: errs, D: usersData{
		Items: page.Items, Pager: pagerFor(c, page.Total, page.Page, page.PageSize), Institutions: insts, New: f,
		Regions: h.core.Options().SupervisionRegions, MustChange: must, OneTime: ot}})
}

// CreateUser is POST /console/users.
func (h *Handlers) CreateUser(c echo.Context) error {
	instID, _ := strconv.ParseInt(c.FormValue("institution_id"), 10, 64)
	f := newUserForm{Username: c.FormValue("username"), Role: c.FormValue("role"), Region: c.FormValue("region"),
		InstitutionID: instID}
	_, err := h.core.CreateStaff(c.Request().Context(), core.NewStaff{Username: f.Username,
		Password: c.FormValue("password"), Role: domain.Role(f.Role), InstitutionID: instID, Region: f.Region}, mustStaff(c))
	if errs, ok := fieldErrors(err); ok {
		return h.renderUsers(c, http.StatusBadRequest, f, errs)
	}
	if err != nil {
		return err
	}
	return redirectOK(c, "/console/users", "user")
}

// DisableUser is POST /console/users/:uid/disable.
func (h *Handlers) DisableUser(c echo.Context) error { return h.setDisabled(c, true, "disabled") }

// EnableUser is POST /console/users/:uid/enable.
func (h *Handlers) EnableUser(c echo.Context) error { return h.setDisabled(c, false, "enabled") }

// UnlockUser is POST /console/users/:uid/unlock: lifts every sign-in lock of
// the account (core.UnlockStaff; audited).
func (h *Handlers) UnlockUser(c echo.Context) error {
	id, err := pathID(c, "uid")
	if err != nil {
		return err
	}
	if err := h.core.UnlockStaff(c.Request().Context(), mustStaff(c), id); err != nil {
		return err
	}
	return redirectOK(c, "/console/users", "unlocked")
}

func (h *Handlers) setDisabled(c echo.Context, disabled bool, flash string) error {
	id, err := pathID(c, "uid")
	if err != nil {
		return err
	}
	if err := h.core.SetStaffDisabled(c.Request().Context(), mustStaff(c), id, disabled); err != nil {
		return err
	}
	return redirectOK(c, "/console/users", flash)
}

type institutionsData struct {
	Items []core.Institution
	Pager *pager
	New   core.NewInstitution
}

// Institutions is GET /console/institutions (admins).
func (h *Handlers) Institutions(c echo.Context) error {
	return h.renderInstitutions(c, http.StatusOK, core.NewInstitution{}, nil)
}

func (h *Handlers) renderInstitutions(c echo.Context, status int, f core.NewInstitution, errs map[string]string) error {
	page, err := h.core.ListInstitutions(c.Request().Context(), mustStaff(c), pageParam(c), 20)
	if err != nil {
		return err
	}
	return h.render(c, status, "institutions", view{Title: "评价机构", Nav: "institutions", Errs: errs,
		D: institutionsData{Items: page.Items, Pager: pagerFor(c, page.Total, page.Page, page.PageSize), New: f}})
}

// CreateInstitution is POST /console/institutions.
func (h *Handlers) CreateInstitution(c echo.Context) error {
	f := core.NewInstitution{Name: c.FormValue("name"), ContactName: c.FormValue("contact_name"),
		ContactPhone: c.FormValue("contact_phone"), Address: c.FormValue("address")}
	_, err := h.core.CreateInstitution(c.Request().Context(), mustStaff(c), f)
	if errs, ok := fieldErrors(err); ok {
		return h.renderInstitutions(c, http.StatusBadRequest, f, errs)
	}
	if err != nil {
		return err
	}
	return redirectOK(c, "/console/institutions", "institution")
}
