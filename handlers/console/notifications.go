package console

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"skillcert/core"
)

type notificationsData struct {
	Items []core.FailedNotification
	Pager *pager
}

// Notifications is GET /console/notifications: the notifications the dispatcher
// gave up on, with the channel, tries and last error (admins).
func (h *Handlers) Notifications(c echo.Context) error {
	page, err := h.core.ListFailedNotifications(c.Request().Context(), mustStaff(c), pageParam(c), 50)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "notifications", view{Title: "发送失败的通知", Nav: "notifications",
		D: notificationsData{Items: page.Items, Pager: pagerFor(c, page.Total, page.Page, page.PageSize)}})
}

// RequeueNotification is POST /console/notifications/:nid/requeue: send a
// failed notification again (audited).
func (h *Handlers) RequeueNotification(c echo.Context) error {
	id, err := pathID(c, "nid")
	if err != nil {
		return err
	}
	if err := h.core.RequeueNotification(c.Request().Context(), mustStaff(c), id); err != nil {
		return err
	}
	return redirectOK(c, "/console/notifications", "requeued")
}
