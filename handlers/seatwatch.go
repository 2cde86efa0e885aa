package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// GetSeatWatch is GET /api/v1/plans/:id/seat-watch: whether the candidate asked
// to hear when the plan has a seat again.
func (h *Handlers) GetSeatWatch(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	w, err := h.Core.GetSeatWatch(c.Request().Context(), CandidateID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}

// WatchSeats is POST /api/v1/plans/:id/seat-watch: 有空位提醒我 on a full plan.
func (h *Handlers) WatchSeats(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	w, err := h.Core.WatchSeats(c.Request().Context(), CandidateID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}

// UnwatchSeats is DELETE /api/v1/plans/:id/seat-watch.
func (h *Handlers) UnwatchSeats(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	w, err := h.Core.UnwatchSeats(c.Request().Context(), CandidateID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}
