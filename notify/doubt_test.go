package notify_test

import (
	"fmt"
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/repo"
	"skillcert/wechat"
)

// crashMidSend plays a dispatcher that claimed the only due row, recorded its
// send (taking a consent for a subscribe message) and died — after the message
// reached WeChat when delivered is true, before it did otherwise. Its lease ends
// 300 ms later.
func (h *harness) crashMidSend(p person, id int64, channel string, delivered bool) {
	h.t.Helper()
	kind := h.row(id).Kind
	now := repo.Now()
	rows, err := h.db.ClaimOutbox(h.ctx, "dead/1", now, now.Add(300*time.Millisecond), 10)
	if err != nil || len(rows) != 1 || rows[0].ID != id {
		h.t.Fatalf("claim: %v %v", rows, err)
	}
	dl := repo.Delivery{OutboxID: id, Channel: channel, StartedAt: now}
	err = h.db.WithTx(h.ctx, func(tx repo.Tx) error {
		if err := tx.TouchOutboxAttempt(h.ctx, id, "dead/1"); err != nil {
			return err
		}
		if channel == repo.ChannelSubscribe {
			dl.Recipient, dl.TemplateID = p.openID, h.tpl.Spec(kind).Subscribe.TemplateID
			if ok, err := tx.TakeSubscribeCredit(h.ctx, p.id, dl.TemplateID, now); err != nil || !ok {
				return fmt.Errorf("take credit: %v %v", ok, err)
			}
			left, err := tx.SubscribeCredit(h.ctx, p.id, dl.TemplateID)
			if err != nil {
				return err
			}
			dl.SoleCredit = left == 0
		} else {
			dl.Recipient, dl.TemplateID = p.oa, h.tpl.Spec(kind).Official.TemplateID
		}
		return tx.InsertDelivery(h.ctx, &dl)
	})
	if err != nil {
		h.t.Fatal(err)
	}
	if !delivered {
		return
	}
	data := map[string]string{"thing1": "人工智能训练师", "phrase2": "审核通过", "time3": "2026年11月27日 10:00", "thing4": "请按时参加评价"}
	if channel == repo.ChannelSubscribe {
		err = h.client.SendSubscribe(h.ctx, wechat.SubscribeMessage{ToOpenID: p.openID, TemplateID: dl.TemplateID, Data: data})
	} else {
		err = h.client.SendTemplate(h.ctx, wechat.TemplateMessage{ToOpenID: p.oa, TemplateID: dl.TemplateID, Data: data,
			ClientMsgID: fmt.Sprintf("skillcert-%d", id)})
	}
	if err != nil {
		h.t.Fatal(err)
	}
}

// The policy for sends in doubt (see the package doc), case by case: whether the
// dead dispatcher's message reached WeChat or not, the user gets it exactly once
// on the official account (client_msg_id) and, when the send took the last
// consent, on the subscribe channel (the 43101 probe).
func TestInDoubtResolvedExactly(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		kind := domain.EventRegistrationApproved
		for _, tc := range []struct {
			channel   string
			delivered bool
		}{
			{repo.ChannelTemplate, true}, {repo.ChannelTemplate, false},
			{repo.ChannelSubscribe, true}, {repo.ChannelSubscribe, false},
		} {
			t.Run(fmt.Sprintf("%s/delivered=%v", tc.channel, tc.delivered), func(t *testing.T) {
				h := newHarness(t, testenv.NewDSN(t, engineOf(dsn)))
				p := h.person(h.plan)
				h.follow(&p) // a second channel that must stay unused
				if tc.channel == repo.ChannelSubscribe {
					h.credit(p, kind, 1)
				}
				id := h.enqueue(p, kind, "{}")
				h.crashMidSend(p, id, tc.channel, tc.delivered)
				h.dispatcher(h.cfg())
				h.waitSettled(10 * time.Second)
				r := h.row(id)
				if r.State != repo.OutboxSent || r.Channel != tc.channel {
					t.Fatalf("state %s channel %s, want sent on %s", r.State, r.Channel, tc.channel)
				}
				if n := len(h.fake.Sent()); n != 1 {
					t.Fatalf("WeChat accepted %d messages, want exactly 1: %+v", n, h.fake.Sent())
				}
				if v := h.metricReaches(1, "skillcert_push_in_doubt_total", "channel", tc.channel); v != 1 {
					t.Errorf("in_doubt metric %v, want 1", v)
				}
			})
		}
	})
}

// When WeChat cannot tell (the send in doubt left the user other consents), the
// message is sent again: a possible duplicate rather than a loss.
func TestInDoubtUnknowablePrefersResend(t *testing.T) {
	h := newHarness(t, testenv.NewDSN(t, "sqlite"))
	kind := domain.EventRegistrationApproved
	p := h.person(h.plan)
	h.credit(p, kind, 2)
	id := h.enqueue(p, kind, "{}")
	h.crashMidSend(p, id, repo.ChannelSubscribe, false)
	h.dispatcher(h.cfg())
	h.waitSettled(10 * time.Second)
	if r := h.row(id); r.State != repo.OutboxSent || len(h.fake.Sent()) != 1 {
		t.Fatalf("state %s, %d messages", r.State, len(h.fake.Sent()))
	}
	if c := h.credits(p, kind); c != 1 {
		t.Errorf("credits %d, want 1 (one used, by the send in doubt)", c)
	}
}

// Shutdown is safe twice and before Start; a dispatcher shut down before it
// started never starts.
func TestShutdownTwice(t *testing.T) {
	h := newHarness(t, testenv.NewDSN(t, "sqlite"))
	d := h.dispatcherOn(h.db, h.cfg())
	d.Shutdown()
	d.Shutdown()
	d.Start(h.ctx)
	p := h.person(h.plan)
	id := h.enqueue(p, domain.EventRegistrationApproved, "{}")
	time.Sleep(50 * time.Millisecond)
	if r := h.row(id); r.State != repo.OutboxPending {
		t.Fatalf("a stopped dispatcher delivered: %s", r.State)
	}
	d2 := h.dispatcherOn(h.db, h.cfg())
	d2.Start(h.ctx)
	h.waitSettled(5 * time.Second)
	d2.Shutdown()
	d2.Shutdown()
}
