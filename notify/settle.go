package notify

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"skillcert/repo"
)

// settle records the outcome of a send; false when delivery should go on with
// the next channel.
func (d *Dispatcher) settle(ctx context.Context, j job, ev *event, c *choice, o outcome, uncertain bool, sendErr error) bool {
	kind, now := d.m.kind(ev.row.Kind), utc(d.now())
	cand := ev.row.CandidateID.Int64
	msg := errText(sendErr)
	switch o {
	case outSent:
		d.sent(ctx, j, c, "")
		return true
	case outNoConsent:
		if c.channel == repo.ChannelSubscribe && c.inDoubt && c.sole {
			// The probe of the package doc: the earlier send used the last consent.
			d.sent(ctx, j, c, "in doubt, resolved: 43101 on resend, the earlier send used the last consent")
			return true
		}
		d.m.fallback.WithLabelValues(c.channel, kind).Inc()
		d.tx(ctx, j, "record no consent", func(ctx context.Context, tx *sqlx.Tx) error {
			if err := d.db.SetDelivery(ctx, tx, c.resume.ID, repo.DeliveryNoConsent, c.inDoubt, msg, now); err != nil {
				return err
			}
			if c.channel == repo.ChannelSubscribe {
				return d.db.ClearSubscribeCredits(ctx, tx, cand, c.templateID, now)
			}
			return d.db.FollowerGone(ctx, tx, c.recipient, now)
		})
		return false
	case outRefused:
		d.m.failed.WithLabelValues(c.channel, kind).Inc()
		d.log.Warn("WeChat refused a message", "outbox_id", ev.row.ID, "event", ev.row.Kind, "channel", c.channel, "err", msg)
		d.tx(ctx, j, "record refusal", func(ctx context.Context, tx *sqlx.Tx) error {
			return d.closeDelivery(ctx, tx, ev, c, c.inDoubt, msg, now)
		})
		return false
	case outStopped:
		d.tx(ctx, j, "release", func(ctx context.Context, tx *sqlx.Tx) error {
			if err := d.db.SetDelivery(ctx, tx, c.resume.ID, repo.DeliveryRetry, c.inDoubt, "stopped before sending", now); err != nil {
				return err
			}
			return d.db.RescheduleOutbox(ctx, tx, j.row.ID, j.token, now, j.row.LastError)
		})
		return true
	}
	doubt := c.inDoubt || uncertain
	if ev.attempts >= d.cfg.MaxTries {
		d.m.failed.WithLabelValues(c.channel, kind).Inc()
		d.log.Warn("gave up on an event", "outbox_id", ev.row.ID, "event", ev.row.Kind, "channel", c.channel, "tries", ev.attempts, "err", msg)
		d.tx(ctx, j, "record give-up", func(ctx context.Context, tx *sqlx.Tx) error {
			if err := d.closeDelivery(ctx, tx, ev, c, doubt, msg, now); err != nil {
				return err
			}
			return d.db.FinishOutbox(ctx, tx, j.row.ID, j.token, repo.OutboxResult{
				State: repo.OutboxFailed, Channel: c.channel, LastError: c.channel + ": " + msg}, now)
		})
		return true
	}
	d.m.retried.WithLabelValues(c.channel, kind).Inc()
	next := now.Add(d.backoff(ev.attempts))
	d.tx(ctx, j, "record retry", func(ctx context.Context, tx *sqlx.Tx) error {
		if err := d.db.SetDelivery(ctx, tx, c.resume.ID, repo.DeliveryRetry, doubt, msg, now); err != nil {
			return err
		}
		return d.db.RescheduleOutbox(ctx, tx, j.row.ID, j.token, next, c.channel+": "+msg)
	})
	return true
}

// closeDelivery marks a delivery failed for good and, for a subscribe message
// WeChat certainly did not deliver, gives its consent back.
func (d *Dispatcher) closeDelivery(ctx context.Context, tx *sqlx.Tx, ev *event, c *choice, doubt bool, msg string, now time.Time) error {
	if err := d.db.SetDelivery(ctx, tx, c.resume.ID, repo.DeliveryFailed, doubt, msg, now); err != nil {
		return err
	}
	if c.channel == repo.ChannelSubscribe && !doubt {
		return d.db.ReturnSubscribeCredit(ctx, tx, ev.row.CandidateID.Int64, c.templateID, now)
	}
	return nil
}

// sent records a delivered event.
func (d *Dispatcher) sent(ctx context.Context, j job, c *choice, note string) {
	now := utc(d.now())
	ok := d.tx(ctx, j, "record sent", func(ctx context.Context, tx *sqlx.Tx) error {
		if err := d.db.SetDelivery(ctx, tx, c.resume.ID, repo.DeliverySent, false, note, now); err != nil {
			return err
		}
		return d.db.FinishOutbox(ctx, tx, j.row.ID, j.token, repo.OutboxResult{
			State: repo.OutboxSent, Channel: c.channel, LastError: note}, now)
	})
	if ok {
		d.m.sent.WithLabelValues(c.channel, d.m.kind(j.row.Kind)).Inc()
	}
}

// finishWithout ends an event no channel took: failed when WeChat refused its
// content on some channel (a configuration or data problem admins must see),
// shown in the app only otherwise.
func (d *Dispatcher) finishWithout(ctx context.Context, j job, ev *event, p *progress) {
	if p.refused != "" {
		d.finish(ctx, j, repo.OutboxResult{State: repo.OutboxFailed, Channel: p.refused, LastError: p.lastNote})
		return
	}
	if d.finish(ctx, j, repo.OutboxResult{State: repo.OutboxAppOnly, Channel: repo.ChannelApp, LastError: p.lastNote}) {
		d.m.appOnly.WithLabelValues(d.m.kind(ev.row.Kind)).Inc()
	}
}

// finish puts the row in a terminal state.
func (d *Dispatcher) finish(ctx context.Context, j job, r repo.OutboxResult) bool {
	return d.tx(ctx, j, "finish", func(ctx context.Context, tx *sqlx.Tx) error {
		return d.db.FinishOutbox(ctx, tx, j.row.ID, j.token, r, utc(d.now()))
	})
}

// reschedule puts the row back to be tried after a failure of our own (the
// database), without recording a send.
func (d *Dispatcher) reschedule(ctx context.Context, j job, n int, msg string) {
	d.log.Warn("event not delivered, will retry", "outbox_id", j.row.ID, "err", msg)
	next := utc(d.now()).Add(d.backoff(n))
	d.tx(ctx, j, "reschedule", func(ctx context.Context, tx *sqlx.Tx) error {
		return d.db.RescheduleOutbox(ctx, tx, j.row.ID, j.token, next, msg)
	})
}

// tx runs fn in a transaction that must happen even while the dispatcher stops.
// A failure is logged: the row keeps its claim until the lease ends and is then
// resolved by the next claimer (a delivery left "sending" is in doubt).
func (d *Dispatcher) tx(ctx context.Context, j job, what string, fn func(ctx context.Context, tx *sqlx.Tx) error) bool {
	dctx, cancel := dbContext(ctx)
	defer cancel()
	err := d.db.WithSQLTx(dctx, func(tx *sqlx.Tx) error { return fn(dctx, tx) })
	if err != nil {
		d.log.Error("notify: "+what, "outbox_id", j.row.ID, "err", err)
		return false
	}
	return true
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
