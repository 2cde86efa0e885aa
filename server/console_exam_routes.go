package server

import (
	"github.com/labstack/echo/v4"

	"skillcert/domain"
	"skillcert/handlers/console"
)

// examConsoleRoutes mounts the console pages of exam arrangements, admission
// tickets and check-in (issue 18) on the console group g.
//
// Anyone who may see the plan reads its sessions, arrangement and session
// rosters; only the plan's own institution adds sessions, arranges seats,
// publishes tickets and checks candidates in (another institution gets 404 for
// the plan, a supervisor 403).
func examConsoleRoutes(g *echo.Group, ch *console.Handlers) {
	inst := ch.Require(domain.RoleInstitution)
	staff := ch.Require(domain.RoleInstitution, domain.RoleSupervisor, domain.RoleAdmin)

	g.GET("/plans/:id/exam", ch.Exam, staff)
	g.GET("/plans/:id/exam/sessions/:sid", ch.ExamSessionRoster, staff) // arrivals; absent after the session
	g.POST("/plans/:id/exam/sessions", ch.AddExamSession, inst)
	g.POST("/plans/:id/exam/sessions/:sid/delete", ch.DeleteExamSession, inst) // only a session nobody sits in
	g.POST("/plans/:id/exam/arrange", ch.AutoArrange, inst)                    // order=registration|id_number
	g.POST("/plans/:id/exam/import", ch.ImportArrangement, inst)               // xlsx/csv, all-or-nothing
	g.GET("/plans/:id/exam/move/:rid", ch.MoveForm, inst)
	g.POST("/plans/:id/exam/move/:rid", ch.MoveCandidate, inst)
	g.POST("/plans/:id/exam/publish", ch.PublishTickets, inst) // audited; every approved candidate seated
	g.GET("/plans/:id/checkin", ch.CheckInPage, inst)
	g.POST("/plans/:id/checkin", ch.CheckIn, inst) // a QR token or a ticket number; once per session
}
