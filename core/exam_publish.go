package core

import (
	"context"
	"fmt"
	"strconv"

	"skillcert/domain"
	"skillcert/repo"
)

// PublishReport is the outcome of publishing a plan's tickets.
type PublishReport struct {
	Tickets  int // approved candidates with a ticket
	Notified int // candidates told this time (new or changed tickets)
}

// PublishTickets publishes the admission tickets of a plan of st's institution,
// in one audited transaction: allowed only when every approved candidate has a
// seat in every subject that has sessions. Each ticket new or changed since the
// last publication gets one "准考证已发放" notice (the outbox: exactly once per
// ticket revision); unchanged tickets are not notified again.
func (c *Core) PublishTickets(ctx context.Context, st *Staff, planID int64) (PublishReport, error) {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Act)
	if err != nil {
		return PublishReport{}, err
	}
	if p.State == repo.PlanCancelled {
		return PublishReport{}, domain.Conflict("plan_cancelled", "评价计划已取消，不能发布准考证")
	}
	var rep PublishReport
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		a, err := c.loadArrangement(ctx, tx.Reader, p)
		if err != nil {
			return err
		}
		if len(a.approved) == 0 {
			return domain.Conflict("no_approved", "还没有审核通过的考生")
		}
		if len(a.sessions) == 0 {
			return domain.Conflict("no_sessions", "请先添加考试场次并编排考场")
		}
		if n := len(a.unseated()); n > 0 {
			return domain.Conflict("unseated", fmt.Sprintf("还有%d名审核通过的考生未安排考场座位，不能发布准考证", n))
		}
		due, err := tx.ExamTicketsToNotify(ctx, p.ID)
		if err != nil {
			return err
		}
		events := make([]Event, 0, len(due))
		for _, t := range due {
			note, venue := a.firstSeat(t.RegistrationID)
			events = append(events, Event{Kind: domain.EventTicketIssued, CandidateID: t.CandidateID,
				RegistrationID: t.RegistrationID, PlanID: p.ID, Key: fmt.Sprintf("%d:r%d", t.RegistrationID, t.Revision),
				Payload: map[string]any{"ticket_no": t.TicketNo, "note": note, "venue": venue, "plan_no": p.PlanNo}})
		}
		if err := c.EnqueueEvents(ctx, tx, events); err != nil {
			return err
		}
		if err := tx.MarkExamTicketsNotified(ctx, p.ID); err != nil {
			return err
		}
		if err := tx.PublishExamArrangement(ctx, p.ID, st.ID, c.dbNow()); err != nil {
			return err
		}
		rep = PublishReport{Tickets: len(a.approved), Notified: len(due)}
		return c.audit(ctx, tx.Writer, st, AuditExamPublish, "plan", p.ID, fmt.Sprintf("计划编号 %s，准考证 %d 张，通知 %d 人",
			p.PlanNo, rep.Tickets, rep.Notified))
	})
	if err != nil {
		return PublishReport{}, asDomainError(err)
	}
	return rep, nil
}

// firstSeat is the earliest seat of a registration in one line, for messages:
// "理论 12月20日 09:00 第1考场 12号".
func (a *arrangement) firstSeat(regID int64) (line, venue string) {
	var best *repo.ExamSession
	seatNo := 0
	for _, x := range a.seats[regID] {
		s := a.sessionByID[x.SessionID]
		if best == nil || s.ExamDate+s.StartTime < best.ExamDate+best.StartTime {
			best, seatNo = &s, x.SeatNo
		}
	}
	if best == nil {
		return "", ""
	}
	return seatLine(best.Subject, best.ExamDate, best.StartTime, best.Room, seatNo), best.Venue
}

func seatLine(subject, date, start, room string, seat int) string {
	d := date
	if t, ok := domain.ParseDate(date); ok {
		d = strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
	}
	return fmt.Sprintf("%s %s %s %s %d号", domain.Subject(subject).Name(), d, start, room, seat)
}

// dropTicket voids the ticket of a registration that leaves 审核通过 (inside the
// transaction of that change): its seats are freed and, when the ticket had been
// published, the candidate is told it is void.
func (c *Core) dropTicket(ctx context.Context, tx repo.Tx, r repo.Registration) error {
	t, err := tx.ExamTicketOf(ctx, r.ID)
	if repo.IsNoRows(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := tx.DeleteExamTicket(ctx, r.ID); err != nil {
		return err
	}
	if t.NotifiedRevision == 0 {
		return nil
	}
	return c.EnqueueEvent(ctx, tx, Event{Kind: domain.EventTicketRevoked, CandidateID: r.CandidateID, RegistrationID: r.ID,
		PlanID: r.PlanID, Key: fmt.Sprintf("%d:%s", r.ID, t.TicketNo),
		Payload: map[string]any{"ticket_no": t.TicketNo, "note": "准考证" + t.TicketNo + "已作废"}})
}
