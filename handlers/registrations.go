package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

// codeBody is the body of the code routes.
type codeBody struct {
	Code string `json:"code"`
}

func (h *Handlers) codeRequest(c echo.Context) (core.CodeRequest, error) {
	var b codeBody
	if err := BindJSON(c, &b); err != nil {
		return core.CodeRequest{}, err
	}
	return core.CodeRequest{CandidateID: CandidateID(c), Code: b.Code, IP: c.RealIP()}, nil
}

// LookupCode is POST /api/v1/registration-codes/lookup: 评价计划确认 of a code.
func (h *Handlers) LookupCode(c echo.Context) error {
	req, err := h.codeRequest(c)
	if err != nil {
		return err
	}
	out, err := h.Core.LookupCode(c.Request().Context(), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// CreateRegistration is POST /api/v1/registrations: the draft of a code's plan
// (201), or the candidate's registration on it when there is one (200).
func (h *Handlers) CreateRegistration(c echo.Context) error {
	req, err := h.codeRequest(c)
	if err != nil {
		return err
	}
	v, created, err := h.Core.CreateDraft(c.Request().Context(), req)
	if err != nil {
		return err
	}
	if created {
		return c.JSON(http.StatusCreated, v)
	}
	return c.JSON(http.StatusOK, v)
}

// ListRegistrations is GET /api/v1/registrations: 报名记录, newest first.
func (h *Handlers) ListRegistrations(c echo.Context) error {
	var fe []domain.FieldError
	q := core.ListQuery{Page: queryInt(c, "page", "页码", &fe), PageSize: queryInt(c, "page_size", "每页条数", &fe)}
	if err := domain.InvalidFields(fe); err != nil {
		return err
	}
	page, err := h.Core.ListRegistrations(c.Request().Context(), CandidateID(c), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// GetRegistration is GET /api/v1/registrations/{id}.
func (h *Handlers) GetRegistration(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	v, err := h.Core.GetRegistration(c.Request().Context(), CandidateID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// SaveRegistration is PUT /api/v1/registrations/{id}: saves any subset of the
// form. With bad fields the answer is 400 listing them, plus "registration": the
// state after the valid fields were saved.
func (h *Handlers) SaveRegistration(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	patch, typeErrs, err := decodeFormPatch(c)
	if err != nil {
		return err
	}
	v, err := h.Core.SaveForm(c.Request().Context(), core.SaveFormRequest{
		CandidateID: CandidateID(c), RegistrationID: id, Patch: patch})
	if v == nil {
		return err
	}
	fe := typeErrs
	if de, ok := domain.AsError(err); ok && de.Kind == domain.KindInvalid {
		fe = append(fe, de.Fields...)
	}
	if len(fe) > 0 {
		domain.SortFormErrors(fe)
		return WithExtra(domain.InvalidFields(fe), map[string]any{"registration": v})
	}
	return c.JSON(http.StatusOK, v)
}

// GetChecklist is GET /api/v1/registrations/{id}/checklist.
func (h *Handlers) GetChecklist(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	out, err := h.Core.GetChecklist(c.Request().Context(), CandidateID(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// SubmitRegistration is POST /api/v1/registrations/{id}/submit.
func (h *Handlers) SubmitRegistration(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	v, err := h.Core.SubmitRegistration(c.Request().Context(), core.SubmitRequest{CandidateID: CandidateID(c), RegistrationID: id})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// CancelRegistration is POST /api/v1/registrations/{id}/cancel (撤销).
func (h *Handlers) CancelRegistration(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	v, err := h.Core.CancelRegistration(c.Request().Context(), core.CancelRequest{CandidateID: CandidateID(c), RegistrationID: id})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}
