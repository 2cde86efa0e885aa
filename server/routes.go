package server

import (
	"context"
	"net/http"
	"sort"
	"time"

	"github.com/labstack/echo/v4"

	"skillcert/handlers"
)

// routes is the one route table: every route of skillcert and who may call it.
// Public: anyone. Candidate: a signed-in candidate (Bearer token).
func (a *App) routes(e *echo.Echo, h *handlers.Handlers) {
	// Operations.
	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", a.readyz)
	// Metrics: on SKILLCERT_METRICS_ADDR (loopback by default, see serveMetrics);
	// here only to the Bearer SKILLCERT_METRICS_TOKEN, when one is set.
	if a.Cfg.MetricsToken != "" {
		e.GET("/metrics", a.metrics.handler(), metricsToken(a.Cfg.MetricsToken))
	}

	api := e.Group("/api/v1")

	// Public.
	api.GET("/meta", h.Meta)
	api.GET("/plans", h.SearchPlans)
	api.GET("/plans/:id", h.GetPlan)

	// Candidate routes: every one behind RequireCandidate.
	me := withMiddleware{g: api, mw: []echo.MiddlewareFunc{h.RequireCandidate}, uploads: a.uploads}

	// --- sign-in and identity (issue 3) ---
	api.POST("/auth/login", h.Login) // public; limited per IP (SKILLCERT_LOGIN_RATE)
	me.POST("/auth/logout", h.Logout)
	me.GET("/me", h.GetMe)
	me.PUT("/me/identity", h.PutIdentity)
	me.POST("/me/phone", h.BindPhone)
	me.POST("/me/face-verification", h.StartFaceVerification)         // 人脸核身: ≤5 a day per candidate and per ID number
	me.POST("/me/face-verification/result", h.FinishFaceVerification) // the true result, from WeChat

	// --- personal data rights (PIPL Art. 45, 47) ---
	me.GET("/me/export", h.ExportMyData) // ?format=zip adds the files; 10 a day; audited
	me.DELETE("/me", h.DeleteAccount)    // {"confirm": true}; 409 account_in_use while a registration is in progress

	// --- registration by code (issue 4) ---
	// Failed code lookups are limited per candidate and IP (SKILLCERT_CODE_GUESS_LIMIT).
	me.POST("/registration-codes/lookup", h.LookupCode)
	me.POST("/registrations", h.CreateRegistration)
	// 有空位提醒我 on a full plan (issue 25).
	me.GET("/plans/:id/seat-watch", h.GetSeatWatch)
	me.POST("/plans/:id/seat-watch", h.WatchSeats)
	me.DELETE("/plans/:id/seat-watch", h.UnwatchSeats)
	me.GET("/registrations", h.ListRegistrations)
	me.GET("/registrations/:id", h.GetRegistration)
	me.PUT("/registrations/:id", h.SaveRegistration)
	me.GET("/registrations/:id/checklist", h.GetChecklist)
	me.POST("/registrations/:id/submit", h.SubmitRegistration)
	me.POST("/registrations/:id/cancel", h.CancelRegistration)
	me.GET("/registrations/:id/attachments", h.ListAttachments)
	me.Upload("/registrations/:id/attachments", h.UploadAttachment) // multipart; SKILLCERT_MAX_UPLOAD_MB, not the JSON body limit
	me.GET("/registrations/:id/attachments/:aid", h.DownloadAttachment)
	me.DELETE("/registrations/:id/attachments/:aid", h.DeleteAttachment)

	// --- certificates and subscriptions (issue 6) ---
	me.GET("/certificates", h.Certificates)
	me.GET("/certificates/:registration_id", h.Certificate)
	me.POST("/me/subscriptions", h.RecordSubscriptions)

	// --- official-account callback (issue 7) ---
	// Public, but each request must carry WeChat's signature (WECHAT_OA_TOKEN,
	// constant-time) and a timestamp within 5 minutes: else 403.
	oa := a.oaCallback()
	e.GET("/wechat/callback", oa.Verify)
	e.POST("/wechat/callback", oa.Receive)

	// --- mini-program message push and content security (issue 24) ---
	// The push is signed with WECHAT_MP_TOKEN like the official account's; the
	// media-check URL is public but keyed by a 64-hex secret per pending photo.
	mp := a.mpCallback()
	e.GET("/wechat/mp/callback", mp.Verify)
	e.POST("/wechat/mp/callback", mp.Receive)
	e.GET("/wechat/media-check/:token", h.MediaForCheck)
	me.POST("/me/oa-bind-code", h.CreateOABindCode) // 6 digits, valid 10 minutes

	// --- feedback and training intentions (issue 9) ---
	// Feedback: 5 a day per candidate; photos (jpg/png) up to 5 MB each, 3 a feedback,
	// under their own body limit (an upload route), not the JSON one.
	me.Upload("/feedback", h.CreateFeedback) // JSON, or multipart with "images"
	me.GET("/feedback", h.ListFeedback)
	me.GET("/feedback/:id", h.GetFeedback)
	me.Upload("/feedback/:id/images", h.AddFeedbackImages) // multipart; within an hour of sending
	me.GET("/feedback/:id/images/:iid", h.FeedbackImage)
	me.POST("/training-intentions", h.CreateIntention)
	me.GET("/training-intentions", h.ListIntentions)
	me.PATCH("/training-intentions/:id", h.SetIntentionConsent) // withdraw (or give) the contact consent
	me.DELETE("/training-intentions/:id", h.DeleteIntention)

	// --- admission ticket (issue 18) ---
	me.GET("/registrations/:id/ticket", h.GetTicket) // 404 unless approved and published

	// --- console (issue 5): mounted by a.consoleRoutes ---
	a.consoleRoutes(e)

	// --- candidate web pages (issue 16): mounted at /web/ by a.webRoutes ---
	a.webRoutes(e)

	// --- front page, API index and contract; demo mode's outbox (issue 12) ---
	a.frontRoutes(e)
}

// readyz answers 503 when the database (which nothing can do without) is down
// or its schema is not current; 200 otherwise, with "status": "degraded" and
// the dependency named while Redis is down (everything then runs on the
// database: slower, still correct, so the replica stays in the load balancer).
// It names the blob store ("blob_store": "local" or "s3") and checks it; a
// store that does not answer degrades too (only uploads and downloads fail).
func (a *App) readyz(c echo.Context) error {
	ctx := c.Request().Context()
	checks := map[string]string{"database": "ok"}
	if err := a.ready(ctx); err != nil {
		a.Log.Warn("not ready", "err", err)
		checks["database"] = "down"
		c.Response().Header().Set("Retry-After", "5")
		return c.JSON(http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "demo_mode": a.Cfg.DemoMode, "checks": checks,
			"error": map[string]string{"code": "not_ready", "message": "数据库不可用或结构版本不符", "field": ""}})
	}
	body := map[string]any{"status": "ok", "demo_mode": a.Cfg.DemoMode, "checks": checks}
	if configured, down := a.redisState(ctx); configured {
		checks["redis"] = "ok"
		if down {
			checks["redis"] = "down"
			body["status"] = "degraded"
			body["degraded"] = []string{"redis"}
			body["message"] = "Redis 不可用：限流、消息去重等已改用数据库"
		}
	}
	if a.Blobs != nil {
		// Uploads and downloads need the blob store, everything else does not:
		// a store that does not answer degrades the replica, it stays in the
		// load balancer.
		body["blob_store"] = a.Blobs.Kind()
		checks["blob_store"] = "ok"
		pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		err := a.Blobs.Ping(pctx)
		cancel()
		if err != nil {
			a.Log.Warn("blob store not ready", "kind", a.Blobs.Kind(), "err", err)
			checks["blob_store"] = "down"
			body["status"] = "degraded"
			deg, _ := body["degraded"].([]string)
			body["degraded"] = append(deg, "blob_store")
			msg, _ := body["message"].(string)
			if msg != "" {
				msg += "；"
			}
			body["message"] = msg + "附件存储不可用：上传和下载附件暂时失败"
		}
	}
	return c.JSON(http.StatusOK, body)
}

// withMiddleware registers routes on a group with route-level middleware. (An Echo
// group with its own middleware also catches unknown paths under its prefix, which
// would answer 401 where 404 is right.)
type withMiddleware struct {
	g       *echo.Group
	mw      []echo.MiddlewareFunc
	uploads uploadRoutes
}

// Upload registers a POST route that takes a file: the JSON body limit skips
// it, and its handler applies the upload's own limit (SKILLCERT_MAX_UPLOAD_MB,
// feedback photos' 5 MB).
func (w withMiddleware) Upload(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	r := w.g.POST(path, h, w.with(m)...)
	w.uploads.add(r)
}

// uploadRoutes is the set of routes (method and path pattern) registered as
// uploads; the JSON body limit's skipper reads it. It is filled while the
// routes are registered, before the server answers anything.
type uploadRoutes map[string]bool

func (u uploadRoutes) add(r *echo.Route) { u[r.Method+" "+r.Path] = true }

// skip tells the JSON body limit to leave an upload route to its own limit.
func (u uploadRoutes) skip(c echo.Context) bool { return u[c.Request().Method+" "+c.Path()] }

func (w withMiddleware) with(m []echo.MiddlewareFunc) []echo.MiddlewareFunc {
	return append(append([]echo.MiddlewareFunc(nil), w.mw...), m...)
}

// GET registers a GET route behind the group's middleware.
func (w withMiddleware) GET(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	w.g.GET(path, h, w.with(m)...)
}

// POST registers a POST route behind the group's middleware.
func (w withMiddleware) POST(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	w.g.POST(path, h, w.with(m)...)
}

// PUT registers a PUT route behind the group's middleware.
func (w withMiddleware) PUT(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	w.g.PUT(path, h, w.with(m)...)
}

// PATCH registers a PATCH route behind the group's middleware.
func (w withMiddleware) PATCH(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	w.g.PATCH(path, h, w.with(m)...)
}

// DELETE registers a DELETE route behind the group's middleware.
func (w withMiddleware) DELETE(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	w.g.DELETE(path, h, w.with(m)...)
}

// UploadRoutes lists the routes registered as uploads ("POST /path"), sorted.
func (a *App) UploadRoutes() []string {
	out := make([]string, 0, len(a.uploads))
	for r := range a.uploads {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}
