package server

import (
	"github.com/labstack/echo/v4"

	"skillcert/domain"
	"skillcert/handlers/console"
)

// reviewConsoleRoutes mounts the tools for reviewing many registrations (issue 15
// point 9) on the console group g: the institution's 待审核 inbox across its plans
// a plan's attachments as one zip, the results template and the codes as xlsx.
func reviewConsoleRoutes(g *echo.Group, ch *console.Handlers) {
	inst := ch.Require(domain.RoleInstitution)
	g.GET("/inbox", ch.Inbox, inst)
	g.GET("/plans/:id/attachments.zip", ch.AttachmentsZip, inst) // audited
	g.GET("/plans/:id/results/template.xlsx", ch.ResultsTemplate, inst)
	g.GET("/plans/:id/codes.xlsx", ch.CodesXLSX, inst) // audited
}
