package notify_test

import (
	"fmt"
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/internal/notifytest"
	"skillcert/internal/testenv"
	"skillcert/repo"
	"skillcert/wechat/fake"
)

// Each channel choice: a consent → subscribe message; no consent but a follower
// → official-account template message; neither → shown in the app only; both →
// the subscribe message.
func TestChannelChoice(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		h := newHarness(t, dsn)
		kind := domain.EventRegistrationApproved
		sub, oa, none, both := h.person(h.plan), h.person(h.plan), h.person(h.plan), h.person(h.plan)
		h.credit(sub, kind, 1)
		h.follow(&oa)
		h.credit(both, kind, 1)
		h.follow(&both)
		ids := map[string]int64{}
		for name, p := range map[string]person{"sub": sub, "oa": oa, "none": none, "both": both} {
			ids[name] = h.enqueue(p, kind, "{}")
		}
		h.dispatcher(h.cfg())
		h.waitSettled(10 * time.Second)

		want := map[string][2]string{
			"sub": {repo.OutboxSent, repo.ChannelSubscribe}, "oa": {repo.OutboxSent, repo.ChannelTemplate},
			"none": {repo.OutboxAppOnly, repo.ChannelApp}, "both": {repo.OutboxSent, repo.ChannelSubscribe},
		}
		for name, w := range want {
			r := h.row(ids[name])
			if r.State != w[0] || r.Channel != w[1] {
				t.Errorf("%s: state %s channel %s, want %s %s", name, r.State, r.Channel, w[0], w[1])
			}
		}
		m := h.sentTo(sub.openID)
		if len(m) != 1 || m[0].Kind != fake.KindSubscribe || m[0].TemplateID != "S-"+kind {
			t.Fatalf("subscribe messages to sub: %+v", m)
		}
		if want := fmt.Sprintf("pages/record/record?id=%d", sub.reg); m[0].Page != want {
			t.Errorf("page %q, want %q", m[0].Page, want)
		}
		if m[0].Data["phrase2"] != "审核通过" || m[0].Data["thing1"] != "人工智能训练师" {
			t.Errorf("data %v", m[0].Data)
		}
		m = h.sentTo(oa.oa)
		if len(m) != 1 || m[0].Kind != fake.KindTemplate || m[0].TemplateID != "O-"+kind {
			t.Fatalf("template messages to oa: %+v", m)
		}
		if m[0].ClientMsgID != fmt.Sprintf("skillcert-%d", ids["oa"]) || m[0].MiniAppID != fake.DefaultMPAppID ||
			m[0].MiniPagePath != fmt.Sprintf("pages/record/record?id=%d", oa.reg) {
			t.Errorf("template message %+v", m[0])
		}
		if n := len(h.sentTo(both.oa)); n != 0 {
			t.Errorf("both: %d template messages, want none (the subscribe message went)", n)
		}
		if got := len(h.fake.Sent()); got != 3 {
			t.Errorf("fake accepted %d messages, want 3", got)
		}
		if v := h.metricReaches(2, "skillcert_push_sent_total", "channel", "subscribe", "event", kind); v != 2 {
			t.Errorf("sent{subscribe} = %v, want 2", v)
		}
		if v := h.metricReaches(1, "skillcert_push_app_only_total", "event", kind); v != 1 {
			t.Errorf("app_only = %v, want 1", v)
		}
	})
}

// Each accept is one send: two consents carry two messages, the third event is
// shown in the app only, and the count ends at zero on both sides.
func TestCreditCounting(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		h := newHarness(t, dsn)
		kind := domain.EventCertStage
		p := h.person(h.plan)
		h.credit(p, kind, 2)
		var ids []int64
		for _, st := range []domain.CertStage{domain.StageScoreEntered, domain.StageScorePublished, domain.StageResultApproved} {
			ids = append(ids, h.enqueue(p, kind, fmt.Sprintf(`{"stage":%q}`, st)))
		}
		h.dispatcher(h.cfg())
		h.waitSettled(10 * time.Second)
		if n := len(h.sentTo(p.openID)); n != 2 {
			t.Fatalf("%d messages, want 2", n)
		}
		states := map[string]int{}
		for _, id := range ids {
			states[h.row(id).State]++
		}
		if states[repo.OutboxSent] != 2 || states[repo.OutboxAppOnly] != 1 {
			t.Fatalf("states %v, want 2 sent and 1 app_only", states)
		}
		if c := h.credits(p, kind); c != 0 {
			t.Errorf("our count %d, want 0", c)
		}
		if c := h.fake.Credits(p.openID, "S-"+kind); c != 0 {
			t.Errorf("WeChat's count %d, want 0", c)
		}
		for _, m := range h.sentTo(p.openID) {
			if m.Page != fmt.Sprintf("pages/certificates/certificates?id=%d", p.reg) {
				t.Errorf("page %q", m.Page)
			}
		}
	})
}

// 43101: the consent we counted is gone at WeChat; the count is cleared and the
// event goes out on the official account instead.
func TestNoConsentFallsBack(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		h := newHarness(t, dsn)
		kind := domain.EventRegistrationReturned
		p := h.person(h.plan)
		h.follow(&p)
		tid := h.tpl.Spec(kind).Subscribe.TemplateID
		if err := notifytest.Credit(h.ctx, h.db, p.id, tid, 3); err != nil { // never granted at WeChat
			t.Fatal(err)
		}
		id := h.enqueue(p, kind, `{"reason":"所在单位与社保记录不符，请上传劳动合同"}`)
		h.dispatcher(h.cfg())
		h.waitSettled(10 * time.Second)
		r := h.row(id)
		if r.State != repo.OutboxSent || r.Channel != repo.ChannelTemplate {
			t.Fatalf("state %s channel %s, want sent template", r.State, r.Channel)
		}
		m := h.sentTo(p.oa)
		if len(m) != 1 || m[0].Data["thing4"] != "所在单位与社保记录不符，请上传劳动合同" {
			t.Fatalf("template messages %+v", m)
		}
		if c := h.credits(p, kind); c != 0 {
			t.Errorf("credits %d after 43101, want 0", c)
		}
		dels := h.deliveries(id)
		if len(dels) != 2 || dels[0].Channel != repo.ChannelSubscribe || dels[0].State != repo.DeliveryNoConsent ||
			dels[1].State != repo.DeliverySent {
			t.Errorf("deliveries %+v", dels)
		}
		if v := h.metricReaches(1, "skillcert_push_fallback_total", "channel", "subscribe"); v != 1 {
			t.Errorf("fallback = %v, want 1", v)
		}
	})
}

// A follower who left (43004) is recorded as gone; the event is shown in the app.
func TestUnfollowedFallsToApp(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		h := newHarness(t, dsn)
		p := h.person(h.plan)
		h.follow(&p)
		h.fake.RemoveFollower(p.oa)
		id := h.enqueue(p, domain.EventRegistrationSubmitted, "{}")
		h.dispatcher(h.cfg())
		h.waitSettled(10 * time.Second)
		if r := h.row(id); r.State != repo.OutboxAppOnly {
			t.Fatalf("state %s, want app_only", r.State)
		}
		if oa, err := h.db.FollowerOpenID(h.ctx, h.db.W, p.id, ""); err != nil || oa != "" {
			t.Fatalf("follower still linked: %q %v", oa, err)
		}
	})
}

// A supervisor's reply to a feedback opens the feedback's page and carries the reply.
func TestFeedbackReply(t *testing.T) {
	h := newHarness(t, testenv.NewDSN(t, "sqlite"))
	p := h.person(h.plan)
	h.credit(p, domain.EventFeedbackReplied, 1)
	h.enqueue(p, domain.EventFeedbackReplied, `{"note":"已联系评价机构核实考场安排","category":"考务","feedback_id":7}`)
	h.dispatcher(h.cfg())
	h.waitSettled(10 * time.Second)
	m := h.sentTo(p.openID)
	if len(m) != 1 || m[0].Page != "pages/feedback/feedback?id=7" || m[0].Data["thing4"] != "已联系评价机构核实考场安排" ||
		m[0].Data["thing1"] != "督导反馈已答复" {
		t.Fatalf("messages %+v", m)
	}
}
