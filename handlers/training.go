package handlers

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

// intentionBody is the body of POST /api/v1/training-intentions. level may be a
// number or a string: its code ("2", as the pickers send it) or its name.
type intentionBody struct {
	Occupation     string          `json:"occupation"`
	Level          json.RawMessage `json:"level"`
	City           string          `json:"city"`
	PreferredTime  string          `json:"preferred_time"`
	Phone          string          `json:"phone"`
	Note           string          `json:"note"`
	ContactConsent bool            `json:"contact_consent"`
}

// levelOf reads a level given as a number or a string; 0 when absent, -1 when
// unreadable (core then reports the field).
func levelOf(raw json.RawMessage) int {
	if len(raw) == 0 || string(raw) == "null" {
		return 0
	}
	var n int
	if json.Unmarshal(raw, &n) == nil {
		return n
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if l, err := domain.ParseLevel(s); err == nil {
			return int(l)
		}
	}
	return -1
}

// CreateIntention is POST /api/v1/training-intentions: 培训意向登记 → 201 Intention.
func (h *Handlers) CreateIntention(c echo.Context) error {
	var b intentionBody
	if err := BindJSON(c, &b); err != nil {
		return err
	}
	v, err := h.Core.SubmitIntention(c.Request().Context(), core.IntentionInput{CandidateID: CandidateID(c),
		Occupation: b.Occupation, Level: levelOf(b.Level), City: b.City, PreferredTime: b.PreferredTime, Phone: b.Phone,
		Note: b.Note, ContactConsent: b.ContactConsent})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, v)
}

// ListIntentions is GET /api/v1/training-intentions: the candidate's own, newest first.
func (h *Handlers) ListIntentions(c echo.Context) error {
	items, err := h.Core.ListIntentions(c.Request().Context(), CandidateID(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, core.Page[core.IntentionView]{Items: items, Total: len(items), Page: 1,
		PageSize: domain.MaxTrainingIntention})
}

// DeleteIntention is DELETE /api/v1/training-intentions/{id}: withdraws it → 204.
func (h *Handlers) DeleteIntention(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.Core.WithdrawIntention(c.Request().Context(), CandidateID(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// SetIntentionConsent is PATCH /api/v1/training-intentions/{id} {"contact_consent": bool}:
// give or withdraw the consent to be contacted by the city's institutions.
func (h *Handlers) SetIntentionConsent(c echo.Context) error {
	id, err := PathID(c, "id")
	if err != nil {
		return err
	}
	var req core.IntentionConsentInput
	if err := BindJSON(c, &req); err != nil {
		return err
	}
	v, err := h.Core.SetIntentionConsent(c.Request().Context(), CandidateID(c), id, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}
