package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

// Cookies, all HttpOnly and SameSite=Lax, on /web. The session cookie holds the
// candidate's opaque session token (the database keeps only its hash); the
// pre-login cookie seeds the CSRF token of a visitor not signed in; the QR
// cookie holds the secret of the browser's pending QR sign-in; the state
// cookie the state of a web authorization under way.
const (
	sessionCookie = "skillcert_web"
	preCookie     = "skillcert_web_pre"
	qrCookie      = "skillcert_web_qr"
	stateCookie   = "skillcert_web_state"
	cookiePath    = "/web"
)

const (
	ctxCandidate = "web.candidate"
	ctxToken     = "web.token"
	ctxSeed      = "web.csrf_seed"
)

// candidateOf is the signed-in candidate of a request, or 0.
func candidateOf(c echo.Context) int64 {
	id, _ := c.Get(ctxCandidate).(int64)
	return id
}

func (h *Handlers) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: cookiePath, MaxAge: maxAge, HttpOnly: true,
		Secure: h.opt.CookieSecure, SameSite: http.SameSiteLaxMode}
}

func randomValue() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// Session loads the candidate of the session cookie, if any, and the seed of
// the request's CSRF token: the session token when signed in, else a random
// pre-login value kept in its own cookie.
func (h *Handlers) Session(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			id, err := h.core.AuthenticateSession(c.Request().Context(), ck.Value)
			if err == nil {
				c.Set(ctxCandidate, id)
				c.Set(ctxToken, ck.Value)
				c.Set(ctxSeed, ck.Value)
				return next(c)
			}
			if de, ok := domain.AsError(err); !ok || de.Kind != domain.KindUnauthorized {
				return err
			}
			c.SetCookie(h.cookie(sessionCookie, "", -1))
		}
		if ck, err := c.Cookie(preCookie); err == nil && len(ck.Value) >= 32 {
			c.Set(ctxSeed, ck.Value)
		} else if c.Request().Method == http.MethodGet {
			seed := randomValue()
			c.SetCookie(h.cookie(preCookie, seed, 0))
			c.Set(ctxSeed, seed)
		}
		return next(c)
	}
}

// csrfToken is the token every form of the page carries: an HMAC of a fixed
// purpose under the request's seed, which a cross-site page cannot read.
func csrfToken(c echo.Context) string {
	seed, _ := c.Get(ctxSeed).(string)
	if seed == "" {
		return ""
	}
	m := hmac.New(sha256.New, []byte(seed))
	m.Write([]byte("skillcert web csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

var errCSRF = domain.NewError(domain.KindForbidden, "csrf_invalid", "页面已过期或请求来源无效，请返回刷新页面后重试")

// CSRF refuses a state-changing request that is cross-origin (the browser's
// Sec-Fetch-Site / Origin, Go's CrossOriginProtection) or whose form (or
// X-CSRF-Token header) does not carry the request's token.
func (h *Handlers) CSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if err := h.cop.Check(c.Request()); err != nil {
			return errCSRF
		}
		want := csrfToken(c)
		got := c.Request().Header.Get("X-CSRF-Token")
		if got == "" {
			got = c.FormValue("csrf")
		}
		if want == "" || !hmac.Equal([]byte(got), []byte(want)) {
			return errCSRF
		}
		return next(c)
	}
}

// Require lets only a signed-in candidate through; others go to the sign-in
// page, which brings them back (GET) or to the page they came from.
func (h *Handlers) Require(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if candidateOf(c) != 0 {
			return next(c)
		}
		to := "/web/login"
		if c.Request().Method == http.MethodGet {
			to += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
		}
		return c.Redirect(http.StatusSeeOther, to)
	}
}

// startSession sets the session cookie after a sign-in and drops the others.
func (h *Handlers) startSession(c echo.Context, token string) {
	c.SetCookie(h.cookie(sessionCookie, token, int(core.SessionTTL/time.Second)))
	c.SetCookie(h.cookie(preCookie, "", -1))
	c.SetCookie(h.cookie(qrCookie, "", -1))
	c.SetCookie(h.cookie(stateCookie, "", -1))
}

// safeNext is a local /web path to go to after sign-in; /web/ otherwise.
func safeNext(s string) string {
	if strings.HasPrefix(s, "/web/") && !strings.HasPrefix(s, "//") && !strings.ContainsAny(s, "\\\r\n") {
		return s
	}
	return "/web/"
}

// inWeChat tells whether the browser is WeChat's own (MicroMessenger), where
// web authorization signs in without a QR code.
func inWeChat(r *http.Request) bool {
	return strings.Contains(r.UserAgent(), "MicroMessenger")
}
