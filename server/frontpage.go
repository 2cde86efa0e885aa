package server

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/demo"
	"skillcert/docs"
	"skillcert/wechat/fake"
)

//go:embed pages/*.html
var pageFS embed.FS

var pages = template.Must(template.ParseFS(pageFS, "pages/*.html"))

// frontRoutes mounts the front page (GET /), the API index (GET /api/v1/), the
// API reference (GET /docs/API.md), the OpenAPI contract and its page
// (contractRoutes) and, in demo mode, the pushed messages (GET /demo/outbox, .json).
func (a *App) frontRoutes(e *echo.Echo) {
	e.GET("/", a.frontPage)
	e.GET("/api/v1", a.apiIndex)
	e.GET("/api/v1/", a.apiIndex)
	e.GET("/docs/API.md", func(c echo.Context) error {
		return c.Blob(http.StatusOK, "text/markdown; charset=utf-8", docs.API)
	})
	a.contractRoutes(e)
	if a.DemoMode != nil {
		e.GET("/demo/outbox", a.demoOutboxPage)
		e.GET("/demo/outbox.json", a.demoOutboxJSON)
	}
}

// render runs a page template into an HTML answer.
func render(c echo.Context, name string, data any) error {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		return err
	}
	return c.HTMLBlob(http.StatusOK, b.Bytes())
}

// frontPage says, in Chinese, what skillcert is and where to go.
func (a *App) frontPage(c echo.Context) error {
	open, err := a.Core.SearchPlans(c.Request().Context(), core.PlanQuery{Status: core.PlanStatusOpen, Page: 1, PageSize: 1})
	if err != nil {
		return err
	}
	return render(c, "front.html", map[string]any{
		"OpenPlans": open.Total, "Demo": a.DemoMode != nil, "Code": demo.Code, "PlanNo": demo.PlanNo,
		"Institution": demo.Institution, "Accounts": DemoStaffUsernames,
	})
}

// apiRoute is one line of the API index.
type apiRoute struct {
	Method string `json:"method"`
	Path   string `json:"path"`
}

// apiIndex lists the API's routes, read from the route table itself.
func (a *App) apiIndex(c echo.Context) error {
	var routes []apiRoute
	seen := map[apiRoute]bool{}
	for _, r := range a.Echo.Routes() {
		rt := apiRoute{Method: r.Method, Path: r.Path}
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Path == "/api/v1/" || seen[rt] || r.Method == echo.RouteNotFound {
			continue
		}
		seen[rt] = true
		routes = append(routes, rt)
	}
	sort.Slice(routes, func(i, j int) bool {
		if routes[i].Path != routes[j].Path {
			return routes[i].Path < routes[j].Path
		}
		return routes[i].Method < routes[j].Method
	})
	return c.JSON(http.StatusOK, map[string]any{
		"name":     "skillcert",
		"version":  "v1",
		"contract": "/docs/API.md",
		"openapi":  "/api/v1/openapi.json",
		"docs":     "/api/docs",
		"auth":     "POST /api/v1/auth/login {\"code\": wx.login code} → {\"token\"}; then Authorization: Bearer <token>",
		"errors":   `{"error":{"code","message","field"}}`,
		"routes":   routes,
	})
}

// outboxLine is one pushed message as the outbox page shows it.
type outboxLine struct {
	Time, Kind, To, Template, Page string
	Lines                          []string
}

// beijing is China Standard Time, how the messages themselves give times.
var beijing = time.FixedZone("CST", 8*3600)

var kindNames = map[fake.Kind]string{fake.KindSubscribe: "小程序订阅消息", fake.KindTemplate: "公众号模板消息", fake.KindCustom: "公众号客服消息"}

// demoOutbox lists what the WeChat stand-in accepted, newest first.
func (a *App) demoOutbox() []outboxLine {
	sent := a.DemoMode.WeChat.Sent()
	out := make([]outboxLine, 0, len(sent))
	for i := len(sent) - 1; i >= 0; i-- {
		m := sent[i]
		l := outboxLine{Time: m.Time.In(beijing).Format("2006-01-02 15:04:05"), Kind: kindNames[m.Kind],
			To: m.ToOpenID, Template: m.TemplateID, Page: m.Page}
		if m.MiniPagePath != "" {
			l.Page = m.MiniPagePath
		}
		keys := make([]string, 0, len(m.Data))
		for k := range m.Data {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			l.Lines = append(l.Lines, fmt.Sprintf("%s：%s", k, m.Data[k]))
		}
		if m.Text != "" {
			l.Lines = append(l.Lines, m.Text)
		}
		out = append(out, l)
	}
	return out
}

func (a *App) demoOutboxPage(c echo.Context) error {
	return render(c, "outbox.html", map[string]any{"Messages": a.demoOutbox()})
}

func (a *App) demoOutboxJSON(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{"items": a.DemoMode.WeChat.Sent()})
}
