package notify_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/notify"
	"skillcert/repo"
	"skillcert/wechat"
)

// stuckSender never gets an answer from WeChat: its sends hang until the
// dispatcher's context ends, as sends on the wire when a replica dies.
type stuckSender struct{ started *atomic.Int32 }

func (s stuckSender) SendSubscribe(ctx context.Context, _ wechat.SubscribeMessage) error {
	s.started.Add(1)
	<-ctx.Done()
	return ctx.Err()
}

func (s stuckSender) SendTemplate(ctx context.Context, _ wechat.TemplateMessage) error {
	s.started.Add(1)
	<-ctx.Done()
	return ctx.Err()
}

// stuckDispatcher starts dispatcher id on its own database handle, sending
// through a stuckSender, and waits until it holds every pending row and has
// all its workers on the wire. kill is a crash: nothing more reaches the
// database from it.
func (h *harness) stuckDispatcher(cfg notify.Config, rows int) (kill func()) {
	h.t.Helper()
	db, err := repo.Open(h.ctx, h.dsn, repo.Options{MaxOpenConns: 8})
	if err != nil {
		h.t.Fatal(err)
	}
	started := new(atomic.Int32)
	ctx, cancel := context.WithCancel(h.ctx)
	d := notify.New(notify.Deps{DB: db, Sender: stuckSender{started}, Templates: h.tpl, Metrics: h.m,
		Log: h.quietLog()}, cfg)
	d.Start(ctx)
	deadline := time.Now().Add(20 * time.Second)
	for int(started.Load()) < cfg.Workers || h.claimedBy(cfg.ID) < rows {
		if time.Now().After(deadline) {
			h.t.Fatalf("dispatcher %s: %d sends started, %d rows claimed", cfg.ID, started.Load(), h.claimedBy(cfg.ID))
		}
		time.Sleep(10 * time.Millisecond)
	}
	return func() {
		cancel()
		db.Close()
		d.Shutdown()
	}
}

// claimedBy counts the pending rows claimed by dispatcher id (any run).
func (h *harness) claimedBy(id string) int {
	h.t.Helper()
	var n int
	if err := h.db.W.GetContext(h.ctx, &n, "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND claimed_by LIKE ?", id+"/%"); err != nil {
		h.t.Fatal(err)
	}
	return n
}

// followers makes n followers of the official account with one event each.
func (h *harness) followers(n int) []person {
	h.t.Helper()
	var out []person
	for range n {
		p := h.person(h.plan)
		h.follow(&p)
		h.enqueue(p, domain.EventRegistrationApproved, `{}`)
		out = append(out, p)
	}
	return out
}

// exactlyOnce checks that every follower got exactly one message.
func (h *harness) exactlyOnce(ps []person) {
	h.t.Helper()
	for _, p := range ps {
		if n := len(h.sentTo(p.oa)); n != 1 {
			h.t.Errorf("%s got %d messages, want 1", p.oa, n)
		}
	}
}

// A dispatcher holds 8 rows (4 on the wire, 4 queued) with the default lease
// (10 s). While it lives, its heartbeat keeps them past the lease: another
// dispatcher takes none. Once it dies, the other sends all of them within 15 s,
// each exactly once (the 4 begun are in doubt and resent with their
// client_msg_id, which WeChat de-duplicates).
func TestDeadDispatcherRowsAreTakenOverWithinSeconds(t *testing.T) {
	h := newHarness(t, testenv.NewDSN(t, "mysql"))
	ps := h.followers(8)
	cfg := h.cfg()
	cfg.Lease, cfg.PollInterval, cfg.ID = 0, 0, "A" // the defaults: a 10 s lease, a 1 s poll
	kill := h.stuckDispatcher(cfg, len(ps))
	cfg.ID = "B"
	h.dispatcher(cfg)

	time.Sleep(12 * time.Second) // longer than a lease
	if n := h.claimedBy("A"); n != len(ps) {
		t.Fatalf("after a lease, the live dispatcher A holds %d rows, want %d: its claims were taken over", n, len(ps))
	}
	if n := len(h.fake.Sent()); n != 0 {
		t.Fatalf("B sent %d messages of rows A holds", n)
	}

	kill()
	start := time.Now()
	h.waitSettled(time.Minute)
	took := time.Since(start)
	t.Logf("the rows of the dead dispatcher were all sent %s after it died", took.Round(time.Millisecond))
	if took >= 15*time.Second {
		t.Errorf("took %s, want < 15 s", took)
	}
	h.exactlyOnce(ps)
}

// A dispatcher killed while holding rows restarts under the same name: it
// hands back its previous run's claims at once and sends them, long before
// their lease (1 minute here) ends, each exactly once.
func TestRestartedDispatcherTakesBackItsClaims(t *testing.T) {
	h := newHarness(t, testenv.NewDSN(t, "mysql"))
	ps := h.followers(8)
	cfg := h.cfg()
	cfg.Lease, cfg.PollInterval, cfg.ID = time.Minute, 0, "replica-1"
	kill := h.stuckDispatcher(cfg, len(ps))
	kill()

	start := time.Now()
	h.dispatcher(cfg) // the same name, a new run
	h.waitSettled(time.Minute)
	took := time.Since(start)
	t.Logf("the restarted dispatcher sent its previous run's rows in %s", took.Round(time.Millisecond))
	if took >= 15*time.Second {
		t.Errorf("took %s: the restart waited for the lease", took)
	}
	h.exactlyOnce(ps)
}
