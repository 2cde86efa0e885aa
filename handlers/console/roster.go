package console

import (
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"skillcert/core"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Roster is GET /console/plans/:id/roster.xlsx: the plan's roster (花名册).
func (h *Handlers) Roster(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, err := h.core.ExportPlanRoster(c.Request().Context(), mustStaff(c), id, c.QueryParam("status"))
	if err != nil {
		return err
	}
	return sendStream(c, r)
}

// sendStream writes a streamed spreadsheet straight to the response. Once the
// first bytes are out an error can no longer become an error page: the
// download breaks off (and core's audit entry says so).
func sendStream(c echo.Context, s *core.SheetStream) error {
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": s.FileName}))
	hd.Set(echo.HeaderContentType, s.ContentType())
	c.Response().WriteHeader(http.StatusOK)
	_, err := s.WriteTo(c.Request().Context(), c.Response())
	return err
}
