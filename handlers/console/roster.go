package console

import (
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Roster is GET /console/plans/:id/roster.xlsx: the plan's roster (花名册).
func (h *Handlers) Roster(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, err := h.core.PlanRoster(c.Request().Context(), mustStaff(c), id, c.QueryParam("status"))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition,
		mime.FormatMediaType("attachment", map[string]string{"filename": r.FileName}))
	return c.Blob(http.StatusOK, xlsxType, r.Data)
}
