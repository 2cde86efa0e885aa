package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

// SearchPlans is GET /api/v1/plans: the 评价计划查询 list.
func (h *Handlers) SearchPlans(c echo.Context) error {
	var fe []domain.FieldError
	q := core.PlanQuery{
		Level:      queryInt(c, "level", "级别", &fe),
		Occupation: c.QueryParam("occupation"),
		City:       c.QueryParam("city"),
		Status:     c.QueryParam("status"),
		Sort:       c.QueryParam("sort"),
		Page:       queryInt(c, "page", "页码", &fe),
		PageSize:   queryInt(c, "page_size", "每页条数", &fe),
	}
	if err := domain.InvalidFields(fe); err != nil {
		return err
	}
	page, err := h.Core.SearchPlans(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return writePlanPage(c, page)
}

// writePlanPage answers a page of plans with the bytes c.JSON would write
// (TestPlanPageAsEncodingJSON keeps the two equal), but joins each plan's own
// JSON (written by the read model's PlanView.MarshalJSON) without
// encoding/json, which checks and compacts every json.Marshaler's output
// again: that check was a fifth of the server's CPU in the plans bench (issue
// 19). MarshalJSON escapes as encoding/json does (<, >, &, U+2028;
// planindex.TestPlanViewJSON), so the bytes are c.JSON's.
func writePlanPage(c echo.Context, p core.Page[core.PlanView]) error {
	if _, pretty := c.QueryParams()["pretty"]; pretty || c.Echo().Debug {
		return c.JSON(http.StatusOK, p) // indented: for people, not for speed
	}
	b := make([]byte, 0, 64+len(p.Items)*768)
	if p.Items == nil {
		b = append(b, `{"items":null`...)
	} else {
		b = append(b, `{"items":[`...)
		for i := range p.Items {
			if i > 0 {
				b = append(b, ',')
			}
			j, err := p.Items[i].MarshalJSON()
			if err != nil {
				return err
			}
			b = append(b, j...)
		}
		b = append(b, ']')
	}
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, int64(p.Total), 10)
	b = append(b, `,"page":`...)
	b = strconv.AppendInt(b, int64(p.Page), 10)
	b = append(b, `,"page_size":`...)
	b = strconv.AppendInt(b, int64(p.PageSize), 10)
	b = append(b, "}\n"...)
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, b)
}

// GetPlan is GET /api/v1/plans/{id}.
func (h *Handlers) GetPlan(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.Core.GetPlan(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// Meta is GET /api/v1/meta: every option list the pickers need.
func (h *Handlers) Meta(c echo.Context) error {
	pm := h.Core.PlanMeta()
	o := h.Options
	return c.JSON(http.StatusOK, map[string]any{
		"levels":      pm.Levels,
		"cities":      pm.Cities,
		"occupations": pm.Occupations,
		"sorts":       pm.Sorts,
		"statuses":    pm.Statuses,
		"id_types":    domain.IDTypes(),
		// Issue 25: the types whose number carries 性别/出生日期 (locked in the
		// form; the others ask for both), and the form's required marks per
		// basis ("" = no basis chosen yet), from the rule the submit applies.
		"id_types_deriving_identity": domain.IDTypesDerivingIdentity(),
		"required_fields":            requiredFieldsByBasis(o.Bases),
		"min_age":                    domain.MinAge,
		"education":                  o.Education,
		"candidate_sources":          o.CandidateSources,
		"labor_relations":            o.LaborRelations,
		"bases":                      o.Bases,
		// The 报考依据 rules (levels, the fields each fills and locks, hints, the
		// attachments asked for) from domain, so the mini-program keeps no copy.
		"basis_rules":         domain.BasisRules(),
		"feedback_categories": o.FeedbackCategories,
		"subscribe_templates": h.Core.SubscribeTemplates(),
		// Supervision feedback and training intentions (issue 9).
		"contact_prefs":        domain.ContactPrefOptions(),
		"feedback_statuses":    domain.FeedbackStatusOptions(),
		"training_occupations": o.Occupations,
		"training_cities":      o.Cities,
	})
}

// requiredFieldsByBasis maps each basis the form offers (and "") to the fields
// the candidate must fill in.
func requiredFieldsByBasis(bases []domain.Option) map[string][]string {
	out := map[string][]string{"": domain.RequiredFormFields("")}
	for _, b := range bases {
		out[b.Code] = domain.RequiredFormFields(b.Code)
	}
	return out
}
