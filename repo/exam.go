package repo

import (
	"context"
	"database/sql"
	"skillcert/domain"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// ExamSession is one sitting of one subject in one room (exam_sessions).
type ExamSession struct {
	ID        int64  `db:"id"`
	PlanID    int64  `db:"plan_id"`
	Subject   string `db:"subject"`
	ExamDate  string `db:"exam_date"`
	StartTime string `db:"start_time"`
	EndTime   string `db:"end_time"`
	Venue     string `db:"venue"`
	Room      string `db:"room"`
	Seats     int    `db:"seats"`
	Assigned  int    `db:"assigned"` // seats taken (read only)
}

// ExamArrangement is a plan's arrangement row.
type ExamArrangement struct {
	PlanID      int64        `db:"plan_id"`
	PublishedAt sql.NullTime `db:"published_at"`
	UpdatedAt   time.Time    `db:"updated_at"`
}

// ExamTicket is the ticket of one registration.
type ExamTicket struct {
	RegistrationID   int64  `db:"registration_id"`
	PlanID           int64  `db:"plan_id"`
	TicketNo         string `db:"ticket_no"`
	Revision         int    `db:"revision"`
	NotifiedRevision int    `db:"notified_revision"`
	CandidateID      int64  `db:"candidate_id"` // only from TicketsToNotify
}

// ExamSeat is one registration's seat for one subject.
type ExamSeat struct {
	RegistrationID int64  `db:"registration_id"`
	Subject        string `db:"subject"`
	SessionID      int64  `db:"session_id"`
	SeatNo         int    `db:"seat_no"`
	// With the session (SeatsOfRegistration only).
	ExamDate  string `db:"exam_date"`
	StartTime string `db:"start_time"`
	EndTime   string `db:"end_time"`
	Venue     string `db:"venue"`
	Room      string `db:"room"`
}

// RosterSeat is one seat of a session's roster.
type RosterSeat struct {
	RegistrationID int64          `db:"registration_id"`
	SeatNo         int            `db:"seat_no"`
	Status         domain.Status  `db:"status"`
	Name           string         `db:"name"`
	IDNumberEnc    sql.NullString `db:"id_number_enc"`
	TicketNo       sql.NullString `db:"ticket_no"`
	ArrivedAt      sql.NullTime   `db:"arrived_at"`
}

// AbsentSeat is a seat of an approved registration without an arrival.
type AbsentSeat struct {
	RegistrationID int64  `db:"registration_id"`
	Subject        string `db:"subject"`
	ExamDate       string `db:"exam_date"`
	EndTime        string `db:"end_time"`
}

var (
	qExamSessionInsert   = NamedQuery("exam-session-insert")
	qExamSessionsOfPlan  = NamedQuery("exam-sessions-of-plan")
	qExamSessionDelete   = NamedQuery("exam-session-delete")
	qExamArrGet          = NamedQuery("exam-arrangement-get")
	qExamArrInsert       = NamedQuery("exam-arrangement-insert")
	qExamArrPublish      = NamedQuery("exam-arrangement-publish")
	qExamArrTouch        = NamedQuery("exam-arrangement-touch")
	qExamTicketsOfPlan   = NamedQuery("exam-tickets-of-plan")
	qExamTicketInsert    = NamedQuery("exam-ticket-insert")
	qExamTicketBump      = NamedQuery("exam-ticket-bump")
	qExamTicketDelete    = NamedQuery("exam-ticket-delete")
	qExamTicketOfReg     = NamedQuery("exam-ticket-of-registration")
	qExamTicketByNo      = NamedQuery("exam-ticket-by-no")
	qExamTicketsToNotify = NamedQuery("exam-tickets-to-notify")
	qExamTicketsNotified = NamedQuery("exam-tickets-mark-notified")
	qExamSeatsOfPlan     = NamedQuery("exam-seats-of-plan")
	qExamSeatsDeletePlan = NamedQuery("exam-seats-delete-plan")
	qExamSeatsDeleteReg  = NamedQuery("exam-seats-delete-registration")
	qExamSeatDelete      = NamedQuery("exam-seat-delete")
	qExamSeatInsert      = NamedQuery("exam-seat-insert")
	qExamSeatsOfReg      = NamedQuery("exam-seats-of-registration")
	qExamSessionRoster   = NamedQuery("exam-session-roster")
	qExamCheckinInsert   = NamedQuery("exam-checkin-insert")
	qExamCheckinGet      = NamedQuery("exam-checkin-get")
	qExamAbsentOfPlan    = NamedQuery("exam-absent-of-plan")
)

// InsertExamSession adds a session and returns its id.
func (db *DB) InsertExamSession(ctx context.Context, x sqlx.ExecerContext, s ExamSession, now time.Time) (int64, error) {
	res, err := db.exec(ctx, x, qExamSessionInsert, s.PlanID, s.Subject, s.ExamDate, s.StartTime,
		s.EndTime, s.Venue, s.Room, s.Seats, now)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// ExamSessions lists a plan's sessions in sitting order, with their taken seats.
func (db *DB) ExamSessions(ctx context.Context, q sqlx.QueryerContext, planID int64) ([]ExamSession, error) {
	out := []ExamSession{}
	err := db.sel(ctx, q, &out, qExamSessionsOfPlan, planID)
	return out, err
}

// DeleteExamSession deletes a session of a plan that has no seat taken; false
// when nothing was deleted.
func (db *DB) DeleteExamSession(ctx context.Context, x sqlx.ExecerContext, planID, id int64) (bool, error) {
	res, err := db.exec(ctx, x, qExamSessionDelete, id, planID, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ExamArrangementOf reads a plan's arrangement; sql.ErrNoRows when there is none.
func (db *DB) ExamArrangementOf(ctx context.Context, q sqlx.QueryerContext, planID int64) (ExamArrangement, error) {
	var a ExamArrangement
	err := db.get(ctx, q, &a, qExamArrGet, planID)
	return a, err
}

// TouchExamArrangement creates the plan's arrangement row when missing and
// marks it changed.
func (db *DB) TouchExamArrangement(ctx context.Context, tx *sqlx.Tx, planID int64, now time.Time) error {
	res, err := db.exec(ctx, tx, qExamArrTouch, now, planID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := db.exec(ctx, tx, qExamArrInsert, planID, now); err != nil && !IsUniqueViolation(err) {
			return err
		}
	}
	return nil
}

// PublishExamArrangement records a publication of the plan's tickets.
func (db *DB) PublishExamArrangement(ctx context.Context, tx *sqlx.Tx, planID, staffID int64, now time.Time) error {
	if err := db.TouchExamArrangement(ctx, tx, planID, now); err != nil {
		return err
	}
	_, err := db.exec(ctx, tx, qExamArrPublish, now, staffID, now, planID)
	return err
}

// ExamTickets returns every ticket of a plan.
func (db *DB) ExamTickets(ctx context.Context, q sqlx.QueryerContext, planID int64) ([]ExamTicket, error) {
	out := []ExamTicket{}
	err := db.sel(ctx, q, &out, qExamTicketsOfPlan, planID)
	return out, err
}

// insertBatch is the largest number of rows one multi-row insert writes.
const insertBatch = 1000

// insertMany runs a one-row INSERT … VALUES (…) block for many rows at once,
// repeating its VALUES tuple, insertBatch rows a statement.
func insertMany(ctx context.Context, x sqlx.ExecerContext, one string, rows [][]any) error {
	return insertManyTail(ctx, x, one, "", rows)
}

// insertManyTail is insertMany with a clause kept after the last tuple
// (ON CONFLICT …).
func insertManyTail(ctx context.Context, x sqlx.ExecerContext, one, tail string, rows [][]any) error {
	i := strings.LastIndex(one, "(")
	head, tuple := one[:i], one[i:]
	for start := 0; start < len(rows); start += insertBatch {
		end := min(start+insertBatch, len(rows))
		var b strings.Builder
		b.WriteString(head)
		var args []any
		for j := start; j < end; j++ {
			if j > start {
				b.WriteString(", ")
			}
			b.WriteString(tuple)
			args = append(args, rows[j]...)
		}
		b.WriteString(tail)
		if _, err := x.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// InsertExamTickets writes new tickets (revision 1, never notified).
func (db *DB) InsertExamTickets(ctx context.Context, tx *sqlx.Tx, ts []ExamTicket, now time.Time) error {
	rows := make([][]any, len(ts))
	for i, t := range ts {
		rows[i] = []any{t.RegistrationID, t.PlanID, t.TicketNo, 1, now, now}
	}
	return wrapQuery(qExamTicketInsert, insertMany(ctx, tx, db.Q.SQL(qExamTicketInsert), rows))
}

// BumpExamTicket marks a ticket changed (its seats moved) since the last notice.
func (db *DB) BumpExamTicket(ctx context.Context, tx *sqlx.Tx, regID int64, now time.Time) error {
	_, err := db.exec(ctx, tx, qExamTicketBump, now, regID)
	return err
}

// DeleteExamTicket removes a registration's ticket and seats.
func (db *DB) DeleteExamTicket(ctx context.Context, tx *sqlx.Tx, regID int64) error {
	if _, err := db.exec(ctx, tx, qExamSeatsDeleteReg, regID); err != nil {
		return err
	}
	_, err := db.exec(ctx, tx, qExamTicketDelete, regID)
	return err
}

// ExamTicketOf reads a registration's ticket; sql.ErrNoRows when it has none.
func (db *DB) ExamTicketOf(ctx context.Context, q sqlx.QueryerContext, regID int64) (ExamTicket, error) {
	var t ExamTicket
	err := db.get(ctx, q, &t, qExamTicketOfReg, regID)
	return t, err
}

// ExamTicketByNo finds a plan's ticket by its number; sql.ErrNoRows when none.
func (db *DB) ExamTicketByNo(ctx context.Context, q sqlx.QueryerContext, planID int64, no string) (ExamTicket, error) {
	var t ExamTicket
	err := db.get(ctx, q, &t, qExamTicketByNo, planID, no)
	return t, err
}

// ExamTicketsToNotify returns the plan's approved tickets changed since their
// last notice (or never notified), with their candidates.
func (db *DB) ExamTicketsToNotify(ctx context.Context, q sqlx.QueryerContext, planID int64) ([]ExamTicket, error) {
	out := []ExamTicket{}
	err := db.sel(ctx, q, &out, qExamTicketsToNotify, planID)
	return out, err
}

// MarkExamTicketsNotified records that every ticket of the plan was notified at
// its current revision.
func (db *DB) MarkExamTicketsNotified(ctx context.Context, tx *sqlx.Tx, planID int64) error {
	_, err := db.exec(ctx, tx, qExamTicketsNotified, planID)
	return err
}

// ExamSeats returns every seat of a plan.
func (db *DB) ExamSeats(ctx context.Context, q sqlx.QueryerContext, planID int64) ([]ExamSeat, error) {
	out := []ExamSeat{}
	err := db.sel(ctx, q, &out, qExamSeatsOfPlan, planID)
	return out, err
}

// ReplaceExamSeats replaces every seat of a plan with seats (one transaction).
func (db *DB) ReplaceExamSeats(ctx context.Context, tx *sqlx.Tx, planID int64, seats []ExamSeat) error {
	if _, err := db.exec(ctx, tx, qExamSeatsDeletePlan, planID); err != nil {
		return err
	}
	rows := make([][]any, len(seats))
	for i, s := range seats {
		rows[i] = []any{s.RegistrationID, planID, s.Subject, s.SessionID, s.SeatNo}
	}
	return wrapQuery(qExamSeatInsert, insertMany(ctx, tx, db.Q.SQL(qExamSeatInsert), rows))
}

// SetExamSeat puts a registration's seat for one subject (replacing the old one).
func (db *DB) SetExamSeat(ctx context.Context, tx *sqlx.Tx, planID int64, s ExamSeat) error {
	if _, err := db.exec(ctx, tx, qExamSeatDelete, s.RegistrationID, s.Subject); err != nil {
		return err
	}
	_, err := db.exec(ctx, tx, qExamSeatInsert, s.RegistrationID, planID, s.Subject, s.SessionID, s.SeatNo)
	return err
}

// ExamSeatsOf returns a registration's seats with their sessions, in sitting order.
func (db *DB) ExamSeatsOf(ctx context.Context, q sqlx.QueryerContext, regID int64) ([]ExamSeat, error) {
	out := []ExamSeat{}
	err := db.sel(ctx, q, &out, qExamSeatsOfReg, regID)
	return out, err
}

// SessionRoster returns a session's seats with their candidates and arrivals.
func (db *DB) SessionRoster(ctx context.Context, q sqlx.QueryerContext, sessionID int64) ([]RosterSeat, error) {
	out := []RosterSeat{}
	err := db.sel(ctx, q, &out, qExamSessionRoster, sessionID)
	return out, err
}

// InsertCheckin records an arrival; a unique violation when already recorded.
func (db *DB) InsertCheckin(ctx context.Context, x sqlx.ExecerContext, sessionID, regID, staffID int64, at time.Time) error {
	_, err := db.exec(ctx, x, qExamCheckinInsert, sessionID, regID, at, sql.NullInt64{Int64: staffID, Valid: staffID != 0})
	return err
}

// CheckinAt reads when a registration arrived at a session; sql.ErrNoRows when not.
func (db *DB) CheckinAt(ctx context.Context, q sqlx.QueryerContext, sessionID, regID int64) (time.Time, error) {
	var at time.Time
	err := db.get(ctx, q, &at, qExamCheckinGet, sessionID, regID)
	return at, err
}

// AbsentSeats returns the plan's seats of approved registrations that have no
// arrival recorded (whether or not their session is over).
func (db *DB) AbsentSeats(ctx context.Context, q sqlx.QueryerContext, planID int64) ([]AbsentSeat, error) {
	out := []AbsentSeat{}
	err := db.sel(ctx, q, &out, qExamAbsentOfPlan, planID)
	return out, err
}

var qExamOutboxInsertMany = NamedQuery("exam-outbox-insert-many")

// InsertOutboxMany writes many outbox rows inside tx, insertBatch a statement;
// a row whose DedupeKey is already there is skipped (as InsertOutbox does).
func (db *DB) InsertOutboxMany(ctx context.Context, tx *sqlx.Tx, es []OutboxEvent, now time.Time) error {
	q := db.Q.SQL(qExamOutboxInsertMany)
	// The VALUES tuple is repeated; the conflict clause after it (a line of its
	// own, "ON …") stays once.
	i := strings.LastIndex(q, "\nON ")
	one, tail := q[:i], q[i:]
	rows := make([][]any, len(es))
	for j, e := range es {
		if e.Payload == "" {
			e.Payload = "{}"
		}
		if e.DueAt.IsZero() {
			e.DueAt = now
		}
		rows[j] = []any{e.Kind, e.DedupeKey, e.CandidateID, e.RegistrationID, e.PlanID, e.Payload, e.DueAt, now}
	}
	return wrapQuery(qExamOutboxInsertMany, insertManyTail(ctx, tx, one, tail, rows))
}
