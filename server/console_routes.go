package server

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/handlers/console"
)

// consoleRoutes mounts the web console at /console: every page and the roles that
// may open it. Institution: one institution's staff (acts on its own plans only).
// Supervisor: read-only over the plans of their region. Admin: institutions,
// accounts and the audit log, read-only over plans. Core checks each plan, code,
// registration and attachment against the staff member again (404 when not theirs).
// Every POST carries a CSRF token (ch.CSRF).
func (a *App) consoleRoutes(e *echo.Echo) {
	ch, err := console.New(a.Core, a.Log, console.Settings{
		Login: core.LoginPolicy{MaxFailures: a.Cfg.Console.MaxFailures, Lockout: a.Cfg.Console.Lockout,
			MaxLockout: a.Cfg.Console.MaxLockout, AccountCeiling: a.Cfg.Console.Ceiling,
			SessionTTL: a.Cfg.Console.SessionTTL, RatePerIP: a.Cfg.LoginRate},
		CookieSecure: a.Cfg.Console.CookieSecure,
	})
	if err != nil {
		// The templates are embedded and parsed by the tests: a failure is a build bug.
		panic(fmt.Sprintf("console templates: %v", err))
	}
	inst := ch.Require(domain.RoleInstitution)
	admin := ch.Require(domain.RoleAdmin)
	staff := ch.Require(domain.RoleInstitution, domain.RoleSupervisor, domain.RoleAdmin)

	e.GET("/console/static/*", ch.Static()) // public: CSS and JavaScript

	g := e.Group("/console", ch.Pages, ch.Session, ch.CSRF, ch.PasswordGate)

	// Public.
	g.GET("", ch.Home)
	g.GET("/", ch.Home)
	g.GET("/login", ch.LoginPage)
	g.POST("/login", ch.Login)

	// Any signed-in staff member (core limits each to the plans they may see).
	g.POST("/logout", ch.Logout, staff)
	g.GET("/plans", ch.Plans, staff)
	g.GET("/plans/:id", ch.Plan, staff)
	g.GET("/plans/:id/registrations", ch.Registrations, staff)
	g.GET("/plans/:id/registrations/:rid", ch.Registration, staff)
	g.GET("/plans/:id/roster.xlsx", ch.Roster, staff) // full ID numbers for the own institution only
	g.GET("/plans/:id/results", ch.Results, staff)

	// Institution: its own plans, codes, reviews and attachments.
	g.GET("/plans/new", ch.NewPlan, inst)
	g.POST("/plans", ch.CreatePlan, inst)
	g.GET("/plans/:id/edit", ch.EditPlan, inst)
	g.POST("/plans/:id", ch.UpdatePlan, inst)
	g.POST("/plans/:id/publish", ch.PublishPlan, inst)
	g.POST("/plans/:id/close", ch.ClosePlan, inst)
	g.POST("/plans/:id/require-verified", ch.PlanRequireVerified, inst) // 实名核验后方可提交
	g.POST("/plans/:id/reopen", ch.ReopenPlan, admin)                   // audited
	g.GET("/plans/:id/codes", ch.Codes, inst)
	g.POST("/plans/:id/codes", ch.GenerateCodes, inst)
	g.POST("/plans/:id/codes/:cid/revoke", ch.RevokeCode, inst)
	g.POST("/plans/:id/registrations/:rid/review", ch.Review, inst)
	g.POST("/plans/:id/registrations/bulk-review", ch.BulkReview, inst)
	g.GET("/plans/:id/registrations/bulk/:jid", ch.BulkReviewJob, inst)
	g.GET("/plans/:id/registrations/:rid/attachments/:aid", ch.Attachment, inst)
	g.POST("/plans/:id/results", ch.UploadResults, inst)
	g.GET("/plans/:id/results/imports/:jid", ch.ResultsImportJob, inst)
	g.GET("/plans/:id/results/:rid", ch.ResultForm, inst)
	g.POST("/plans/:id/results/:rid", ch.SaveResult, inst)

	// Supervision feedback and training intentions (issue 9).
	feedbackConsoleRoutes(g, ch)

	// Pickers and staff passwords (issue 15).
	accountConsoleRoutes(g, ch)
	// Exam arrangements, admission tickets and check-in (issue 18).
	examConsoleRoutes(g, ch)
	// Reviewing many registrations: inbox, attachments zip (issue 15 point 9).
	reviewConsoleRoutes(g, ch)

	// Admin.
	g.GET("/audit", ch.Audit, admin)
	g.GET("/audit/export.xlsx", ch.AuditExport, admin)  // streamed; ?from=&to= (dates); audited
	g.GET("/audit/export.jsonl", ch.AuditExport, admin) // the same as JSON Lines
	g.GET("/notifications", ch.Notifications, admin)
	g.POST("/notifications/:nid/requeue", ch.RequeueNotification, admin)
	g.GET("/users", ch.Users, admin)
	g.POST("/users", ch.CreateUser, admin)
	g.POST("/users/:uid/disable", ch.DisableUser, admin)
	g.POST("/users/:uid/enable", ch.EnableUser, admin)
	g.POST("/users/:uid/unlock", ch.UnlockUser, admin) // lifts every sign-in lock of the account (audited)
	g.GET("/institutions", ch.Institutions, admin)
	g.POST("/institutions", ch.CreateInstitution, admin)
}
