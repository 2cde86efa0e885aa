package notify_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/internal/notifytest"
	"skillcert/internal/testenv"
	"skillcert/repo"
	"skillcert/wechat/fake"
)

// 10,000 events, two dispatchers sharing one MariaDB; one is killed mid-way (its
// context cancelled and its database handle closed, so whatever it was sending
// is left in doubt). Every event must reach WeChat exactly once: half go as
// subscribe messages (one consent per template each), half as official-account
// template messages.
func TestTenThousandEventsTwoDispatchersOneKilled(t *testing.T) {
	h := newHarness(t, testenv.NewDSN(t, "mysql"))
	kinds := []string{domain.EventRegistrationSubmitted, domain.EventRegistrationApproved,
		domain.EventRegistrationReturned, domain.EventResultPublished, domain.EventCertStage}
	const perGroup = 1000 // people per channel; each gets one event of every kind
	subs, err := notifytest.Population(h.ctx, h.db, h.plan, "sub", string(domain.StatusApproved), perGroup)
	if err != nil {
		t.Fatal(err)
	}
	fols, err := notifytest.Population(h.ctx, h.db, h.plan, "fol", string(domain.StatusApproved), perGroup)
	if err != nil {
		t.Fatal(err)
	}
	var tids []string
	for _, k := range kinds {
		tids = append(tids, h.tpl.Spec(k).Subscribe.TemplateID)
	}
	if err := notifytest.Credits(h.ctx, h.db, subs, tids...); err != nil {
		t.Fatal(err)
	}
	if err := notifytest.Followers(h.ctx, h.db, fols); err != nil {
		t.Fatal(err)
	}
	var events []notifytest.Event
	for i := range perGroup { // interleaved, so both channels are busy when the kill comes
		for j, k := range kinds {
			h.fake.GrantSubscribe(subs[i].OpenID, tids[j], 1)
			for _, p := range []notifytest.Person{subs[i], fols[i]} {
				events = append(events, notifytest.Event{Kind: k, CandidateID: p.ID, RegistrationID: p.Registration,
					Payload: `{"stage":"reported_national"}`, Key: fmt.Sprintf("%d", p.ID)})
			}
		}
	}
	for _, p := range fols {
		h.fake.AddFollower("oa-" + p.OpenID)
	}
	if err := notifytest.Enqueue(h.ctx, h.db, events...); err != nil {
		t.Fatal(err)
	}
	total := len(events)
	h.fake.SetLatency(2 * time.Millisecond) // keep sends on the wire when the kill comes

	cfg := h.cfg()
	cfg.Workers, cfg.Lease, cfg.PollInterval = 8, 3*time.Second, 20*time.Millisecond
	dbA, err := repo.Open(h.ctx, h.dsn, repo.Options{MaxOpenConns: 16})
	if err != nil {
		t.Fatal(err)
	}
	ctxA, killA := context.WithCancel(h.ctx)
	cfg.ID = "A"
	a := h.dispatcherOn(dbA, cfg)
	a.Start(ctxA)
	cfg.ID = "B"
	b := h.dispatcherOn(h.db, cfg)
	b.Start(h.ctx)
	defer b.Shutdown()

	sends := func() int { return h.fake.Calls(fake.PathSubscribe) + h.fake.Calls(fake.PathTemplate) }
	start := time.Now()
	for sends() < total*3/10 {
		if time.Since(start) > 3*time.Minute {
			t.Fatalf("only %d sends after 3 minutes", sends())
		}
		time.Sleep(5 * time.Millisecond)
	}
	killA() // a crash: nothing more reaches the database from A
	dbA.Close()
	a.Shutdown()
	t.Logf("killed A after %d sends (%s)", sends(), time.Since(start).Round(time.Millisecond))

	h.waitSettled(5 * time.Minute)
	t.Logf("all %d events settled in %s; %v sends in doubt resolved", total, time.Since(start).Round(time.Millisecond),
		h.metric("skillcert_push_in_doubt_total"))

	got := map[string]int{}
	for _, m := range h.fake.Sent() {
		got[m.ToOpenID+" "+m.TemplateID]++
	}
	if len(h.fake.Sent()) != total || len(got) != total {
		t.Errorf("WeChat accepted %d messages for %d distinct events, want %d and %d", len(h.fake.Sent()), len(got), total, total)
	}
	for k, n := range got {
		if n != 1 {
			t.Errorf("%s: %d messages", k, n)
		}
	}
	var states []struct {
		State   string `db:"state"`
		Channel string `db:"channel"`
		N       int    `db:"n"`
	}
	if err := h.db.W.SelectContext(h.ctx, &states, "SELECT state, channel, COUNT(*) AS n FROM outbox GROUP BY state, channel"); err != nil {
		t.Fatal(err)
	}
	for _, s := range states {
		if s.State != repo.OutboxSent || s.N != total/2 {
			t.Errorf("%d rows %s on %s, want %d sent per channel", s.N, s.State, s.Channel, total/2)
		}
	}
}
