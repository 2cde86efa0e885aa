package core

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"skillcert/domain"
	"skillcert/repo"
)

// Audited actions of exam arrangements (issue 18).
const (
	AuditExamSession = "exam.session"
	AuditExamArrange = "exam.arrange"
	AuditExamMove    = "exam.move"
	AuditExamPublish = "exam.publish"
	AuditExamCheckin = "exam.checkin"
)

func init() {
	auditNames[AuditExamSession] = "设置考试场次"
	auditNames[AuditExamArrange] = "编排考场座位"
	auditNames[AuditExamMove] = "调整考生座位"
	auditNames[AuditExamPublish] = "发布准考证"
	auditNames[AuditExamCheckin] = "考生签到"
}

// examAuditActions are the arrangement actions, in the audit page's filter order.
var examAuditActions = []string{AuditExamSession, AuditExamArrange, AuditExamMove, AuditExamPublish, AuditExamCheckin}

// MaxSessionSeats is the most seats one room (session) may have.
const MaxSessionSeats = 1000

// ExamSessionInput is the session form as typed.
type ExamSessionInput struct {
	Subject, Date, Start, End, Venue, Room, Seats string
}

// ExamSessionView is one session as pages show it.
type ExamSessionView struct {
	ID          int64  `json:"id"`
	Subject     string `json:"subject"`
	SubjectName string `json:"subject_name"`
	Date        string `json:"date"`
	Start       string `json:"start_time"`
	End         string `json:"end_time"`
	Venue       string `json:"venue"`
	Room        string `json:"room"`
	Seats       int    `json:"seats"`
	Assigned    int    `json:"assigned"`
	Ended       bool   `json:"ended"`
}

// Label is the session in one line: 理论 2026-12-20 09:00–10:30 第1考场.
func (s ExamSessionView) Label() string {
	return fmt.Sprintf("%s %s %s–%s %s", s.SubjectName, s.Date, s.Start, s.End, s.Room)
}

func (c *Core) sessionView(s repo.ExamSession) ExamSessionView {
	v := ExamSessionView{ID: s.ID, Subject: s.Subject, SubjectName: domain.Subject(s.Subject).Name(), Date: s.ExamDate,
		Start: s.StartTime, End: s.EndTime, Venue: s.Venue, Room: s.Room, Seats: s.Seats, Assigned: s.Assigned}
	if end, ok := domain.SessionEnd(s.ExamDate, s.EndTime); ok {
		v.Ended = !c.now().Before(end)
	}
	return v
}

// validate checks the form against the plan and returns the row to insert.
func (in ExamSessionInput) validate(p repo.Plan) (repo.ExamSession, error) {
	var fe []domain.FieldError
	bad := func(field, code, msg string) {
		fe = append(fe, domain.FieldError{Field: field, Code: code, Message: msg})
	}
	s := repo.ExamSession{PlanID: p.ID, ExamDate: strings.TrimSpace(in.Date), StartTime: strings.TrimSpace(in.Start),
		EndTime: strings.TrimSpace(in.End), Venue: strings.TrimSpace(in.Venue), Room: strings.TrimSpace(in.Room)}
	if subj, err := domain.ParseSubject(strings.TrimSpace(in.Subject)); err != nil {
		bad("subject", "subject_invalid", "请选择科目：理论、实操或综合")
	} else {
		s.Subject = string(subj)
	}
	if _, ok := domain.ParseDate(s.ExamDate); !ok {
		bad("date", "date_invalid", "请填写考试日期（年-月-日）")
	} else if s.ExamDate < p.EvalStart || s.ExamDate > p.EvalEnd {
		bad("date", "date_outside_evaluation", fmt.Sprintf("考试日期应在评价时间（%s至%s）内", p.EvalStart, p.EvalEnd))
	}
	if !domain.ValidClock(s.StartTime) {
		bad("start_time", "time_invalid", "请填写开始时间（时:分，如09:00）")
	}
	if !domain.ValidClock(s.EndTime) {
		bad("end_time", "time_invalid", "请填写结束时间（时:分，如10:30）")
	} else if domain.ValidClock(s.StartTime) && s.EndTime <= s.StartTime {
		bad("end_time", "time_order", "结束时间应晚于开始时间")
	}
	if n := utf8.RuneCountInString(s.Venue); n == 0 || n > 100 {
		bad("venue", "venue_invalid", "请填写考点地址（不超过100字）")
	}
	if n := utf8.RuneCountInString(s.Room); n == 0 || n > 30 {
		bad("room", "room_invalid", "请填写考场名称（不超过30字，如“第1考场”）")
	}
	if n, err := strconv.Atoi(strings.TrimSpace(in.Seats)); err != nil || n < 1 || n > MaxSessionSeats {
		bad("seats", "seats_invalid", fmt.Sprintf("座位数应为1至%d之间的整数", MaxSessionSeats))
	} else {
		s.Seats = n
	}
	if len(fe) > 0 {
		return s, domain.InvalidFields(fe)
	}
	return s, nil
}

// AddExamSession adds a session (one subject in one room) to a plan of st's
// institution.
func (c *Core) AddExamSession(ctx context.Context, st *Staff, planID int64, in ExamSessionInput) (int64, error) {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Act)
	if err != nil {
		return 0, err
	}
	if p.State == repo.PlanCancelled {
		return 0, domain.Conflict("plan_cancelled", "评价计划已取消，不能安排考试")
	}
	s, derr := in.validate(p)
	if derr != nil {
		return 0, derr
	}
	var id int64
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		var err error
		if id, err = tx.InsertExamSession(ctx, s, c.dbNow()); err != nil {
			return err
		}
		if err := tx.TouchExamArrangement(ctx, p.ID, c.dbNow()); err != nil {
			return err
		}
		return c.audit(ctx, tx.Writer, st, AuditExamSession, "plan", p.ID, fmt.Sprintf("计划编号 %s，新增场次：%s %s %s–%s %s，%d座",
			p.PlanNo, domain.Subject(s.Subject).Name(), s.ExamDate, s.StartTime, s.EndTime, s.Room, s.Seats))
	})
	if err != nil {
		return 0, asDomainError(err)
	}
	return id, nil
}

// DeleteExamSession deletes a session nobody is seated in.
func (c *Core) DeleteExamSession(ctx context.Context, st *Staff, planID, sessionID int64) error {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Act)
	if err != nil {
		return err
	}
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		ok, err := tx.DeleteExamSession(ctx, p.ID, sessionID)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Conflict("session_in_use", "该场次不存在或已安排考生，请先将考生调整到其他场次")
		}
		return c.audit(ctx, tx.Writer, st, AuditExamSession, "plan", p.ID, fmt.Sprintf("计划编号 %s，删除场次 #%d", p.PlanNo, sessionID))
	})
	if err != nil {
		return asDomainError(err)
	}
	return nil
}

// ListExamSessions lists a plan's sessions for st (any staff who may see the plan).
func (c *Core) ListExamSessions(ctx context.Context, st *Staff, planID int64) ([]ExamSessionView, error) {
	if _, err := c.planFor(ctx, c.db.Read(), st, planID, Read); err != nil {
		return nil, err
	}
	rows, err := c.db.Read().ExamSessions(ctx, planID)
	if err != nil {
		return nil, domain.Internal(err)
	}
	out := make([]ExamSessionView, len(rows))
	for i, s := range rows {
		out[i] = c.sessionView(s)
	}
	return out, nil
}

// ArrangeLine is one approved candidate of the arrangement page.
type ArrangeLine struct {
	RegistrationID int64
	Name           string
	IDNumberMasked string
	TicketNo       string
	Seats          map[string]string // subject → "第1考场 12号"
	Changed        bool              // changed since the last notice (or never notified)
}

// ExamOverview is the arrangement page of a plan.
type ExamOverview struct {
	Sessions    []ExamSessionView
	Subjects    []domain.Option // subjects that have sessions
	Approved    int
	Unseated    int // approved candidates lacking a seat in some subject
	Changed     int // tickets to notify at the next publication
	PublishedAt *time.Time
	Lines       []ArrangeLine
	Total       int
	Page        int
	PageSize    int
}

// GetExamOverview reads a plan's arrangement for st: sessions, counts and one page
// of the approved candidates with their seats.
func (c *Core) GetExamOverview(ctx context.Context, st *Staff, planID int64, page, pageSize int) (*ExamOverview, error) {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Read)
	if err != nil {
		return nil, err
	}
	a, err := c.loadArrangement(ctx, c.db.Read(), p)
	if err != nil {
		return nil, domain.Internal(err)
	}
	ov := &ExamOverview{Approved: len(a.approved), Page: max(page, 1), PageSize: pageSize, Total: len(a.approved)}
	for _, s := range a.sessions {
		ov.Sessions = append(ov.Sessions, c.sessionView(s))
	}
	for _, subj := range a.subjects {
		ov.Subjects = append(ov.Subjects, domain.Option{Code: string(subj), Name: subj.Name()})
	}
	ov.Unseated = len(a.unseated())
	for _, r := range a.approved {
		if t, ok := a.tickets[r.ID]; ok && t.Revision > t.NotifiedRevision {
			ov.Changed++
		}
	}
	if ar, err := c.db.Read().ExamArrangementOf(ctx, p.ID); err == nil && ar.PublishedAt.Valid {
		t := ar.PublishedAt.Time
		ov.PublishedAt = &t
	}
	from := (ov.Page - 1) * pageSize
	for i := from; i < len(a.approved) && i < from+pageSize; i++ {
		r := a.approved[i]
		id, err := c.pii.Open(r.IDNumberEnc.String)
		if err != nil {
			return nil, domain.Internal(err)
		}
		l := ArrangeLine{RegistrationID: r.ID, Name: r.Name, IDNumberMasked: domain.MaskIDNumber(id), Seats: map[string]string{}}
		if t, ok := a.tickets[r.ID]; ok {
			l.TicketNo, l.Changed = t.TicketNo, t.Revision > t.NotifiedRevision
		}
		for subj, seat := range a.seats[r.ID] {
			if s, ok := a.sessionByID[seat.SessionID]; ok {
				l.Seats[string(subj)] = fmt.Sprintf("%s %d号", s.Room, seat.SeatNo)
			}
		}
		ov.Lines = append(ov.Lines, l)
	}
	return ov, nil
}

// GetArrangeLine returns one approved candidate's line of the arrangement (for
// the move form); not found unless the registration is approved on the plan.
func (c *Core) GetArrangeLine(ctx context.Context, st *Staff, planID, regID int64) (ArrangeLine, error) {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Act)
	if err != nil {
		return ArrangeLine{}, err
	}
	a, err := c.loadArrangement(ctx, c.db.Read(), p)
	if err != nil {
		return ArrangeLine{}, domain.Internal(err)
	}
	r, ok := a.regs[regID]
	if !ok {
		return ArrangeLine{}, domain.NotFound("registration_not_found", "审核通过的报名中没有该考生")
	}
	full, err := c.pii.Open(r.IDNumberEnc.String)
	if err != nil {
		return ArrangeLine{}, domain.Internal(err)
	}
	l := ArrangeLine{RegistrationID: r.ID, Name: r.Name, IDNumberMasked: domain.MaskIDNumber(full), Seats: map[string]string{}}
	if t, ok := a.tickets[r.ID]; ok {
		l.TicketNo, l.Changed = t.TicketNo, t.Revision > t.NotifiedRevision
	}
	for subj, seat := range a.seats[r.ID] {
		if s, ok := a.sessionByID[seat.SessionID]; ok {
			l.Seats[string(subj)] = fmt.Sprintf("%s %d号", s.Room, seat.SeatNo)
		}
	}
	return l, nil
}

// PublishedText is when the tickets were last published, Beijing time ("" when never).
func (ov *ExamOverview) PublishedText() string {
	if ov.PublishedAt == nil {
		return ""
	}
	return ov.PublishedAt.In(domain.Beijing).Format("2006-01-02 15:04")
}
