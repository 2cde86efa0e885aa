package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/handlers"
)

// Personal data rights on the web (PIPL Art. 45 and 47, docs/PRIVACY.md): the
// same core operations as GET /api/v1/me/export and DELETE /api/v1/me, so the
// rate limit, the audit and the rules of what is kept are the API's.

// ExportData is GET /web/me/export[?format=zip]: 我的 → 导出我的数据, a
// download of the copy (JSON, or a zip with the files).
func (h *Handlers) ExportData(c echo.Context) error {
	return handlers.ServeDataExport(c, h.core, candidateOf(c))
}

// deleteData is the 注销账号 page's data.
type deleteData struct {
	Confirm bool
}

// DeletePage is GET /web/me/delete: what 注销账号 deletes and keeps, and the
// confirmation.
func (h *Handlers) DeletePage(c echo.Context) error {
	return h.render(c, http.StatusOK, "delete", view{Title: "注销账号", Back: "/web/me", Nav: "me", D: deleteData{}})
}

// DeleteAccount is POST /web/me/delete (confirm=1): the account is deleted as
// core.DeleteAccount says, the browser is signed out and the page tells what
// was kept. A refusal (a registration in review, an exam not yet held) is shown
// on the confirmation page.
func (h *Handlers) DeleteAccount(c echo.Context) error {
	confirm := c.FormValue("confirm") != ""
	out, err := h.core.DeleteAccount(c.Request().Context(), candidateOf(c), core.DeleteAccountInput{Confirm: confirm})
	if err != nil {
		de, ok := domain.AsError(err)
		if !ok || de.Kind == domain.KindInternal {
			return err
		}
		errs, _ := fieldErrors(err)
		return h.render(c, handlersStatusOf(de), "delete", view{Title: "注销账号", Back: "/web/me", Nav: "me",
			Errs: errs, Flash: de.Message, FlashKind: "warn", D: deleteData{Confirm: confirm}})
	}
	c.SetCookie(h.cookie(sessionCookie, "", -1))
	c.Set(ctxCandidate, int64(0)) // the page that follows is a signed-out one
	return h.render(c, http.StatusOK, "deleted", view{Title: "账号已注销", Nav: "me", D: out})
}
