package console

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

// Cookies. The session cookie holds the opaque session token (the database keeps
// only its hash); the pre-login cookie seeds the login form's CSRF token.
const (
	sessionCookie = "skillcert_console"
	preCookie     = "skillcert_console_pre"
	cookiePath    = "/console"
)

const (
	ctxStaff = "console.staff"
	ctxToken = "console.token"
	ctxSeed  = "console.csrf_seed"
)

// staffOf returns the signed-in staff member of a request, or nil.
func staffOf(c echo.Context) *core.Staff {
	st, _ := c.Get(ctxStaff).(*core.Staff)
	return st
}

// mustStaff returns the signed-in staff member behind Require; a nil here is a
// wiring bug (a route without Require).
func mustStaff(c echo.Context) *core.Staff {
	st := staffOf(c)
	if st == nil {
		panic("console: route without Require")
	}
	return st
}

func (h *Handlers) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: cookiePath, MaxAge: maxAge, HttpOnly: true,
		Secure: h.set.CookieSecure, SameSite: http.SameSiteLaxMode}
}

// Session loads the staff member of the session cookie, if any, and the seed of
// the request's CSRF token: the session token when signed in, else a random
// pre-login value kept in its own cookie.
func (h *Handlers) Session(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			st, err := h.core.GetStaffSession(c.Request().Context(), ck.Value)
			if err == nil {
				st.IP = c.RealIP()
				c.Set(ctxStaff, &st)
				c.Set(ctxToken, ck.Value)
				c.Set(ctxSeed, ck.Value)
				return next(c)
			}
			if de, ok := domain.AsError(err); !ok || de.Kind != domain.KindUnauthorized {
				return err
			}
			c.SetCookie(h.cookie(sessionCookie, "", -1))
		}
		if ck, err := c.Cookie(preCookie); err == nil && h.issuedSeed(ck.Value) {
			c.Set(ctxSeed, ck.Value)
		} else if c.Request().Method == http.MethodGet {
			seed := h.newSeed()
			c.SetCookie(h.cookie(preCookie, seed, 0))
			c.Set(ctxSeed, seed)
		}
		return next(c)
	}
}

// newSeed is a pre-login CSRF seed the server issues: a random value and its
// HMAC under the server's key, so that a seed planted by someone else (a cookie
// set from a sibling domain) is not accepted.
func (h *Handlers) newSeed() string {
	r := randomValue()
	return r + "." + h.seedMAC(r)
}

// issuedSeed tells whether v is a seed this server (or a replica) issued.
func (h *Handlers) issuedSeed(v string) bool {
	r, mac, ok := strings.Cut(v, ".")
	return ok && len(r) >= 43 && hmac.Equal([]byte(mac), []byte(h.seedMAC(r)))
}

func (h *Handlers) seedMAC(r string) string {
	m := hmac.New(sha256.New, h.seedKey)
	m.Write([]byte(r))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func randomValue() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// csrfToken is the token every form of the page carries: an HMAC of the fixed
// purpose under the request's seed. It cannot be computed without the cookie,
// which a cross-site page cannot read.
func csrfToken(c echo.Context) string {
	seed, _ := c.Get(ctxSeed).(string)
	if seed == "" {
		return ""
	}
	m := hmac.New(sha256.New, []byte(seed))
	m.Write([]byte("skillcert console csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

var errCSRF = domain.NewError(domain.KindForbidden, "csrf_invalid", "页面已过期或请求来源无效，请刷新页面后重试")

// crossOrigin is Go's CrossOriginProtection: it refuses a state-changing
// request the browser marks as cross-origin (Sec-Fetch-Site, else Origin
// against Host).
var crossOrigin = http.NewCrossOriginProtection()

// CSRF refuses every state-changing request that the browser says comes from
// another site (crossOrigin) or whose form body (or X-CSRF-Token header) does
// not carry the request's token. The query string never counts: a token there
// leaks into logs, history and Referer headers.
func (h *Handlers) CSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if err := crossOrigin.Check(c.Request()); err != nil {
			return errCSRF
		}
		want := csrfToken(c)
		got := c.Request().Header.Get("X-CSRF-Token")
		if got == "" {
			got = formOnly(c.Request(), "csrf")
		}
		if want == "" || !hmac.Equal([]byte(got), []byte(want)) {
			return errCSRF
		}
		return next(c)
	}
}

// Require lets a request through only for a signed-in staff member of one of the
// roles: others are sent to the login page, or refused (403) when signed in.
func (h *Handlers) Require(roles ...domain.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			st := staffOf(c)
			if st == nil {
				to := "/console/login"
				if c.Request().Method == http.MethodGet {
					to += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
				} else {
					to += "?ok=expired"
				}
				return c.Redirect(http.StatusSeeOther, to)
			}
			if !st.Is(roles...) {
				return domain.NewError(domain.KindForbidden, "forbidden", "当前账号没有权限进行该操作")
			}
			return next(c)
		}
	}
}

// startSession sets the session cookie after a successful sign-in and drops the
// pre-login one.
func (h *Handlers) startSession(c echo.Context, token string) {
	c.SetCookie(h.cookie(sessionCookie, token, int(h.set.Login.SessionTTL/time.Second)))
	c.SetCookie(h.cookie(preCookie, "", -1))
}

// formOnly is a form field from the request body only (url-encoded or
// multipart), never from the query string.
func formOnly(r *http.Request, name string) string {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if r.MultipartForm == nil {
			_ = r.ParseMultipartForm(1 << 20)
		}
		if r.MultipartForm != nil {
			if v := r.MultipartForm.Value[name]; len(v) > 0 {
				return v[0]
			}
		}
		return ""
	}
	if err := r.ParseForm(); err != nil {
		return ""
	}
	return r.PostForm.Get(name)
}
