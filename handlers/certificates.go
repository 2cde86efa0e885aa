package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// Certificates is GET /api/v1/certificates: the progress of each of the
// candidate's registrations that reached evaluation.
func (h *Handlers) Certificates(c echo.Context) error {
	items, err := h.Core.ListCertificates(c.Request().Context(), CandidateID(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// Certificate is GET /api/v1/certificates/{registration_id}.
func (h *Handlers) Certificate(c echo.Context) error {
	id, err := PathID(c, "registration_id")
	if err != nil {
		return err
	}
	cert, err := h.Core.GetCertificate(c.Request().Context(), CandidateID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cert)
}

// subscriptionsRequest is what wx.requestSubscribeMessage answered, per template id.
type subscriptionsRequest struct {
	Results map[string]string `json:"results"`
}

// RecordSubscriptions is POST /api/v1/me/subscriptions: each accept is one send
// credit for its template.
func (h *Handlers) RecordSubscriptions(c echo.Context) error {
	var req subscriptionsRequest
	if err := BindJSON(c, &req); err != nil {
		return err
	}
	credits, err := h.Core.RecordSubscriptions(c.Request().Context(), CandidateID(c), req.Results)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"credits": credits})
}
