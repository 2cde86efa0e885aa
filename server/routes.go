package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"skillcert/handlers"
)

// routes is the one route table: every route of skillcert and who may call it.
// Public: anyone. Candidate: a signed-in candidate (Bearer token).
func (a *App) routes(e *echo.Echo, h *handlers.Handlers) {
	// Operations.
	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", a.readyz)
	e.GET("/metrics", a.metrics.handler())

	api := e.Group("/api/v1")

	// Public.
	api.GET("/meta", h.Meta)
	api.GET("/plans", h.SearchPlans)
	api.GET("/plans/:id", h.GetPlan)

	// Candidate routes: every one behind RequireCandidate.
	me := api.Group("", h.RequireCandidate)
	_ = me

	// --- sign-in and identity (issue 3) ---

	// --- registration by code (issue 4) ---

	// --- certificates and subscriptions (issue 6) ---

	// --- official-account callback (issue 7) ---

	// --- feedback and training intentions (issue 9) ---

	// --- console (issue 5): mounted by a.consoleRoutes ---
}

func (a *App) readyz(c echo.Context) error {
	if err := a.ready(c.Request().Context()); err != nil {
		a.Log.Warn("not ready", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]any{"status": "unavailable",
			"error": map[string]string{"code": "not_ready", "message": "数据库不可用或结构版本不符", "field": ""}})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}
