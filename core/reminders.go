package core

import (
	"context"
	"strconv"
	"time"

	"skillcert/domain"
	"skillcert/repo"
)

// ExamReminderHour is the hour, Beijing time, on the day before 评价开始日期 when
// the exam reminder is due.
const ExamReminderHour = 9

// reminderBatch is how many reminders one transaction enqueues.
const reminderBatch = 200

// EnqueueExamReminders enqueues the exam reminder of every approved registration
// whose evaluation starts tomorrow (Beijing), once the day's reminder time has
// come: 09:00 the day before, or later that day if no scheduler ran at 09:00. Each
// registration is reminded once (the outbox's de-duplication key), however many
// schedulers run. It returns how many reminders it enqueued.
func (c *Core) EnqueueExamReminders(ctx context.Context) (int, error) {
	now := c.now().In(domain.Beijing)
	if now.Hour() < ExamReminderHour {
		return 0, nil
	}
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, domain.Beijing)
	due := day.Add(ExamReminderHour * time.Hour)
	tomorrow := day.AddDate(0, 0, 1).Format(domain.DateLayout)
	total := 0
	for {
		rows, err := c.db.RemindersDue(ctx, tomorrow, reminderBatch)
		if err != nil {
			return total, domain.Internal(err)
		}
		if len(rows) == 0 {
			return total, nil
		}
		err = c.db.WithTx(ctx, func(tx repo.Tx) error {
			for _, r := range rows {
				payload := map[string]any{"eval_start": r.EvalStart}
				if err := c.reminderSeats(ctx, r.RegistrationID, payload); err != nil {
					return err
				}
				if err := c.EnqueueEvent(ctx, tx, Event{Kind: domain.EventExamReminder, CandidateID: r.CandidateID,
					RegistrationID: r.RegistrationID, PlanID: r.PlanID, Key: reminderKey(r.RegistrationID),
					Payload: payload, DueAt: due}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return total, domain.Internal(err)
		}
		total += len(rows)
		if len(rows) < reminderBatch {
			return total, nil
		}
	}
}

func reminderKey(registrationID int64) string { return "reg-" + strconv.FormatInt(registrationID, 10) }

// reminderSeats adds the first sitting of a published ticket to a reminder's
// payload: "note" (subject, date, time, room and seat) and "venue" (the
// address, shown in place of the plan's). A registration without a published
// ticket keeps the plan's place.
func (c *Core) reminderSeats(ctx context.Context, regID int64, payload map[string]any) error {
	t, err := c.db.Read().ExamTicketOf(ctx, regID)
	if repo.IsNoRows(err) || (err == nil && t.NotifiedRevision == 0) {
		return nil
	}
	if err != nil {
		return err
	}
	seats, err := c.db.Read().ExamSeatsOf(ctx, regID)
	if err != nil || len(seats) == 0 {
		return err
	}
	s := seats[0]
	payload["note"] = seatLine(s.Subject, s.ExamDate, s.StartTime+"–"+s.EndTime, s.Room, s.SeatNo)
	payload["venue"] = s.Venue
	payload["ticket_no"] = t.TicketNo
	return nil
}
