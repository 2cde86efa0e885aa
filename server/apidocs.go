package server

import (
	"embed"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"skillcert/docs"
)

// apiDocsFS is the reference page of /api/docs: Redoc's standalone bundle,
// vendored by tools/openapi/update-redoc.sh (version in apidocs/REDOC_VERSION).
//
//go:embed apidocs/index.html apidocs/page.css apidocs/redoc.standalone.js apidocs/REDOC_VERSION
var apiDocsFS embed.FS

// apiDocsCSP allows what Redoc needs and nothing else: its script and the page's
// stylesheet from here, the styles it injects (styled-components), the contract
// fetched from here, its search worker (started from a blob), inline SVG icons.
const apiDocsCSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src blob:; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// contractRoutes mounts the OpenAPI contract (GET /api/v1/openapi.json, the
// embedded docs/openapi.yaml converted once, here at start-up) and its
// reference page (GET /api/docs).
func (a *App) contractRoutes(e *echo.Echo) {
	spec, err := docs.OpenAPIJSON()
	if err != nil {
		panic(err) // the embedded file is part of the build: its test fails first
	}
	e.GET("/api/v1/openapi.json", func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, spec)
	})
	page := func(name, contentType string) echo.HandlerFunc {
		b, err := apiDocsFS.ReadFile("apidocs/" + name)
		if err != nil {
			panic(err)
		}
		return func(c echo.Context) error {
			hd := c.Response().Header()
			hd.Set("Content-Security-Policy", apiDocsCSP)
			hd.Set("X-Content-Type-Options", "nosniff")
			if !strings.HasPrefix(contentType, "text/html") {
				hd.Set("Cache-Control", "public, max-age=3600")
			}
			return c.Blob(http.StatusOK, contentType, b)
		}
	}
	e.GET("/api/docs", page("index.html", echo.MIMETextHTMLCharsetUTF8))
	e.GET("/api/docs/page.css", page("page.css", "text/css; charset=utf-8"))
	e.GET("/api/docs/redoc.standalone.js", page("redoc.standalone.js", echo.MIMEApplicationJavaScriptCharsetUTF8))
}
