package web

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

// loginData is the sign-in page's data.
type loginData struct {
	Enabled  bool   // the official account's sign-in is configured
	ImageURL string // the QR code to scan
	Expires  time.Time
	Next     string
	Demo     bool   // offer the stand-in's one-click scan
	Problem  string // why no code could be made
}

// qrCookieValue keeps the browser's secret and the code's image together, so a
// reload shows the same code until it is scanned or expires.
func qrCookieValue(secret, image string) string {
	return secret + "." + base64.RawURLEncoding.EncodeToString([]byte(image))
}

func parseQRCookie(v string) (secret, image string) {
	s, img, ok := strings.Cut(v, ".")
	if !ok {
		return "", ""
	}
	b, err := base64.RawURLEncoding.DecodeString(img)
	if err != nil {
		return "", ""
	}
	return s, string(b)
}

// LoginPage is GET /web/login: inside WeChat, web authorization; elsewhere, the
// official account's QR code, reused across reloads until it is scanned (then
// the browser is signed in) or expires (then a new one is made).
func (h *Handlers) LoginPage(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if candidateOf(c) != 0 {
		return c.Redirect(http.StatusSeeOther, next)
	}
	d := loginData{Enabled: h.core.OAWebEnabled(), Next: next, Demo: h.opt.DemoScan != nil}
	if !d.Enabled {
		return h.render(c, http.StatusOK, "login", view{Title: "登录", D: d})
	}
	ctx := c.Request().Context()
	if inWeChat(c.Request()) {
		state := randomValue()[:24]
		u, err := h.core.BuildWebOAuthURL(h.baseURL(c)+"/web/oauth/callback", state)
		if err != nil {
			return err
		}
		c.SetCookie(h.cookie(stateCookie, state+"."+base64.RawURLEncoding.EncodeToString([]byte(next)), 600))
		return c.Redirect(http.StatusFound, u)
	}
	if ck, err := c.Cookie(qrCookie); err == nil {
		secret, img := parseQRCookie(ck.Value)
		if st, err := h.core.GetWebQRStatus(ctx, secret); err == nil {
			if st.Token != "" {
				h.startSession(c, st.Token)
				return c.Redirect(http.StatusSeeOther, withFlash(next, "signedin"))
			}
			if !st.Expired && img != "" {
				d.ImageURL, d.Expires = img, st.ExpiresAt
				return h.render(c, http.StatusOK, "login", view{Title: "登录", D: d})
			}
		}
	}
	q, err := h.core.StartWebQR(ctx, c.RealIP())
	if err != nil {
		de, ok := domain.AsError(err)
		if !ok || de.Kind == domain.KindInternal {
			return err
		}
		d.Problem = de.Message
		return h.render(c, handlersStatus(de), "login", view{Title: "登录", D: d})
	}
	c.SetCookie(h.cookie(qrCookie, qrCookieValue(q.Secret, q.ImageURL), int(core.WebQRTTL/time.Second)))
	d.ImageURL, d.Expires = q.ImageURL, q.ExpiresAt
	return h.render(c, http.StatusOK, "login", view{Title: "登录", D: d})
}

// LoginStatus is GET /web/login/status, polled by the sign-in page:
// {"state": "pending" | "done" | "expired"}; "done" comes with the session
// cookie.
func (h *Handlers) LoginStatus(c echo.Context) error {
	ck, err := c.Cookie(qrCookie)
	if err != nil {
		return c.JSON(http.StatusOK, map[string]string{"state": "expired"})
	}
	secret, _ := parseQRCookie(ck.Value)
	st, err := h.core.GetWebQRStatus(c.Request().Context(), secret)
	if err != nil {
		if de, ok := domain.AsError(err); ok && de.Kind == domain.KindNotFound {
			return c.JSON(http.StatusOK, map[string]string{"state": "expired"})
		}
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	switch {
	case st.Token != "":
		h.startSession(c, st.Token)
		return c.JSON(http.StatusOK, map[string]string{"state": "done"})
	case st.Expired:
		return c.JSON(http.StatusOK, map[string]string{"state": "expired"})
	}
	return c.JSON(http.StatusOK, map[string]string{"state": "pending"})
}

// LoginDemo is POST /web/login/demo (demo mode only): the WeChat stand-in scans
// this browser's code, as a phone would, and the browser is signed in.
func (h *Handlers) LoginDemo(c echo.Context) error {
	if h.opt.DemoScan == nil {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	next := safeNext(c.FormValue("next"))
	ck, err := c.Cookie(qrCookie)
	if err != nil {
		return c.Redirect(http.StatusSeeOther, "/web/login?ok=expired&next="+url.QueryEscape(next))
	}
	secret, _ := parseQRCookie(ck.Value)
	ctx := c.Request().Context()
	st, err := h.core.GetWebQRStatus(ctx, secret)
	if err != nil || st.Expired {
		return c.Redirect(http.StatusSeeOther, "/web/login?ok=expired&next="+url.QueryEscape(next))
	}
	if st.Token == "" {
		if err := h.opt.DemoScan(ctx, st.Scene); err != nil {
			h.log.Warn("demo scan", "err", err)
			return domain.NewError(domain.KindUnavailable, "demo_scan_failed", "演示扫码失败，请刷新页面后重试")
		}
		if st, err = h.core.GetWebQRStatus(ctx, secret); err != nil {
			return err
		}
	}
	if st.Token == "" {
		return c.Redirect(http.StatusSeeOther, "/web/login?ok=expired&next="+url.QueryEscape(next))
	}
	h.startSession(c, st.Token)
	return c.Redirect(http.StatusSeeOther, withFlash(next, "signedin"))
}

// OAuthCallback is GET /web/oauth/callback: WeChat's web authorization comes
// back with a code and the state this browser was given.
func (h *Handlers) OAuthCallback(c echo.Context) error {
	ck, err := c.Cookie(stateCookie)
	if err != nil {
		return c.Redirect(http.StatusSeeOther, "/web/?ok=expired")
	}
	state, rawNext, _ := strings.Cut(ck.Value, ".")
	if state == "" || c.QueryParam("state") != state {
		return errCSRF
	}
	next := "/web/"
	if b, err := base64.RawURLEncoding.DecodeString(rawNext); err == nil {
		next = safeNext(string(b))
	}
	if c.QueryParam("code") == "" { // the user refused (snsapi_userinfo) or WeChat sent none
		return domain.NewError(domain.KindUnauthorized, "oauth_refused", "未获得微信授权")
	}
	token, err := h.core.SignInWebOAuth(c.Request().Context(), c.QueryParam("code"), c.RealIP())
	if err != nil {
		return err
	}
	h.startSession(c, token)
	return c.Redirect(http.StatusSeeOther, withFlash(next, "signedin"))
}

// Logout is POST /web/logout: the session ends here and now.
func (h *Handlers) Logout(c echo.Context) error {
	if tok, _ := c.Get(ctxToken).(string); tok != "" {
		if err := h.core.EndSession(c.Request().Context(), tok); err != nil {
			return err
		}
	}
	c.SetCookie(h.cookie(sessionCookie, "", -1))
	return c.Redirect(http.StatusSeeOther, "/web/?ok=signedout")
}

// baseURL is the server's public URL: Options.BaseURL, else the request's.
func (h *Handlers) baseURL(c echo.Context) string {
	if h.opt.BaseURL != "" {
		return strings.TrimRight(h.opt.BaseURL, "/")
	}
	return c.Scheme() + "://" + c.Request().Host
}

// withFlash adds ?ok=<code> to a local path.
func withFlash(p, code string) string {
	if strings.Contains(p, "?") {
		return p + "&ok=" + code
	}
	return p + "?ok=" + code
}

func handlersStatus(de *domain.Error) int {
	switch de.Kind {
	case domain.KindRateLimited:
		return http.StatusTooManyRequests
	case domain.KindUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusOK
}
