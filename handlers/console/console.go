// Package console is the HTTP edge of the web console at /console: server-rendered
// pages for institution staff, supervisors and admins. Each handler binds a form,
// calls core and renders a page; business rules and access checks live in core.
package console

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	ui "skillcert/console"
	"skillcert/core"
	"skillcert/domain"
)

// Settings are the console's knobs, from the server configuration.
type Settings struct {
	Login        core.LoginPolicy
	CookieSecure bool // send cookies with Secure (turn off only for plain-HTTP development)
}

// Handlers serves the console pages.
type Handlers struct {
	core *core.Core
	log  *slog.Logger
	ui   *ui.Renderer
	set  Settings

	seedKey []byte // signs the pre-login CSRF seeds this server issues
}

// New builds the console handlers and parses the page templates.
func New(c *core.Core, log *slog.Logger, s Settings) (*Handlers, error) {
	h := &Handlers{core: c, log: log, set: s, seedKey: c.SigningKey("console pre-login csrf seed v1")}
	r, err := ui.NewRenderer(h.funcs())
	if err != nil {
		return nil, err
	}
	h.ui = r
	return h, nil
}

// Static serves the console's CSS and JavaScript.
func (h *Handlers) Static() echo.HandlerFunc {
	fs := http.StripPrefix("/console/static/", http.FileServer(http.FS(ui.Static())))
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "public, max-age=3600")
		fs.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

// view is what every page template gets.
type view struct {
	Title     string
	Nav       string // the highlighted menu entry
	Staff     *core.Staff
	CSRF      string
	Flash     string
	FlashKind string            // "", "bad" or "warn"
	Errs      map[string]string // field → message of a refused form
	D         any               // the page's own data
	Refresh   int               // seconds before the page reloads itself (a running job); 0: never
}

// render writes a page with the common parts filled in.
func (h *Handlers) render(c echo.Context, status int, page string, v view) error {
	v.Staff = staffOf(c)
	v.CSRF = csrfToken(c)
	if v.Flash == "" {
		v.Flash, v.FlashKind = flashOf(c)
	}
	if v.Errs == nil {
		v.Errs = map[string]string{}
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return h.ui.Render(c.Response(), page, v)
}

// fieldErrors turns a validation error into field → message for the form.
func fieldErrors(err error) (map[string]string, bool) { return domain.FieldMessages(err) }

// now is the console's clock (core's, so tests can move it).
func (h *Handlers) now() time.Time { return h.core.Now() }

// planOf starts a page of one plan: the plan of the path's :id as the
// signed-in staff member may see it (not found or forbidden otherwise), with
// the request's context and the staff member.
func (h *Handlers) planOf(c echo.Context) (context.Context, *core.Staff, core.StaffPlanView, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, nil, core.StaffPlanView{}, err
	}
	st := mustStaff(c)
	ctx := c.Request().Context()
	plan, err := h.core.GetStaffPlanDetail(ctx, st, id)
	return ctx, st, plan, err
}
