package core

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"skillcert/domain"
	"skillcert/repo"
)

// PhotoItemKey is the checklist item of a candidate's photo; a ticket shows the
// uploaded photo when the registration has one, else a placeholder.
const PhotoItemKey = "photo"

// TicketSession is one sitting on a ticket.
type TicketSession struct {
	SessionID   int64  `json:"session_id"`
	Subject     string `json:"subject"`
	SubjectName string `json:"subject_name"`
	Date        string `json:"date"`
	Start       string `json:"start_time"`
	End         string `json:"end_time"`
	Venue       string `json:"venue"`
	Room        string `json:"room"`
	SeatNo      int    `json:"seat_no"`
}

// TicketPlan is the plan part of a ticket.
type TicketPlan struct {
	ID              int64  `json:"id"`
	PlanNo          string `json:"plan_no"`
	PlanName        string `json:"plan_name"`
	OccupationName  string `json:"occupation_name"`
	WorkType        string `json:"work_type"`
	Level           int    `json:"level"`
	LevelName       string `json:"level_name"`
	InstitutionName string `json:"institution_name"`
	ContactPhone    string `json:"contact_phone"`
}

// TicketView is an admission ticket (准考证) as every door shows it: the API,
// the mini-program, the chat and the web edition. It holds no full ID number;
// the QR code carries only a signed token over the ticket number.
type TicketView struct {
	RegistrationID int64           `json:"registration_id"`
	TicketNo       string          `json:"ticket_no"`
	Name           string          `json:"name"`
	IDType         string          `json:"id_type"`
	IDTypeName     string          `json:"id_type_name"`
	IDNumber       string          `json:"id_number"` // masked
	PhotoURL       string          `json:"photo_url"` // "" when the registration has no photo: show a placeholder
	Plan           TicketPlan      `json:"plan"`
	Sessions       []TicketSession `json:"sessions"`
	Rules          []string        `json:"rules"`
	QRToken        string          `json:"qr_token"`
	QRPNG          string          `json:"qr_png"` // data:image/png;base64,… of QRToken
	TokenExpiresAt time.Time       `json:"token_expires_at"`
	PublishedAt    *time.Time      `json:"published_at,omitempty"`
}

func errTicketNotFound() *domain.Error {
	return domain.NotFound("ticket_not_found", "准考证尚未发放或已失效")
}

// GetTicket returns the admission ticket of one of the candidate's registrations:
// only an approved registration whose ticket was published has one (404
// otherwise, as for another candidate's registration).
func (c *Core) GetTicket(ctx context.Context, candidateID, regID int64) (*TicketView, error) {
	r, err := c.registrationOf(ctx, c.db.Read(), candidateID, regID)
	if err != nil {
		return nil, err
	}
	if r.Status == domain.StatusCancelled {
		return nil, domain.NotFound("ticket_revoked", "该报名已撤销，准考证已作废")
	}
	if r.Status != domain.StatusApproved {
		return nil, errTicketNotFound()
	}
	t, err := c.db.Read().ExamTicketOf(ctx, r.ID)
	if repo.IsNoRows(err) || (err == nil && t.NotifiedRevision == 0) {
		return nil, errTicketNotFound()
	}
	if err != nil {
		return nil, domain.Internal(err)
	}
	return c.ticketView(ctx, r, t)
}

func (c *Core) ticketView(ctx context.Context, r repo.Registration, t repo.ExamTicket) (*TicketView, error) {
	cand, err := c.db.Read().GetCandidate(ctx, r.CandidateID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	p, err := c.db.Read().GetPlan(ctx, r.PlanID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	id, err := c.pii.Open(cand.IDNumberEnc.String)
	if err != nil {
		return nil, domain.Internal(err)
	}
	seats, err := c.db.Read().ExamSeatsOf(ctx, r.ID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	v := &TicketView{RegistrationID: r.ID, TicketNo: t.TicketNo, Name: cand.Name, IDType: cand.IDType,
		IDTypeName: domain.IDTypeName(cand.IDType), IDNumber: domain.MaskIDNumber(id),
		Plan: TicketPlan{ID: p.ID, PlanNo: p.PlanNo, PlanName: p.PlanName, OccupationName: p.OccupationName,
			WorkType: p.WorkType, Level: p.Level, LevelName: domain.Level(p.Level).Name(),
			InstitutionName: p.InstitutionName, ContactPhone: p.ContactPhone},
		Sessions: []TicketSession{}}
	v.Rules = domain.TicketRules(v.IDTypeName)
	last := p.EvalEnd
	for _, s := range seats {
		v.Sessions = append(v.Sessions, TicketSession{SessionID: s.SessionID, Subject: s.Subject,
			SubjectName: domain.Subject(s.Subject).Name(), Date: s.ExamDate, Start: s.StartTime, End: s.EndTime,
			Venue: s.Venue, Room: s.Room, SeatNo: s.SeatNo})
		if s.ExamDate > last {
			last = s.ExamDate
		}
	}
	atts, err := c.db.Read().ListAttachments(ctx, r.ID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	for _, a := range atts {
		if a.ItemKey == PhotoItemKey {
			v.PhotoURL = fmt.Sprintf("/api/v1/registrations/%d/attachments/%d", r.ID, a.ID)
		}
	}
	if ar, err := c.db.Read().ExamArrangementOf(ctx, p.ID); err == nil && ar.PublishedAt.Valid {
		at := ar.PublishedAt.Time
		v.PublishedAt = &at
	}
	// The token is good until the end of the day after the last sitting.
	if end, ok := domain.ParseDate(last); ok {
		v.TokenExpiresAt = end.AddDate(0, 0, 2).UTC()
	} else {
		v.TokenExpiresAt = c.now().Add(30 * 24 * time.Hour).UTC()
	}
	v.QRToken = c.IssueTicketToken(p.ID, t.TicketNo, v.TokenExpiresAt)
	png, err := qrcode.Encode(v.QRToken, qrcode.Medium, 256)
	if err != nil {
		return nil, domain.Internal(err)
	}
	v.QRPNG = "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	return v, nil
}

// ticketTokenPrefix starts every ticket token (version 1).
const ticketTokenPrefix = "ZKZ1."

// IssueTicketToken is the content of a ticket's QR code: the plan id, the ticket
// number and an expiry, signed with an HMAC under the personal-data index key
// (domain-separated). It holds no personal data.
func (c *Core) IssueTicketToken(planID int64, ticketNo string, expires time.Time) string {
	body := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%d|%s|%d", planID, ticketNo, expires.Unix())))
	return ticketTokenPrefix + body + "." + c.ticketMAC(body)
}

func (c *Core) ticketMAC(body string) string {
	return c.pii.Index("skillcert/ticket-token/v1\x00" + body)[:32]
}

// parseTicketToken checks a token's signature and expiry and returns its plan
// and ticket number.
func (c *Core) parseTicketToken(tok string) (int64, string, error) {
	bad := domain.Invalid("code", "token_invalid", "二维码无效，请改为输入准考证号")
	rest, ok := strings.CutPrefix(tok, ticketTokenPrefix)
	if !ok {
		return 0, "", bad
	}
	body, mac, ok := strings.Cut(rest, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(c.ticketMAC(body))) {
		return 0, "", bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return 0, "", bad
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 3 {
		return 0, "", bad
	}
	planID, err1 := strconv.ParseInt(parts[0], 10, 64)
	exp, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, "", bad
	}
	if !c.now().Before(time.Unix(exp, 0)) {
		return 0, "", domain.Invalid("code", "token_expired", "二维码已过期，请改为输入准考证号")
	}
	return planID, parts[1], nil
}
