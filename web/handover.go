package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"skillcert/core"
	"skillcert/domain"
)

// Hand-over from the official account's chat (issue 23): the chat answers a
// step it cannot do in a message with a link to /web/h/<token> (core's signed,
// short-lived hand-over token). The page opens the step's own page — the path
// comes from the step, never from the link — signing the follower in first
// (inside WeChat silently, through web authorization), and while the
// hand-over cookie lives every page offers "返回公众号继续": the chat reads what
// was done here from core when the follower writes again.

// handoverCookie marks a browser that came from the chat (its value is the step).
const handoverCookie = "skillcert_web_oa"

// handoverCookieAge is how long pages offer the way back to the chat.
const handoverCookieAge = 3600

// handoverPath is the page of a step.
func handoverPath(h *core.Handover) string {
	id := strconv.FormatInt(h.RegistrationID, 10)
	switch h.Step {
	case core.HandoverIdentity:
		return "/web/me"
	case core.HandoverAttachments:
		return "/web/registrations/" + id + "/form"
	case core.HandoverRecord:
		return "/web/registrations/" + id
	case core.HandoverTicket:
		return "/web/registrations/" + id + "/ticket"
	case core.HandoverCertificates:
		return "/web/certificates"
	}
	return "/web/registrations"
}

// Handover is GET /web/h/:token: a link from the chat. A bad token is refused;
// an old one goes home with a notice. Signed in as the link's candidate, the
// browser goes straight to the step; otherwise it signs in first (a session of
// someone else in this browser is dropped, not ended: it may be used elsewhere).
func (h *Handlers) Handover(c echo.Context) error {
	ho, err := h.core.OpenHandover(c.Param("token"))
	if err != nil {
		if de, ok := domain.AsError(err); ok && de.Code == "handover_expired" {
			return c.Redirect(http.StatusSeeOther, "/web/?ok=link_expired")
		}
		return err
	}
	c.SetCookie(h.cookie(handoverCookie, string(ho.Step), handoverCookieAge))
	to := handoverPath(ho)
	if cand := candidateOf(c); cand == ho.CandidateID {
		return c.Redirect(http.StatusSeeOther, to)
	} else if cand != 0 {
		c.SetCookie(h.cookie(sessionCookie, "", -1))
	}
	return c.Redirect(http.StatusSeeOther, "/web/login?next="+url.QueryEscape(to))
}

// fromChat tells whether the browser came from the chat by a hand-over link.
func fromChat(c echo.Context) bool {
	ck, err := c.Cookie(handoverCookie)
	return err == nil && ck.Value != ""
}

// TicketPage is GET /web/registrations/:id/ticket: the admission ticket (准考证)
// with its check-in QR code, core's Ticket, the same view as the mini-program.
func (h *Handlers) TicketPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := h.core.GetTicket(c.Request().Context(), candidateOf(c), id)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "ticket", view{Title: "准考证", Nav: "records",
		Back: "/web/registrations/" + strconv.FormatInt(id, 10), D: v})
}

// Back is GET /web/back, the "返回公众号继续" link without WeChat's bridge: it
// says to go back to the chat, and pages stop offering the way back.
func (h *Handlers) Back(c echo.Context) error {
	c.SetCookie(h.cookie(handoverCookie, "", -1))
	return h.render(c, http.StatusOK, "back", view{Title: "返回公众号继续"})
}
