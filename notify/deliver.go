package notify

import (
	"context"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"skillcert/repo"
	"skillcert/wechat"
)

// deliver sends one claimed event: on the first channel available, moving on to
// the next when the user gave no consent or WeChat refused the content, and
// records the outcome.
func (d *Dispatcher) deliver(ctx context.Context, j job) {
	lctx, cancel := dbContext(ctx)
	ev, err := d.load(lctx, &j.row)
	cancel()
	if err != nil {
		d.reschedule(ctx, j, j.row.Attempts+1, "load event: "+err.Error())
		return
	}
	if ev.skip != "" {
		d.finish(ctx, j, repo.OutboxResult{State: repo.OutboxSkipped, LastError: ev.skip})
		return
	}
	p := &progress{skip: map[string]bool{}}
	for range 4 { // an open delivery, then at most one new one per channel
		if d.attempt(ctx, j, ev, p) {
			return
		}
	}
	d.finishWithout(ctx, j, ev, p)
}

// progress is what delivering one event has learnt so far.
type progress struct {
	skip     map[string]bool // channels done with: no consent, content refused, consent used up
	refused  string          // the last channel whose content WeChat refused
	lastNote string          // why the last channel did not take it
}

// attempt makes one send of an event on the next channel and records it. It
// reports whether the event is settled for now (sent, finished, rescheduled or
// released); false means go on with the next channel.
func (d *Dispatcher) attempt(ctx context.Context, j job, ev *event, p *progress) bool {
	dctx, cancel := dbContext(ctx)
	defer cancel()
	c, err := d.choose(dctx, ev, p.skip)
	switch {
	case err != nil:
		d.reschedule(ctx, j, ev.attempts+1, "choose channel: "+err.Error())
		return true
	case c.done:
		d.finish(ctx, j, repo.OutboxResult{State: repo.OutboxSent, Channel: c.channel, LastError: p.lastNote})
		return true
	case c.channel == "":
		d.finishWithout(ctx, j, ev, p)
		return true
	}
	if c.inDoubt {
		d.m.inDoubt.WithLabelValues(c.channel, d.m.kind(ev.row.Kind)).Inc()
	}
	if err := d.limiter.Wait(d.stopCtx); err != nil {
		d.release(ctx, j)
		return true
	}
	switch err := d.begin(dctx, j, ev, &c); {
	case errors.Is(err, errNoCredit):
		p.skip[repo.ChannelSubscribe] = true
		return false
	case errors.Is(err, repo.ErrClaimLost):
		d.log.Warn("outbox claim lost before sending; another dispatcher has the row", "outbox_id", j.row.ID)
		return true
	case err != nil:
		d.reschedule(ctx, j, ev.attempts+1, "record attempt: "+err.Error())
		return true
	}
	ev.attempts++
	start := time.Now()
	err = d.sendOne(ctx, ev, &c)
	d.m.latency.WithLabelValues(c.channel).Observe(time.Since(start).Seconds())
	o, uncertain := classify(ctx, err)
	if d.settle(ctx, j, ev, &c, o, uncertain, err) {
		return true
	}
	// No consent, or content refused: this channel is done, try the next.
	p.skip[c.channel] = true
	p.lastNote = c.channel + ": " + errText(err)
	if o == outRefused {
		p.refused = c.channel
	}
	return false
}

// sendOne renders the event for the chosen channel and sends it.
func (d *Dispatcher) sendOne(ctx context.Context, ev *event, c *choice) error {
	page := renderPage(ev.spec.Page, ev.facts)
	if c.channel == repo.ChannelSubscribe {
		return d.send.SendSubscribe(ctx, wechat.SubscribeMessage{
			ToOpenID: c.recipient, TemplateID: c.templateID, Page: page,
			MiniprogramState: d.tpl.MiniprogramState, Data: renderData(ev.spec.Subscribe, ev.facts),
		})
	}
	m := wechat.TemplateMessage{
		ToOpenID: c.recipient, TemplateID: c.templateID, Data: renderData(ev.spec.Official, ev.facts),
		ClientMsgID: clientMsgID(ev.row.ID),
	}
	if d.cfg.MiniAppID != "" {
		m.MiniAppID, m.MiniPagePath = d.cfg.MiniAppID, page
	}
	return d.send.SendTemplate(ctx, m)
}

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
	err := d.db.WithTx(dctx, func(tx *sqlx.Tx) error { return fn(dctx, tx) })
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
