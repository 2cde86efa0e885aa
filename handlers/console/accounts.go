package console

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"skillcert/domain"
)

func init() {
	flashes["region"] = struct{ text, kind string }{"业务监管地已修改。", ""}
	flashes["occupation"] = struct{ text, kind string }{"职业名称已加入列表。", ""}
	flashes["password"] = struct{ text, kind string }{"密码已修改。", ""}
	flashes["must_change"] = struct{ text, kind string }{"管理员已重置您的密码，请先设置新密码。", "warn"}
	// After a review decision the next registration waiting for review opens.
	for code, done := range map[string]string{"approved": "已审核通过", "returned": "已退回修改",
		"rejected": "已审核不通过", "cancelled": "已撤销该报名"} {
		flashes[code+"_next"] = struct{ text, kind string }{done + "。以下是下一条待审核的报名。", ""}
	}
}

// PasswordGate sends an account whose password an admin reset to the password
// page until it has chosen its own (signing out stays possible).
func (h *Handlers) PasswordGate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		st := staffOf(c)
		p := c.Request().URL.Path
		if st == nil || p == "/console/password" || p == "/console/logout" || strings.HasPrefix(p, "/console/static/") {
			return next(c)
		}
		must, err := h.core.IsPasswordChangeRequired(c.Request().Context(), st)
		if err != nil {
			return err
		}
		if must {
			return redirectOK(c, "/console/password", "must_change")
		}
		return next(c)
	}
}

// PasswordPage is GET /console/password: change one's own password.
func (h *Handlers) PasswordPage(c echo.Context) error {
	v := view{Title: "修改密码", Nav: "password"}
	if must, err := h.core.IsPasswordChangeRequired(c.Request().Context(), mustStaff(c)); err != nil {
		return err
	} else if must {
		f := flashes["must_change"]
		v.Flash, v.FlashKind = f.text, f.kind
	}
	return h.render(c, http.StatusOK, "password", v)
}

// ChangePassword is POST /console/password.
func (h *Handlers) ChangePassword(c echo.Context) error {
	token, _ := c.Get(ctxToken).(string)
	err := h.core.ChangeOwnPassword(c.Request().Context(), mustStaff(c), token, c.FormValue("current"),
		c.FormValue("new"), c.FormValue("confirm"))
	if errs, ok := fieldErrors(err); ok {
		return h.render(c, http.StatusBadRequest, "password", view{Title: "修改密码", Nav: "password", Errs: errs})
	}
	if err != nil {
		return err
	}
	return redirectOK(c, "/console/plans", "password")
}

// SetPlanRegion is POST /console/plans/:id/region (admins).
func (h *Handlers) SetPlanRegion(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	err = h.core.SetPlanSupervisionRegion(c.Request().Context(), mustStaff(c), id, c.FormValue("supervision_region"))
	if errs, ok := fieldErrors(err); ok {
		st := mustStaff(c)
		v, lerr := h.core.GetStaffPlanDetail(c.Request().Context(), st, id)
		if lerr != nil {
			return lerr
		}
		return h.render(c, http.StatusBadRequest, "plan", view{Title: v.PlanName, Nav: "plans", Errs: errs,
			D: planData{Plan: v, Owner: st.OwnsPlan(&v.Plan), Regions: h.core.Options().SupervisionRegions,
				Admin: true}})
	}
	if err != nil {
		return err
	}
	return redirectOK(c, fmt.Sprintf("/console/plans/%d", id), "region")
}

type occupationsData struct {
	Catalogue []domain.Option
	Count     int
	Name      string
}

// Occupations is GET /console/occupations: the 职业名称 list of the plan form (admins).
func (h *Handlers) Occupations(c echo.Context) error {
	return h.renderOccupations(c, http.StatusOK, "", nil)
}

func (h *Handlers) renderOccupations(c echo.Context, status int, name string, errs map[string]string) error {
	ch, err := h.core.ListPlanChoices(c.Request().Context())
	if err != nil {
		return err
	}
	return h.render(c, status, "occupations", view{Title: "职业名称", Nav: "occupations", Errs: errs,
		D: occupationsData{Catalogue: ch.Occupations, Count: len(ch.Occupations), Name: name}})
}

// AddOccupation is POST /console/occupations (admins).
func (h *Handlers) AddOccupation(c echo.Context) error {
	name := c.FormValue("occupation")
	err := h.core.AddPlanOccupation(c.Request().Context(), mustStaff(c), name)
	if errs, ok := fieldErrors(err); ok {
		return h.renderOccupations(c, http.StatusBadRequest, name, errs)
	}
	if err != nil {
		return err
	}
	return redirectOK(c, "/console/occupations", "occupation")
}

// ResetPassword is POST /console/users/:uid/reset-password (admins): the new
// one-time password is shown once on the accounts page.
func (h *Handlers) ResetPassword(c echo.Context) error {
	id, err := pathID(c, "uid")
	if err != nil {
		return err
	}
	pw, err := h.core.ResetStaffPassword(c.Request().Context(), mustStaff(c), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return h.renderUsersWith(c, http.StatusOK, newUserForm{Role: string(domain.RoleInstitution)}, nil,
		&oneTime{UserID: id, Password: pw})
}
