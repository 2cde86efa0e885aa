package notify_test

import (
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/notify"
	"skillcert/repo"
	"skillcert/wechat"
	"skillcert/wechat/fake"
)

// Two dispatchers (two replicas' adapters) sharing the access token in Redis:
// the token fetched first serves both, and no send is ever refused for a token
// another replica replaced.
func TestDispatchersShareTokenInRedis(t *testing.T) {
	rdb, prefix := testenv.SharedRedisKeys(t)

	h := newHarness(t, testenv.NewDSN(t, "sqlite"))
	var people []person
	for range 100 {
		p := h.person(h.plan)
		h.follow(&p)
		people = append(people, p)
	}
	for i := range 2 {
		client, err := wechat.New(wechat.Config{OAAppID: fake.DefaultOAAppID, OASecret: fake.DefaultOASecret,
			APIBase: h.url, Timeout: time.Second}, wechat.NewRedisCache(rdb, prefix))
		if err != nil {
			t.Fatal(err)
		}
		cfg := h.cfg()
		cfg.ID = []string{"A", "B"}[i]
		d := notify.New(notify.Deps{DB: h.db, Sender: client, Templates: h.tpl, Metrics: h.m}, cfg)
		d.Start(h.ctx)
		t.Cleanup(d.Shutdown)
	}
	h.fake.ResetCalls()
	for _, p := range people {
		h.enqueue(p, domain.EventRegistrationApproved, "{}")
	}
	h.waitSettled(20 * time.Second)
	// Both may fetch at their very first send, before either stored the token;
	// stable tokens make that harmless, and nothing fetches again afterwards.
	if got := h.fake.Calls(fake.PathStableToken); got < 1 || got > 2 {
		t.Errorf("%d token fetches for two dispatchers and %d events, want 1 or 2", got, len(people))
	}
	if got := h.fake.Calls(fake.PathTemplate); got != len(people) {
		t.Errorf("%d template calls for %d events: some were refused", got, len(people))
	}
	var sent int
	if err := h.db.R.Get(&sent, "SELECT COUNT(*) FROM outbox WHERE state = ?", repo.OutboxSent); err != nil || sent != len(people) {
		t.Errorf("%d sent (%v), want %d", sent, err, len(people))
	}
}
