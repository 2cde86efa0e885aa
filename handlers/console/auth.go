package console

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"skillcert/domain"
)

type loginData struct{ Username, Next, Error string }

// Home is GET /console/: signed-in staff go to their plans, others to the login page.
func (h *Handlers) Home(c echo.Context) error {
	if staffOf(c) == nil {
		return c.Redirect(http.StatusSeeOther, "/console/login")
	}
	return c.Redirect(http.StatusSeeOther, "/console/plans")
}

// LoginPage is GET /console/login.
func (h *Handlers) LoginPage(c echo.Context) error {
	if staffOf(c) != nil {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
	}
	return h.render(c, http.StatusOK, "login", view{Title: "登录", D: loginData{Next: c.QueryParam("next")}})
}

// Login is POST /console/login: check the password (rate-limited per IP, the
// account locked after repeated failures), open the session, go on. The
// password is never logged or echoed back.
func (h *Handlers) Login(c echo.Context) error {
	username := strings.TrimSpace(c.FormValue("username"))
	next := c.FormValue("next")
	token, _, err := h.core.LogInStaff(c.Request().Context(), username, c.FormValue("password"), c.RealIP(), h.set.Login)
	if err != nil {
		de, ok := domain.AsError(err)
		if !ok || de.Kind == domain.KindInternal {
			return err
		}
		status := http.StatusUnauthorized
		if de.Kind == domain.KindRateLimited {
			status = http.StatusTooManyRequests
		}
		return h.render(c, status, "login", view{Title: "登录", D: loginData{Username: username, Next: next, Error: de.Message}})
	}
	h.startSession(c, token)
	return c.Redirect(http.StatusSeeOther, safeNext(next))
}

// Logout is POST /console/logout.
func (h *Handlers) Logout(c echo.Context) error {
	token, _ := c.Get(ctxToken).(string)
	if err := h.core.LogOutStaff(c.Request().Context(), token, mustStaff(c)); err != nil {
		return err
	}
	c.SetCookie(h.cookie(sessionCookie, "", -1))
	return redirectOK(c, "/console/login", "loggedout")
}

// safeNext keeps a post-login redirect inside the console.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/console/") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return "/console/plans"
}
