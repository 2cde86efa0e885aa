package core

import (
	"context"
	"fmt"
	"strings"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// CheckInResult is what the check-in page shows after a scan or a typed number.
type CheckInResult struct {
	RegistrationID int64
	Name           string
	IDNumber       string // masked
	TicketNo       string
	Room           string
	SeatNo         int
	ArrivedAt      time.Time
	Already        bool // arrived before: ArrivedAt is the first arrival
}

// CheckIn records a candidate's arrival at a session of a plan of st's
// institution, from a ticket's QR token or its typed ticket number. An arrival
// is recorded once; a second scan returns the first arrival (Already). Staff of
// another institution get 404 for the plan, supervisors 403.
func (c *Core) CheckIn(ctx context.Context, st *Staff, planID, sessionID int64, code string) (*CheckInResult, error) {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Act)
	if err != nil {
		return nil, err
	}
	sess, err := c.sessionOf(ctx, p.ID, sessionID)
	if err != nil {
		return nil, err
	}
	code = strings.TrimSpace(code)
	no := code
	switch {
	case code == "":
		return nil, domain.Invalid("code", "code_required", "请扫描准考证二维码或输入准考证号")
	case strings.HasPrefix(code, ticketTokenPrefix):
		tp, tn, derr := c.parseTicketToken(code)
		if derr != nil {
			return nil, derr
		}
		if tp != p.ID {
			return nil, domain.Invalid("code", "other_plan", "该准考证不属于本评价计划")
		}
		no = tn
	}
	t, err := c.db.Read().ExamTicketByNo(ctx, p.ID, strings.ToUpper(no))
	if repo.IsNoRows(err) {
		t, err = c.db.Read().ExamTicketByNo(ctx, p.ID, no)
	}
	if repo.IsNoRows(err) {
		return nil, domain.Invalid("code", "ticket_unknown", "本评价计划没有该准考证号")
	}
	if err != nil {
		return nil, domain.Internal(err)
	}
	r, err := c.db.Read().GetRegistration(ctx, t.RegistrationID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	if r.Status != domain.StatusApproved || t.NotifiedRevision == 0 {
		return nil, domain.Invalid("code", "ticket_void", "该准考证未发放或已作废")
	}
	cand, err := c.db.Read().GetCandidate(ctx, r.CandidateID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	full, err := c.pii.Open(cand.IDNumberEnc.String)
	if err != nil {
		return nil, domain.Internal(err)
	}
	res := &CheckInResult{RegistrationID: r.ID, Name: cand.Name, IDNumber: domain.MaskIDNumber(full), TicketNo: t.TicketNo}
	seats, err := c.db.Read().ExamSeatsOf(ctx, r.ID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	var elsewhere []string
	for _, s := range seats {
		if s.SessionID == sess.ID {
			res.Room, res.SeatNo = s.Room, s.SeatNo
		} else if s.Subject == sess.Subject || s.ExamDate == sess.ExamDate {
			elsewhere = append(elsewhere, seatLine(s.Subject, s.ExamDate, s.StartTime, s.Room, s.SeatNo))
		}
	}
	if res.Room == "" {
		msg := res.Name + "（" + res.TicketNo + "）不在本场次"
		if len(elsewhere) > 0 {
			msg += "，应到：" + strings.Join(elsewhere, "；")
		}
		return nil, domain.Invalid("code", "wrong_session", msg)
	}
	now := c.dbNow()
	err = c.db.Write().InsertCheckin(ctx, sess.ID, r.ID, st.ID, now)
	switch {
	case repo.IsUniqueViolation(err):
		at, err := c.db.Write().CheckinAt(ctx, sess.ID, r.ID)
		if err != nil {
			return nil, domain.Internal(err)
		}
		res.ArrivedAt, res.Already = at, true
		return res, nil
	case err != nil:
		return nil, domain.Internal(err)
	}
	res.ArrivedAt = now
	return res, nil
}

func (c *Core) sessionOf(ctx context.Context, planID, sessionID int64) (repo.ExamSession, error) {
	rows, err := c.db.Read().ExamSessions(ctx, planID)
	if err != nil {
		return repo.ExamSession{}, domain.Internal(err)
	}
	for _, s := range rows {
		if s.ID == sessionID {
			return s, nil
		}
	}
	return repo.ExamSession{}, domain.NotFound("session_not_found", "考试场次不存在")
}

// RosterLine is one seat of a session's roster.
type RosterLine struct {
	SeatNo         int
	RegistrationID int64
	Name           string
	IDNumber       string // masked
	TicketNo       string
	ArrivedAt      *time.Time
	State          string // 已签到, 未签到, 缺考 (the session is over and they did not arrive)
}

// SessionRoster is a session with who sits where and who arrived.
type SessionRoster struct {
	Session ExamSessionView
	Lines   []RosterLine
	Arrived int
	Absent  int // after the session: seats without an arrival
}

// GetSessionRoster returns the roster of a session of a plan st may see.
func (c *Core) GetSessionRoster(ctx context.Context, st *Staff, planID, sessionID int64) (*SessionRoster, error) {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Read)
	if err != nil {
		return nil, err
	}
	sess, err := c.sessionOf(ctx, p.ID, sessionID)
	if err != nil {
		return nil, err
	}
	rows, err := c.db.Read().SessionRoster(ctx, sess.ID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	out := &SessionRoster{Session: c.sessionView(sess)}
	for _, r := range rows {
		if r.Status != domain.StatusApproved {
			continue
		}
		full, err := c.pii.Open(r.IDNumberEnc.String)
		if err != nil {
			return nil, domain.Internal(err)
		}
		l := RosterLine{SeatNo: r.SeatNo, RegistrationID: r.RegistrationID, Name: r.Name, IDNumber: domain.MaskIDNumber(full),
			TicketNo: r.TicketNo.String, State: "未签到"}
		switch {
		case r.ArrivedAt.Valid:
			at := r.ArrivedAt.Time
			l.ArrivedAt, l.State = &at, "已签到"
			out.Arrived++
		case out.Session.Ended:
			l.State = "缺考"
			out.Absent++
		}
		out.Lines = append(out.Lines, l)
	}
	return out, nil
}

// String is the result in one line for logs and tests.
func (r *CheckInResult) String() string {
	return fmt.Sprintf("%s %s %s %d号 already=%v", r.Name, r.TicketNo, r.Room, r.SeatNo, r.Already)
}

// ArrivedText is the arrival time, Beijing time ("" when not arrived).
func (l RosterLine) ArrivedText() string {
	if l.ArrivedAt == nil {
		return ""
	}
	return l.ArrivedAt.In(domain.Beijing).Format("2006-01-02 15:04")
}
