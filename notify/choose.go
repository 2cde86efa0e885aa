package notify

import (
	"context"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"skillcert/repo"
)

// choice is the channel an event goes out on next.
type choice struct {
	channel    string // "" when no channel is left
	recipient  string
	templateID string
	done       bool           // a delivery of the event was already sent
	resume     *repo.Delivery // the open delivery this send continues, if any
	inDoubt    bool           // an earlier send of this delivery may have gone through
	sole       bool           // subscribe: it took the user's last consent for the template
}

// errNoCredit: the subscribe credit seen when choosing was used by another event
// before this one could take it.
var errNoCredit = errors.New("no subscribe credit left")

// choose picks the next channel: an open delivery first (a retry, or a send in
// doubt), then a subscribe message if the candidate has a consent for the
// event's template, then an official-account message if the candidate is linked
// to a follower. Channels already tried, and those in skip, are passed over.
func (d *Dispatcher) choose(ctx context.Context, ev *event, skip map[string]bool) (choice, error) {
	tried := map[string]bool{}
	for i := range ev.dels {
		dl := &ev.dels[i]
		tried[dl.Channel] = true
		if dl.State == repo.DeliverySent {
			return choice{channel: dl.Channel, done: true}, nil
		}
	}
	for i := range ev.dels {
		dl := &ev.dels[i]
		if dl.Open() && !skip[dl.Channel] {
			// A delivery still "sending" was left by a claimer that died mid-send.
			return choice{channel: dl.Channel, recipient: dl.Recipient, templateID: dl.TemplateID, resume: dl,
				inDoubt: dl.InDoubt || dl.State == repo.DeliverySending, sole: dl.SoleCredit}, nil
		}
	}
	if !ev.hasRcpt {
		return choice{}, nil
	}
	cand := ev.row.CandidateID.Int64
	if sub := ev.spec.Subscribe; sub.Enabled() && ev.rcpt.OpenID != "" && !tried[repo.ChannelSubscribe] && !skip[repo.ChannelSubscribe] {
		n, err := d.db.SubscribeCredit(ctx, d.db.R, cand, sub.TemplateID)
		if err != nil {
			return choice{}, err
		}
		if n > 0 {
			return choice{channel: repo.ChannelSubscribe, recipient: ev.rcpt.OpenID, templateID: sub.TemplateID}, nil
		}
	}
	if oa := ev.spec.Official; oa.Enabled() && !tried[repo.ChannelTemplate] && !skip[repo.ChannelTemplate] {
		openID, err := d.db.FollowerOpenID(ctx, d.db.R, cand, ev.rcpt.UnionID)
		if err != nil {
			return choice{}, err
		}
		if openID != "" {
			return choice{channel: repo.ChannelTemplate, recipient: openID, templateID: oa.TemplateID}, nil
		}
	}
	return choice{}, nil
}

// begin records a send before it is made, in one transaction guarded by the
// claim: the attempt is counted, and either the open delivery is resumed or a new
// one is written in state sending — for a subscribe message together with the
// consent it uses (errNoCredit when none is left).
func (d *Dispatcher) begin(ctx context.Context, j job, ev *event, c *choice) error {
	now := utc(d.now())
	return d.db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
		if err := d.db.TouchOutboxAttempt(ctx, tx, j.row.ID, j.token); err != nil {
			return err
		}
		if c.resume != nil {
			return d.db.ResumeDelivery(ctx, tx, c.resume.ID, c.inDoubt, now)
		}
		if c.channel == repo.ChannelSubscribe {
			if err := d.takeCredit(ctx, tx, ev, c, now); err != nil {
				return err
			}
		}
		dl := &repo.Delivery{OutboxID: j.row.ID, Channel: c.channel, Recipient: c.recipient,
			TemplateID: c.templateID, SoleCredit: c.sole, StartedAt: now}
		if err := d.db.InsertDelivery(ctx, tx, dl); err != nil {
			return err
		}
		c.resume = dl
		return nil
	})
}

// takeCredit uses one subscribe consent and notes whether it was the user's last
// one with no other send of the template open (see the package doc: such a
// delivery, if ever in doubt, can be resolved exactly).
func (d *Dispatcher) takeCredit(ctx context.Context, tx *sqlx.Tx, ev *event, c *choice, now time.Time) error {
	cand := ev.row.CandidateID.Int64
	ok, err := d.db.TakeSubscribeCredit(ctx, tx, cand, c.templateID, now)
	if err != nil {
		return err
	}
	if !ok {
		return errNoCredit
	}
	left, err := d.db.SubscribeCredit(ctx, tx, cand, c.templateID)
	if err != nil {
		return err
	}
	others, err := d.db.OtherOpenSubscribeDeliveries(ctx, tx, c.recipient, c.templateID, ev.row.ID)
	if err != nil {
		return err
	}
	c.sole = left == 0 && others == 0
	return nil
}
