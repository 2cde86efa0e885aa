package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// GetTicket is GET /api/v1/registrations/{id}/ticket: the admission ticket (准考证)
// of one of the candidate's registrations; 404 unless it is approved and its
// ticket published.
func (h *Handlers) GetTicket(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	v, err := h.Core.GetTicket(c.Request().Context(), CandidateID(c), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, v)
}
