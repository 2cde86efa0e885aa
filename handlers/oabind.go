package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// CreateOABindCode is POST /api/v1/me/oa-bind-code: a 6-digit one-time code,
// valid 10 minutes, that the candidate sends in the official-account chat to
// link it to this account.
func (h *Handlers) CreateOABindCode(c echo.Context) error {
	code, err := h.Core.CreateOABindCode(c.Request().Context(), CandidateID(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, code)
}
