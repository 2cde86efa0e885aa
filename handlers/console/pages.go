package console

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"skillcert/domain"
)

// csp allows the console's own CSS and script only.
const csp = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// Pages is the console's outer middleware: security headers on every answer,
// and errors rendered as Chinese pages instead of JSON.
func (h *Handlers) Pages(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		hd := c.Response().Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		if !strings.HasPrefix(c.Request().URL.Path, "/console/static/") {
			hd.Set("Content-Security-Policy", csp)
			hd.Set("Cache-Control", "no-store")
		}
		err := next(c)
		if err == nil || c.Response().Committed {
			return err
		}
		return h.errorPage(c, err)
	}
}

type errorData struct{ Heading, Message string }

func (h *Handlers) errorPage(c echo.Context, err error) error {
	status, d := http.StatusInternalServerError, errorData{"出错了", "服务器内部错误，请稍后再试。"}
	if de, ok := domain.AsError(err); ok {
		switch de.Kind {
		case domain.KindUnauthorized:
			return c.Redirect(http.StatusSeeOther, "/console/login?ok=expired")
		case domain.KindNotFound:
			status, d = http.StatusNotFound, errorData{"未找到", de.Message + "，或当前账号无权查看。"}
		case domain.KindForbidden:
			status, d = http.StatusForbidden, errorData{"没有权限", de.Message}
			if de.Code == errCSRF.Code { // a stale form, not a missing right
				d = errorData{"页面已过期", "页面已过期，请返回上一页，刷新后重新提交。"}
			}
		case domain.KindInvalid:
			status, d = http.StatusBadRequest, errorData{"请求有误", de.Message}
		case domain.KindConflict:
			status, d = http.StatusConflict, errorData{"无法完成操作", de.Message}
		case domain.KindRateLimited:
			status, d = http.StatusTooManyRequests, errorData{"操作过于频繁", de.Message}
		case domain.KindUnavailable:
			status, d = http.StatusServiceUnavailable, errorData{"服务暂时不可用", de.Message}
		}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			status, d = he.Code, errorData{"未找到", "页面不存在。"}
		case http.StatusMethodNotAllowed:
			status, d = he.Code, errorData{"请求有误", "不支持该请求方式。"}
		case http.StatusRequestEntityTooLarge:
			status, d = he.Code, errorData{"文件过大", "上传的内容超过了大小限制。"}
		default:
			if he.Code < 500 {
				status, d = he.Code, errorData{"请求有误", "请求格式不正确。"}
			}
		}
	}
	if status >= 500 {
		h.log.Error("console request failed", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
			"method", c.Request().Method, "route", c.Path(), "err", err.Error())
	}
	return h.render(c, status, "error", view{Title: d.Heading, D: d})
}
