// Package web is the candidate web edition (网页版, issue 16): mobile-first pages
// in Simplified Chinese, rendered on the server with html/template and styled
// with WeUI (embedded), mounted at /web/ by the route table (server/routes.go).
// Every form works without JavaScript; small scripts add upload progress and
// live checks. Handlers bind a form, call core — the same operations as the API,
// so every rule has one place — and render a page.
//
// Sign-in goes through the official account: web authorization (snsapi_base)
// inside WeChat's browser, a temporary parameter QR code elsewhere (core's
// web sign-in); the session is an ordinary candidate session in an HttpOnly,
// SameSite cookie, and every form carries a CSRF token.
package web

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/handlers"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options are the web edition's settings.
type Options struct {
	// CookieSecure sends cookies with Secure (turn off only for plain-HTTP
	// development).
	CookieSecure bool
	// BaseURL is the server's public URL (SKILLCERT_BASE_URL), for the web
	// authorization's redirect; the request's own host when empty.
	BaseURL string
	// DemoScan, when set (demo mode), lets the sign-in page sign in with one
	// click: it "scans" the page's QR code scene with the WeChat stand-in, which
	// sends the scan event to the callback as WeChat would.
	DemoScan func(ctx context.Context, scene string) error
}

// Handlers serves the candidate web pages.
type Handlers struct {
	core  *core.Core
	log   *slog.Logger
	opt   Options
	pages map[string]*template.Template
	cop   *http.CrossOriginProtection
}

// New builds the handlers and parses the page templates.
func New(c *core.Core, log *slog.Logger, opt Options) (*Handlers, error) {
	if log == nil {
		log = slog.Default()
	}
	h := &Handlers{core: c, log: log, opt: opt, pages: map[string]*template.Template{}, cop: http.NewCrossOriginProtection()}
	all, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	var shared, pages []string
	for _, f := range all {
		if strings.HasPrefix(path.Base(f), "_") {
			shared = append(shared, f)
		} else {
			pages = append(pages, f)
		}
	}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		t, err := template.New(name).Funcs(h.funcs()).ParseFS(templateFS, append(append([]string{}, shared...), p)...)
		if err != nil {
			return nil, fmt.Errorf("web template %s: %w", name, err)
		}
		h.pages[name] = t
	}
	return h, nil
}

// Static serves the CSS (WeUI and ours) and the small scripts under /web/static/.
func (h *Handlers) Static() echo.HandlerFunc {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embedded folder exists
	}
	fsrv := http.StripPrefix("/web/static/", http.FileServer(http.FS(sub)))
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "public, max-age=86400")
		fsrv.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

// view is what every page template gets.
type view struct {
	Title     string
	Nav       string // the highlighted tab: home, records, me
	Back      string // the back link of the header, if any
	SignedIn  bool
	CSRF      string
	Flash     string
	FlashKind string            // "", "warn"
	Errs      map[string]string // field → message of a refused form
	Handover  bool              // the browser came from the chat: offer "返回公众号继续"
	Retry     *busyRetry        // a busy submit: the form submits itself again
	D         any               // the page's own data
}

// render writes a page with the common parts filled in; the page is rendered
// into a buffer first, so a template error never sends half a page.
func (h *Handlers) render(c echo.Context, status int, page string, v view) error {
	t, ok := h.pages[page]
	if !ok {
		return fmt.Errorf("web: no page %q", page)
	}
	v.SignedIn = candidateOf(c) != 0
	v.CSRF = csrfToken(c)
	v.Handover = v.Handover || (fromChat(c) && page != "back")
	if v.Flash == "" {
		v.Flash, v.FlashKind = flashOf(c)
	}
	if v.Errs == nil {
		v.Errs = map[string]string{}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("web page %s: %w", page, err)
	}
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set(echo.HeaderContentLength, strconv.Itoa(buf.Len())) // one write, not chunks
	c.Response().WriteHeader(status)
	_, err := buf.WriteTo(c.Response())
	return err
}

// Errors renders the errors of the web pages as pages (the API's error
// handler answers JSON): a missing session goes to the sign-in page.
func (h *Handlers) Errors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil || c.Response().Committed {
			return err
		}
		status := http.StatusInternalServerError
		msg := "服务器内部错误，请稍后再试"
		if de, ok := domain.AsError(err); ok {
			status, msg = handlers.StatusOf(de.Kind), de.Message
			if de.Kind == domain.KindUnauthorized {
				return c.Redirect(http.StatusSeeOther, "/web/login")
			}
		} else if he, ok := err.(*echo.HTTPError); ok {
			status = he.Code
			switch status {
			case http.StatusNotFound:
				msg = "页面不存在"
			case http.StatusMethodNotAllowed:
				msg = "不支持该请求方法"
			case http.StatusRequestEntityTooLarge:
				msg = "上传的文件过大"
			default:
				msg = http.StatusText(status)
			}
		}
		if status >= 500 {
			h.log.Error("web page failed", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method, "route", c.Path(), "status", status, "err", err.Error())
		}
		return h.render(c, status, "error", view{Title: "出错了", D: msg})
	}
}

// fieldErrors turns a validation error into field → message for the form.
func fieldErrors(err error) (map[string]string, bool) { return domain.FieldMessages(err) }

// flashes are the one-line notices a redirect names with ?ok=.
var flashes = map[string]string{
	"saved":        "已保存",
	"submitted":    "报名已提交，请等待评价机构审核",
	"cancelled":    "报名已撤销",
	"uploaded":     "附件已上传",
	"deleted":      "附件已删除",
	"feedback":     "反馈已提交，督导人员会尽快处理",
	"intention":    "培训意向已登记",
	"withdrawn":    "培训意向已撤回",
	"identity":     "身份信息已绑定",
	"signedin":     "登录成功",
	"signedout":    "已退出登录",
	"need_id":      "请先绑定本人身份信息（姓名和证件号码），再报名",
	"expired":      "页面已过期，请重新操作",
	"need_signin":  "请先登录",
	"link_expired": "链接已过期，请回到公众号重新获取",
}

func flashOf(c echo.Context) (string, string) {
	if m, ok := flashes[c.QueryParam("ok")]; ok {
		kind := ""
		if strings.HasPrefix(c.QueryParam("ok"), "need_") || strings.HasSuffix(c.QueryParam("ok"), "expired") {
			kind = "warn"
		}
		return m, kind
	}
	return "", ""
}
