package server

import (
	"github.com/labstack/echo/v4"

	"skillcert/domain"
	"skillcert/handlers/console"
)

// accountConsoleRoutes mounts the pickers' admin pages and the staff password
// pages (issue 15) on the console group g. Every signed-in account changes its
// own password (and must, after an admin reset it); admins reset passwords,
// set a plan's 业务监管地 and extend the occupation list.
func accountConsoleRoutes(g *echo.Group, ch *console.Handlers) {
	staff := ch.Require(domain.RoleInstitution, domain.RoleSupervisor, domain.RoleAdmin)
	admin := ch.Require(domain.RoleAdmin)

	g.GET("/password", ch.PasswordPage, staff)
	g.POST("/password", ch.ChangePassword, staff)

	g.POST("/plans/:id/region", ch.SetPlanRegion, admin)
	g.GET("/occupations", ch.Occupations, admin)
	g.POST("/occupations", ch.AddOccupation, admin)
	g.POST("/users/:uid/reset-password", ch.ResetPassword, admin)
}
