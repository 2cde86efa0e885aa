package notify

import (
	"context"
	"log/slog"
	"time"
)

// ReminderSource enqueues the exam reminders that are due (core.Core does:
// EnqueueExamReminders) and says how many it enqueued.
type ReminderSource interface {
	EnqueueExamReminders(ctx context.Context) (int, error)
}

// RegistrationReminderSource also enqueues the reminders of drafts near their
// deadline and of returns not resubmitted (core.Core does:
// EnqueueRegistrationReminders). Reminders runs it when Source has it.
type RegistrationReminderSource interface {
	EnqueueRegistrationReminders(ctx context.Context) (int, error)
}

// Reminders is the exam reminder scheduler: a ticker that asks Source to enqueue
// the reminders that are due. Every replica may run one: the outbox's
// de-duplication key makes each reminder once.
type Reminders struct {
	Source ReminderSource
	Every  time.Duration // 1 min when zero
	Log    *slog.Logger  // slog.Default when nil
	Wake   func()        // called after reminders were enqueued (e.g. Dispatcher.Wake); optional
}

// Run checks at once and then every Every, until ctx ends.
func (r Reminders) Run(ctx context.Context) {
	if r.Every <= 0 {
		r.Every = time.Minute
	}
	if r.Log == nil {
		r.Log = slog.Default()
	}
	t := time.NewTicker(r.Every)
	defer t.Stop()
	for {
		n, err := r.Source.EnqueueExamReminders(ctx)
		if rs, ok := r.Source.(RegistrationReminderSource); ok && err == nil {
			var m int
			m, err = rs.EnqueueRegistrationReminders(ctx)
			n += m
		}
		switch {
		case err != nil && ctx.Err() == nil:
			r.Log.Warn("exam reminders", "err", err)
		case n > 0:
			r.Log.Info("exam reminders enqueued", "count", n)
			if r.Wake != nil {
				r.Wake()
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
