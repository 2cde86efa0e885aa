package server

import (
	"context"
	"fmt"
	"net"

	"github.com/labstack/echo/v4"

	"skillcert/web"
)

// WebConfig is the candidate web pages' settings.
type WebConfig struct {
	CookieSecure bool // SKILLCERT_WEB_SECURE_COOKIE: Secure cookies (true; false only for plain-HTTP development)
}

func loadWebConfig(r *envReader) WebConfig {
	return WebConfig{CookieSecure: r.boolean("SKILLCERT_WEB_SECURE_COOKIE", true)}
}

// webRoutes mounts the candidate web pages at /web/ (issue 16): public pages
// (home, plan search, sign-in) and the candidate's own, behind wh.Require (a
// signed-in candidate, else the sign-in page). Every POST carries a CSRF token
// and must be same-origin (wh.CSRF). Handlers call core like the API's do;
// core applies the same rules and limits (sign-ins per IP, code guesses,
// feedback per day).
func (a *App) webRoutes(e *echo.Echo) {
	if a.webDemoScan == nil && a.DemoMode != nil {
		// Demo mode: the sign-in page's one click is the stand-in's scan, as
		// the user "demo" (the same person as the mini-program's dev-demo).
		a.webDemoScan = func(ctx context.Context, scene string) error {
			_, err := a.DemoMode.WeChat.ScanQR(ctx, scene, "demo")
			return err
		}
	}
	wh, err := web.New(a.Core, a.Log, web.Options{
		CookieSecure: a.Cfg.Web.CookieSecure,
		BaseURL:      a.Cfg.BaseURL,
		DemoScan:     a.webDemoScan,
	})
	if err != nil {
		// The templates are embedded and parsed by the tests: a failure is a build bug.
		panic(fmt.Sprintf("web templates: %v", err))
	}
	me := wh.Require

	e.GET("/web/static/*", wh.Static()) // public: WeUI, our CSS and script
	e.GET("/web", func(c echo.Context) error { return c.Redirect(301, "/web/") })

	g := e.Group("/web", wh.Errors, wh.Session, wh.CSRF)

	// Public.
	g.GET("/", wh.Home)
	g.GET("/plans", wh.Plans) // 评价计划查询: the API's read model
	g.GET("/login", wh.LoginPage)
	g.GET("/login/status", wh.LoginStatus) // polled by the sign-in page
	g.POST("/login/demo", wh.LoginDemo)    // demo mode only (404 otherwise)
	g.GET("/oauth/callback", wh.OAuthCallback)
	g.GET("/h/:token", wh.Handover) // a hand-over link from the chat (issue 23): signed, short-lived, a step not a URL
	g.GET("/back", wh.Back)

	// Candidate.
	g.POST("/logout", wh.Logout, me)
	g.GET("/register", wh.RegisterPage, me)
	g.POST("/register/confirm", wh.ConfirmPlan, me) // code guesses limited (SKILLCERT_CODE_GUESS_LIMIT)
	g.POST("/register/start", wh.StartRegistration, me)
	g.GET("/registrations", wh.Records, me)
	g.GET("/registrations/:id", wh.Record, me)
	g.GET("/registrations/:id/form", wh.FormPage, me)
	g.GET("/registrations/:id/ticket", wh.TicketPage, me) // 准考证 with its check-in QR code
	g.POST("/registrations/:id/form", wh.SaveForm, me)
	g.POST("/registrations/:id/cancel", wh.Cancel, me)
	a.uploads.add(g.POST("/registrations/:id/attachments", wh.Upload, me)) // multipart; SKILLCERT_MAX_UPLOAD_MB
	g.GET("/registrations/:id/attachments/:aid", wh.ViewAttachment, me)
	g.POST("/registrations/:id/attachments/:aid/delete", wh.DeleteAttachment, me)
	g.GET("/certificates", wh.Certificates, me)
	g.GET("/feedback", wh.FeedbackPage, me)
	a.uploads.add(g.POST("/feedback", wh.SendFeedback, me)) // multipart with photos; 5 a day
	g.GET("/training", wh.TrainingPage, me)
	g.POST("/training", wh.SendIntention, me)
	g.POST("/training/:id/delete", wh.WithdrawIntention, me)
	g.GET("/me", wh.MePage, me)
	g.POST("/me/identity", wh.BindIdentity, me)
	g.GET("/me/export", wh.ExportData, me)     // 导出我的数据: the API's export (same limit, audited)
	g.GET("/me/delete", wh.DeletePage, me)     // 注销账号: what is deleted and kept
	g.POST("/me/delete", wh.DeleteAccount, me) // confirm=1; the API's deletion rules
}

// demoScanCallback points demo mode's stand-in at this server's official-account
// callback (loopback, signed and encrypted like WeChat's), so its scans reach it.
func (a *App) demoScanCallback(addr net.Addr) {
	if a.DemoMode == nil {
		return
	}
	_, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return
	}
	a.DemoMode.WeChat.SetCallback("http://127.0.0.1:"+port+"/wechat/callback", a.Cfg.WeChat.OAToken, a.Cfg.WeChat.OAAESKey)
}
