package console

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"skillcert/core"
)

type codesData struct {
	Plan           core.StaffPlanView
	Items          []core.CodeView
	Pager          *pager
	Count, Expires string
}

// Codes is GET /console/plans/:id/codes: the plan's registration codes with
// their use counts.
func (h *Handlers) Codes(c echo.Context) error {
	return h.renderCodes(c, http.StatusOK, codesData{}, nil)
}

func (h *Handlers) renderCodes(c echo.Context, status int, d codesData, errs map[string]string) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	st := mustStaff(c)
	ctx := c.Request().Context()
	page, err := h.core.ListPlanCodes(ctx, st, id, pageParam(c), 50)
	if err != nil {
		return err
	}
	if d.Plan, err = h.core.GetStaffPlanDetail(ctx, st, id); err != nil {
		return err
	}
	d.Items, d.Pager = page.Items, pagerFor(c, page.Total, page.Page, page.PageSize)
	return h.render(c, status, "codes", view{Title: "报名码", Nav: "plans", Errs: errs, D: d})
}

// GenerateCodes is POST /console/plans/:id/codes.
func (h *Handlers) GenerateCodes(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	d := codesData{Count: strings.TrimSpace(c.FormValue("count")), Expires: c.FormValue("expires")}
	n, convErr := strconv.Atoi(d.Count)
	if convErr != nil {
		n = 0 // core answers with the range message
	}
	_, err = h.core.GenerateCodes(c.Request().Context(), mustStaff(c), id, n, d.Expires)
	if errs, ok := fieldErrors(err); ok {
		return h.renderCodes(c, http.StatusBadRequest, d, errs)
	}
	if err != nil {
		return err
	}
	return redirectOK(c, fmt.Sprintf("/console/plans/%d/codes", id), "codes")
}

// RevokeCode is POST /console/plans/:id/codes/:cid/revoke.
func (h *Handlers) RevokeCode(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cid, err := pathID(c, "cid")
	if err != nil {
		return err
	}
	if err := h.core.RevokeCode(c.Request().Context(), mustStaff(c), id, cid); err != nil {
		return err
	}
	return redirectOK(c, fmt.Sprintf("/console/plans/%d/codes", id), "revoked")
}
