package handlers

import (
	"strings"

	"github.com/labstack/echo/v4"

	"skillcert/domain"
)

const ctxCandidate = "skillcert.candidate"

// BearerToken returns the token of an `Authorization: Bearer …` header.
func BearerToken(c echo.Context) string {
	h := c.Request().Header.Get(echo.HeaderAuthorization)
	if t, ok := strings.CutPrefix(h, "Bearer "); ok {
		return strings.TrimSpace(t)
	}
	return ""
}

// RequireCandidate is the middleware of every candidate route: 401 in the error
// shape when the token is missing, unknown, expired or revoked.
func (h *Handlers) RequireCandidate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := h.Core.AuthenticateSession(c.Request().Context(), BearerToken(c))
		if err != nil {
			return err
		}
		c.Set(ctxCandidate, id)
		return next(c)
	}
}

// CandidateID is the signed-in candidate of a request behind RequireCandidate.
func CandidateID(c echo.Context) int64 {
	id, _ := c.Get(ctxCandidate).(int64)
	if id == 0 {
		// Routes reach here only through RequireCandidate; a zero id is a wiring bug.
		panic(domain.Internal(nil))
	}
	return id
}
