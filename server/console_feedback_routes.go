package server

import (
	"github.com/labstack/echo/v4"

	"skillcert/domain"
	"skillcert/handlers/console"
)

// feedbackConsoleRoutes mounts the console pages of supervision feedback and
// training intentions (issue 9) on the console group g.
//
// Feedback: the supervisor of a plan's 业务监管地 reads, sets the status of and
// replies to the feedback on it; admins read every region's (and see anonymous
// senders) but do not act. Institutions have no feedback pages at all, and core
// answers 404 for another region's feedback.
//
// Training intentions: an institution sees the counts of its own city and the
// contacts who agreed to be contacted (export audited); admins see the counts of
// any city and set each institution's city.
func feedbackConsoleRoutes(g *echo.Group, ch *console.Handlers) {
	sup := ch.Require(domain.RoleSupervisor)
	supAdmin := ch.Require(domain.RoleSupervisor, domain.RoleAdmin)
	inst := ch.Require(domain.RoleInstitution)
	instAdmin := ch.Require(domain.RoleInstitution, domain.RoleAdmin)
	admin := ch.Require(domain.RoleAdmin)

	g.GET("/feedback", ch.Feedback, supAdmin)
	g.GET("/feedback/export.xlsx", ch.FeedbackExport, supAdmin) // audited; no identity of anonymous senders
	g.GET("/feedback/:fid", ch.FeedbackDetail, supAdmin)
	g.GET("/feedback/:fid/images/:iid", ch.FeedbackImage, supAdmin)
	g.POST("/feedback/:fid/reply", ch.FeedbackReply, sup) // notifies the candidate (outbox)
	g.POST("/feedback/:fid/status", ch.FeedbackStatus, sup)

	g.GET("/training", ch.Training, instAdmin)
	g.GET("/training/contacts.xlsx", ch.TrainingExport, inst) // full phones of consenting candidates; audited
	g.GET("/institution-cities", ch.InstitutionCities, admin)
	g.POST("/institution-cities/:iid", ch.SetInstitutionCity, admin)
}
