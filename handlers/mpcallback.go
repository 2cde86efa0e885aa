package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/wechat"
)

// MPCallback is the mini-program's message push (消息推送, GET and POST
// /wechat/mp/callback): the adapter's message server verifies each request
// (signature with WECHAT_MP_TOKEN, timestamp, nonce reuse, safe mode) and the
// verdicts of asynchronous media checks (wxa_media_check) go to core. Other
// events are acknowledged and ignored.
type MPCallback struct {
	Server *wechat.MessageServer // nil when no mini-program push token is configured
	Core   *core.Core
}

var errMPDown = domain.NewError(domain.KindUnavailable, "mp_push_not_configured", "小程序消息推送暂未开通")

// Verify is GET /wechat/mp/callback: WeChat's URL check, answered with echostr.
func (h *MPCallback) Verify(c echo.Context) error { return verifyURL(c, h.Server, errMPDown) }

// Receive is POST /wechat/mp/callback. It answers "success" once the event is
// handled; a verdict whose photo is not known yet answers 503 so that WeChat
// pushes it again.
func (h *MPCallback) Receive(c echo.Context) error {
	cb, err := openPush(c, h.Server, errMPDown)
	if err != nil {
		return err
	}
	req := c.Request()
	if m := cb.Message.Media; m != nil {
		if err := h.Core.ApplyMediaVerdict(req.Context(), core.MediaVerdict{TraceID: m.TraceID, Suggest: m.Suggest,
			ErrCode: m.ErrCode}); err != nil {
			return err // core.ErrUnknownTrace is a 503: WeChat pushes it again
		}
	}
	return c.String(http.StatusOK, "success")
}

// MediaForCheck is GET /wechat/media-check/{token}: the photo WeChat's media
// check fetches, by the secret token of its URL, only while its check is
// pending. Public: the token is the only key.
func (h *Handlers) MediaForCheck(c echo.Context) error {
	f, err := h.Core.OpenMediaForCheck(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return SendAttachment(c, f)
}
