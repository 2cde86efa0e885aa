package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"skillcert/core"
)

// GetMe is GET /api/v1/me: the candidate's own account, with the full ID number.
func (h *Handlers) GetMe(c echo.Context) error {
	me, err := h.Core.GetMe(c.Request().Context(), CandidateID(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, me)
}

// PutIdentity is PUT /api/v1/me/identity: bind or change the real-name identity.
func (h *Handlers) PutIdentity(c echo.Context) error {
	var req core.IdentityInput
	if err := BindJSON(c, &req); err != nil {
		return err
	}
	me, err := h.Core.BindIdentity(c.Request().Context(), CandidateID(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, me)
}

// BindPhone is POST /api/v1/me/phone {code}: the WeChat phone number (getPhoneNumber).
func (h *Handlers) BindPhone(c echo.Context) error {
	var req codeRequest
	if err := BindJSON(c, &req); err != nil {
		return err
	}
	me, err := h.Core.BindPhone(c.Request().Context(), CandidateID(c), req.Code)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, me)
}
