package notify

import (
	"context"
	"errors"
	"time"

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
	cctx, cancel := dbContext(ctx)
	c, err := d.choose(cctx, ev, p.skip)
	cancel()
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
	bctx, cancel := dbContext(ctx) // after the wait, which may be long at a low rate
	err = d.begin(bctx, j, ev, &c)
	cancel()
	switch {
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
