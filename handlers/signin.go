package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"skillcert/core"
)

// codeRequest is the body of the calls that take a WeChat code.
type codeRequest struct {
	Code string `json:"code"`
}

// Login is POST /api/v1/auth/login {code}: a wx.login code for a session.
func (h *Handlers) Login(c echo.Context) error {
	var req codeRequest
	if err := BindJSON(c, &req); err != nil {
		return err
	}
	res, err := h.Core.LogInCandidate(c.Request().Context(), core.LoginInput{Code: req.Code, IP: c.RealIP()})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// Logout is POST /api/v1/auth/logout: it revokes the caller's session.
func (h *Handlers) Logout(c echo.Context) error {
	if err := h.Core.EndSession(c.Request().Context(), BearerToken(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
