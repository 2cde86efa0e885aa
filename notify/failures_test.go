package notify_test

import (
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/internal/notifytest"
	"skillcert/internal/testenv"
	"skillcert/repo"
	"skillcert/wechat/fake"
)

// 40001 (token invalidated elsewhere) and 42001 (expired): the adapter fetches a
// token once more and the message goes out once, in one try.
func TestTokenRefetch(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		h := newHarness(t, dsn)
		kind := domain.EventRegistrationApproved
		p := h.person(h.plan)
		h.credit(p, kind, 3)
		first := h.enqueue(p, kind, "{}")
		h.dispatcher(h.cfg())
		h.waitSettled(10 * time.Second)
		before := h.fake.Calls(fake.PathStableToken)

		h.fake.InvalidateTokens() // the next send answers 40001
		second := h.enqueue(p, kind, "{}")
		h.waitSettled(10 * time.Second)
		h.fake.ExpireTokens() // the next send answers 42001
		third := h.enqueue(p, kind, "{}")
		h.waitSettled(10 * time.Second)

		for _, id := range []int64{first, second, third} {
			if r := h.row(id); r.State != repo.OutboxSent || r.Attempts != 1 {
				t.Errorf("row %d: state %s attempts %d, want sent after 1", id, r.State, r.Attempts)
			}
		}
		if n := len(h.sentTo(p.openID)); n != 3 {
			t.Fatalf("%d messages, want 3", n)
		}
		if got := h.fake.Calls(fake.PathStableToken) - before; got != 2 {
			t.Errorf("%d token fetches after the first send, want 2 (one per rejected token)", got)
		}
		if h.fake.Calls(fake.PathSubscribe) != 5 {
			t.Errorf("%d subscribe calls, want 5 (3 + one rejected per bad token)", h.fake.Calls(fake.PathSubscribe))
		}
	})
}

// -1 and 45009 are retried with backoff; the message goes out once.
func TestTransientRetries(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		h := newHarness(t, dsn)
		kind := domain.EventExamReminder
		p := h.person(h.newPlan(notifytest.PlanSpec{EvalStart: "2099-01-02"}))
		h.credit(p, kind, 1)
		h.fake.FailNext(2, -1)
		h.fake.FailNext(1, 45009)
		h.fake.FailNextHTTP(fake.PathSubscribe, 1, 502)
		id := h.enqueue(p, kind, `{"eval_start":"2099-01-02"}`)
		h.dispatcher(h.cfg())
		h.waitSettled(10 * time.Second)
		r := h.row(id)
		if r.State != repo.OutboxSent || r.Attempts != 5 {
			t.Fatalf("state %s attempts %d, want sent after 5", r.State, r.Attempts)
		}
		m := h.sentTo(p.openID)
		if len(m) != 1 {
			t.Fatalf("%d messages, want 1", len(m))
		}
		if m[0].Data["time2"] != "2099年01月02日" {
			t.Errorf("time2 = %q", m[0].Data["time2"])
		}
		if v := h.metricReaches(4, "skillcert_push_retried_total", "channel", "subscribe", "event", kind); v != 4 {
			t.Errorf("retried = %v, want 4", v)
		}
		// The 502 left the delivery in doubt; the resend after it took the same,
		// last consent (sole credit), so it was exact.
		dels := h.deliveries(id)
		if len(dels) != 1 || dels[0].Attempts != 5 || !dels[0].SoleCredit {
			t.Errorf("deliveries %+v", dels)
		}
	})
}

// After MaxTries transient failures the row is failed, listed for admins, and
// the consent WeChat never used is given back.
func TestGiveUp(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		h := newHarness(t, dsn)
		kind := domain.EventRegistrationRejected
		p := h.person(h.plan)
		h.credit(p, kind, 1)
		h.fake.FailNext(3, 45011)
		id := h.enqueue(p, kind, `{"reason":"不符合报考条件"}`)
		cfg := h.cfg()
		cfg.MaxTries = 3
		h.dispatcher(cfg)
		h.waitSettled(10 * time.Second)
		r := h.row(id)
		if r.State != repo.OutboxFailed || r.Attempts != 3 || r.Channel != repo.ChannelSubscribe {
			t.Fatalf("state %s attempts %d channel %s, want failed after 3 on subscribe", r.State, r.Attempts, r.Channel)
		}
		if got := h.fake.Calls(fake.PathSubscribe); got != 3 {
			t.Errorf("%d sends, want 3", got)
		}
		if c := h.credits(p, kind); c != 1 {
			t.Errorf("credits %d, want the unused consent back (1)", c)
		}
		rows, total, err := h.db.FailedOutbox(h.ctx, 10, 0)
		if err != nil || total != 1 || len(rows) != 1 || rows[0].ID != id {
			t.Fatalf("failed list %v %d %v", rows, total, err)
		}
		if v := h.metricReaches(1, "skillcert_push_failed_total", "event", kind); v != 1 {
			t.Errorf("failed metric %v", v)
		}
		if v := h.metricReaches(1, "skillcert_push_queue_depth", "state", "failed"); v != 1 {
			t.Errorf("queue depth failed %v", v)
		}

		// Requeued by an admin once WeChat is well again: it goes out.
		if ok, err := h.db.RequeueOutbox(h.ctx, id, repo.Now()); err != nil || !ok {
			t.Fatalf("requeue: %v %v", ok, err)
		}
		h.waitSettled(10 * time.Second)
		if r := h.row(id); r.State != repo.OutboxSent || len(h.sentTo(p.openID)) != 1 {
			t.Fatalf("after requeue: state %s, %d messages", r.State, len(h.sentTo(p.openID)))
		}
	})
}

// Content WeChat refuses (47003) fails that channel and moves on to the next.
func TestRefusedContentMovesOn(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		h := newHarness(t, dsn)
		kind := domain.EventRegistrationSubmitted
		p := h.person(h.plan)
		h.credit(p, kind, 1)
		h.follow(&p)
		h.fake.FailNextOn(fake.PathSubscribe, 1, 47003)
		id := h.enqueue(p, kind, "{}")
		h.dispatcher(h.cfg())
		h.waitSettled(10 * time.Second)
		if r := h.row(id); r.State != repo.OutboxSent || r.Channel != repo.ChannelTemplate {
			t.Fatalf("state %s channel %s, want sent on template", r.State, r.Channel)
		}
		if c := h.credits(p, kind); c != 1 {
			t.Errorf("credits %d, want the refused message's consent back", c)
		}
	})
}
