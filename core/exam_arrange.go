package core

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"skillcert/domain"
	"skillcert/repo"
)

// arrangement is a plan's sessions, approved candidates, tickets and seats as
// read at once; the operations below compute a new set of seats from it and
// write the difference.
type arrangement struct {
	plan        repo.Plan
	sessions    []repo.ExamSession
	sessionByID map[int64]repo.ExamSession
	subjects    []domain.Subject // subjects that have sessions, in sitting order
	approved    []repo.ReviewRow // in registration (submission) order
	regs        map[int64]repo.ReviewRow
	tickets     map[int64]repo.ExamTicket
	seats       map[int64]map[domain.Subject]repo.ExamSeat
}

func (c *Core) loadArrangement(ctx context.Context, q repo.Reader, p repo.Plan) (*arrangement, error) {
	a := &arrangement{plan: p, sessionByID: map[int64]repo.ExamSession{}, regs: map[int64]repo.ReviewRow{},
		tickets: map[int64]repo.ExamTicket{}, seats: map[int64]map[domain.Subject]repo.ExamSeat{}}
	var err error
	if a.sessions, err = q.ExamSessions(ctx, p.ID); err != nil {
		return nil, err
	}
	seen := map[domain.Subject]bool{}
	for _, s := range a.sessions {
		a.sessionByID[s.ID] = s
		if subj := domain.Subject(s.Subject); !seen[subj] {
			seen[subj] = true
			a.subjects = append(a.subjects, subj)
		}
	}
	rows, _, err := c.db.ListReviewRows(ctx, repo.ReviewFilter{PlanID: p.ID, Status: domain.StatusApproved}, domain.MaxPlanSeats, 0)
	if err != nil {
		return nil, err
	}
	a.approved = rows
	for _, r := range rows {
		a.regs[r.ID] = r
	}
	ts, err := q.ExamTickets(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		a.tickets[t.RegistrationID] = t
	}
	seats, err := q.ExamSeats(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, s := range seats {
		if a.seats[s.RegistrationID] == nil {
			a.seats[s.RegistrationID] = map[domain.Subject]repo.ExamSeat{}
		}
		a.seats[s.RegistrationID][domain.Subject(s.Subject)] = s
	}
	return a, nil
}

// unseated returns the approved registrations lacking a seat in a subject that
// has sessions (all of them when there are no sessions).
func (a *arrangement) unseated() []int64 {
	var out []int64
	for _, r := range a.approved {
		if len(a.subjects) == 0 {
			out = append(out, r.ID)
			continue
		}
		for _, subj := range a.subjects {
			if _, ok := a.seats[r.ID][subj]; !ok {
				out = append(out, r.ID)
				break
			}
		}
	}
	return out
}

// nextTicketSeq is one more than the highest sequence number given in the plan.
func (a *arrangement) nextTicketSeq() int {
	n := 0
	for _, t := range a.tickets {
		if i := strings.LastIndexByte(t.TicketNo, '-'); i >= 0 {
			if v, err := strconv.Atoi(t.TicketNo[i+1:]); err == nil && v > n {
				n = v
			}
		}
	}
	return n + 1
}

// seatPlan is a new set of seats: registration → subject → seat.
type seatPlan map[int64]map[domain.Subject]repo.ExamSeat

func (sp seatPlan) put(regID int64, s repo.ExamSeat) {
	if sp[regID] == nil {
		sp[regID] = map[domain.Subject]repo.ExamSeat{}
	}
	sp[regID][domain.Subject(s.Subject)] = s
}

// apply writes a new set of seats for the whole plan inside tx: tickets for the
// registrations seated for the first time (numbered in order), a new revision
// for those whose seats changed, the seats themselves. It returns how many
// tickets were created and changed.
func (c *Core) applySeats(ctx context.Context, tx repo.Tx, a *arrangement, sp seatPlan, order []int64) (created, changed int, err error) {
	now := c.dbNow()
	seq := a.nextTicketSeq()
	var fresh []repo.ExamTicket
	var all []repo.ExamSeat
	for _, regID := range order {
		next := sp[regID]
		if len(next) == 0 {
			continue
		}
		if _, ok := a.tickets[regID]; !ok {
			fresh = append(fresh, repo.ExamTicket{RegistrationID: regID, PlanID: a.plan.ID, TicketNo: domain.TicketNo(a.plan.PlanNo, seq)})
			seq++
		}
		for _, s := range next {
			all = append(all, s)
		}
	}
	// Tickets whose seats differ from before (seated, moved or unseated).
	for regID, t := range a.tickets {
		if !sameSeats(a.seats[regID], sp[regID]) {
			if err := tx.BumpExamTicket(ctx, t.RegistrationID, now); err != nil {
				return 0, 0, err
			}
			changed++
		}
	}
	if err := tx.InsertExamTickets(ctx, fresh, now); err != nil {
		return 0, 0, err
	}
	if err := tx.ReplaceExamSeats(ctx, a.plan.ID, all); err != nil {
		return 0, 0, err
	}
	return len(fresh), changed, tx.TouchExamArrangement(ctx, a.plan.ID, now)
}

func sameSeats(a, b map[domain.Subject]repo.ExamSeat) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok || x.SessionID != y.SessionID || x.SeatNo != y.SeatNo {
			return false
		}
	}
	return true
}

// ArrangeOrder is how automatic arrangement orders the candidates.
type ArrangeOrder string

// Orders of automatic arrangement.
const (
	OrderRegistration ArrangeOrder = "registration" // by submission time
	OrderIDNumber     ArrangeOrder = "id_number"    // by ID number
)

// ArrangeReport is the outcome of an arrangement.
type ArrangeReport struct {
	Seated  int        // candidates seated
	Created int        // new ticket numbers
	Changed int        // tickets whose seats changed
	Errors  []RowError // import only: when not empty, nothing was applied
	Rows    int        // import only: data rows read
}

// ArrangeSeats seats every approved candidate of a plan of st's institution: in
// the chosen order, each subject's rooms filled in turn (in sitting order), seat
// 1 upwards. Candidates keep their ticket numbers; those whose seats change are
// notified at the next publication.
func (c *Core) ArrangeSeats(ctx context.Context, st *Staff, planID int64, order ArrangeOrder) (ArrangeReport, error) {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Act)
	if err != nil {
		return ArrangeReport{}, err
	}
	if order != OrderRegistration && order != OrderIDNumber {
		return ArrangeReport{}, domain.Invalid("order", "order_invalid", "请选择编排顺序：按报名顺序或按证件号码")
	}
	var rep ArrangeReport
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		a, err := c.loadArrangement(ctx, tx.Reader, p)
		if err != nil {
			return err
		}
		if len(a.sessions) == 0 {
			return domain.Conflict("no_sessions", "请先添加考试场次")
		}
		if len(a.approved) == 0 {
			return domain.Conflict("no_approved", "还没有审核通过的考生")
		}
		ids := make([]int64, len(a.approved))
		for i, r := range a.approved {
			ids[i] = r.ID
		}
		if order == OrderIDNumber {
			keys := map[int64]string{}
			for _, r := range a.approved {
				full, err := c.pii.Open(r.IDNumberEnc.String)
				if err != nil {
					return err
				}
				keys[r.ID] = full
			}
			sort.SliceStable(ids, func(i, j int) bool { return keys[ids[i]] < keys[ids[j]] })
		}
		sp := seatPlan{}
		for _, subj := range a.subjects {
			var rooms []repo.ExamSession
			capacity := 0
			for _, s := range a.sessions {
				if domain.Subject(s.Subject) == subj {
					rooms = append(rooms, s)
					capacity += s.Seats
				}
			}
			if capacity < len(ids) {
				return domain.Conflict("seats_short", fmt.Sprintf("%s场次座位不足：共%d座，审核通过%d人，请增加考场", subj.Name(), capacity, len(ids)))
			}
			room, seat := 0, 0
			for _, regID := range ids {
				if seat == rooms[room].Seats {
					room, seat = room+1, 0
				}
				seat++
				sp.put(regID, repo.ExamSeat{RegistrationID: regID, Subject: string(subj), SessionID: rooms[room].ID, SeatNo: seat})
			}
		}
		if rep.Created, rep.Changed, err = c.applySeats(ctx, tx, a, sp, ids); err != nil {
			return err
		}
		rep.Seated = len(ids)
		name := map[ArrangeOrder]string{OrderRegistration: "按报名顺序", OrderIDNumber: "按证件号码"}[order]
		return c.audit(ctx, tx.Writer, st, AuditExamArrange, "plan", p.ID, fmt.Sprintf("计划编号 %s，自动编排（%s），%d 人，新发准考证号 %d 个，变更 %d 人",
			p.PlanNo, name, rep.Seated, rep.Created, rep.Changed))
	})
	if err != nil {
		return ArrangeReport{}, asDomainError(err)
	}
	return rep, nil
}

// MoveInput moves one candidate to a session and seat (0: the first free seat).
type MoveInput struct {
	RegistrationID int64
	SessionID      int64
	SeatNo         int
}

// MoveCandidate seats one approved candidate in another session (of the same or
// another subject's rooms) and seat. The ticket is notified again at the next
// publication.
func (c *Core) MoveCandidate(ctx context.Context, st *Staff, planID int64, in MoveInput) error {
	p, err := c.planFor(ctx, c.db.Read(), st, planID, Act)
	if err != nil {
		return err
	}
	err = c.db.WithTx(ctx, func(tx repo.Tx) error {
		a, err := c.loadArrangement(ctx, tx.Reader, p)
		if err != nil {
			return err
		}
		r, ok := a.regs[in.RegistrationID]
		if !ok {
			return domain.Invalid("registration_id", "not_approved", "该考生不是本计划审核通过的考生")
		}
		s, ok := a.sessionByID[in.SessionID]
		if !ok {
			return domain.Invalid("session_id", "session_invalid", "请选择本计划的考试场次")
		}
		taken := map[int]string{}
		for regID, bySubj := range a.seats {
			for _, x := range bySubj {
				if x.SessionID == s.ID && regID != r.ID {
					taken[x.SeatNo] = a.regs[regID].Name
				}
			}
		}
		seat := in.SeatNo
		switch {
		case seat < 0 || seat > s.Seats:
			return domain.Invalid("seat_no", "seat_invalid", fmt.Sprintf("座位号应为1至%d", s.Seats))
		case seat == 0:
			for n := 1; n <= s.Seats; n++ {
				if _, busy := taken[n]; !busy {
					seat = n
					break
				}
			}
			if seat == 0 {
				return domain.Invalid("session_id", "session_full", fmt.Sprintf("%s已满（%d座）", s.Room, s.Seats))
			}
		default:
			if who, busy := taken[seat]; busy {
				return domain.Invalid("seat_no", "seat_taken", fmt.Sprintf("%s %d号座位已安排给%s", s.Room, seat, who))
			}
		}
		sp := seatPlan{}
		order := make([]int64, 0, len(a.approved))
		for _, x := range a.approved {
			order = append(order, x.ID)
			for _, old := range a.seats[x.ID] {
				sp.put(x.ID, old)
			}
		}
		sp.put(r.ID, repo.ExamSeat{RegistrationID: r.ID, Subject: s.Subject, SessionID: s.ID, SeatNo: seat})
		if _, _, err := c.applySeats(ctx, tx, a, sp, order); err != nil {
			return err
		}
		return c.audit(ctx, tx.Writer, st, AuditExamMove, "registration", r.ID, fmt.Sprintf("计划编号 %s，%s 调整到 %s %s %d号",
			p.PlanNo, r.Name, domain.Subject(s.Subject).Name(), s.Room, seat))
	})
	if repo.IsUniqueViolation(err) {
		return domain.Conflict("seat_taken", "座位已被占用，请刷新后重试")
	}
	if err != nil {
		return asDomainError(err)
	}
	return nil
}
