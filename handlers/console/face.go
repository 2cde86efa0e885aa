package console

import (
	"fmt"

	"github.com/labstack/echo/v4"
)

func init() {
	flashes["verify_on"] = struct{ text, kind string }{"已设置：本计划的考生须完成实名核验（人脸核验）后方可提交报名。", ""}
	flashes["verify_off"] = struct{ text, kind string }{"已取消本计划的实名核验要求。", ""}
}

// PlanRequireVerified is POST /console/plans/:id/require-verified {on=1|0}:
// whether the plan takes submissions only from identities verified by face.
func (h *Handlers) PlanRequireVerified(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	on := c.FormValue("on") == "1"
	if err := h.core.SetPlanRequireVerified(c.Request().Context(), mustStaff(c), id, on); err != nil {
		return err
	}
	flash := "verify_off"
	if on {
		flash = "verify_on"
	}
	return redirectOK(c, fmt.Sprintf("/console/plans/%d", id), flash)
}
