package console

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

type trainingData struct {
	O           *core.TrainingOverview
	Admin       bool
	Cities      []domain.Option // admins: the city filter
	Contacts    []core.TrainingContactView
	Pager       *pager
	Occupation  string
	Level       int
	Occupations []string // the occupations with intentions, for the filter
	ExportURL   string
}

func contactQuery(c echo.Context) core.ContactQuery {
	level, _ := strconv.Atoi(c.QueryParam("level"))
	return core.ContactQuery{Occupation: c.QueryParam("occupation"), Level: level, Page: pageParam(c), PageSize: 30}
}

// Training is GET /console/training: anonymised counts of training intentions
// by occupation and level — an institution's own city, or any city for admins —
// and, for an institution, the candidates of its city who agreed to be contacted.
func (h *Handlers) Training(c echo.Context) error {
	st := mustStaff(c)
	ctx := c.Request().Context()
	o, err := h.core.GetTrainingOverview(ctx, st, c.QueryParam("city"))
	if err != nil {
		return err
	}
	d := trainingData{O: o, Admin: st.Is(domain.RoleAdmin), Cities: h.core.Options().Cities}
	if !d.Admin && !o.NoCity {
		q := contactQuery(c)
		page, err := h.core.ListTrainingContacts(ctx, st, q)
		if err != nil {
			return err
		}
		d.Contacts, d.Occupation, d.Level = page.Items, q.Occupation, q.Level
		d.Pager = pagerFor(c, page.Total, page.Page, page.PageSize)
		d.Occupations = occupationsOf(o.Counts)
		export := url.Values{}
		if q.Occupation != "" {
			export.Set("occupation", q.Occupation)
		}
		if q.Level != 0 {
			export.Set("level", strconv.Itoa(q.Level))
		}
		d.ExportURL = "/console/training/contacts.xlsx"
		if len(export) > 0 {
			d.ExportURL += "?" + export.Encode()
		}
	}
	return h.render(c, http.StatusOK, "training", view{Title: "培训意向", Nav: "training", D: d})
}

// occupationsOf lists the distinct occupations of counts, in their order.
func occupationsOf(counts []core.TrainingCountView) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range counts {
		if !seen[n.Occupation] {
			seen[n.Occupation] = true
			out = append(out, n.Occupation)
		}
	}
	return out
}

// TrainingExport is GET /console/training/contacts.xlsx: the institution's
// contact list with full phones; audited.
func (h *Handlers) TrainingExport(c echo.Context) error {
	x, err := h.core.ExportTrainingContacts(c.Request().Context(), mustStaff(c), contactQuery(c))
	if err != nil {
		return err
	}
	return sendStream(c, x)
}

type institutionCitiesData struct {
	Items  []core.InstitutionCity
	Pager  *pager
	Cities []domain.Option
}

// InstitutionCities is GET /console/institution-cities (admins): each
// institution's city, which decides whose training intentions it sees.
func (h *Handlers) InstitutionCities(c echo.Context) error {
	page, err := h.core.ListInstitutionCities(c.Request().Context(), mustStaff(c), pageParam(c))
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "institution_cities", view{Title: "评价机构所在城市", Nav: "training",
		D: institutionCitiesData{Items: page.Items, Pager: pagerFor(c, page.Total, page.Page, page.PageSize),
			Cities: h.core.Options().Cities}})
}

// SetInstitutionCity is POST /console/institution-cities/:iid (admins).
func (h *Handlers) SetInstitutionCity(c echo.Context) error {
	id, err := pathID(c, "iid")
	if err != nil {
		return err
	}
	if err := h.core.SetInstitutionCity(c.Request().Context(), mustStaff(c), id, c.FormValue("city")); err != nil {
		return err
	}
	return redirectOK(c, "/console/institution-cities", "city")
}
