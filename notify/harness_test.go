package notify_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"skillcert/domain"
	"skillcert/internal/notifytest"
	"skillcert/notify"
	"skillcert/repo"
	"skillcert/wechat"
	"skillcert/wechat/fake"
)

// harness is one database, one fake WeChat API over HTTP and the real adapter
// pointed at it. The adapter's HTTP client is process-wide: tests using a
// harness must not run in parallel.
type harness struct {
	t      *testing.T
	ctx    context.Context
	dsn    string
	db     *repo.DB
	fake   *fake.Server
	url    string // the fake's base URL
	client *wechat.Client
	tpl    *notify.Templates
	reg    *prometheus.Registry
	m      *notify.Metrics
	plan   int64
	seq    int
}

func newHarness(t *testing.T, dsn string) *harness {
	t.Helper()
	ctx := context.Background()
	h := &harness{t: t, ctx: ctx, dsn: dsn}
	var err error
	if h.db, err = notifytest.Open(ctx, h.dsn, 32); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.db.Close() })
	h.fake = fake.New(fake.Options{})
	srv := httptest.NewServer(h.fake)
	t.Cleanup(srv.Close)
	h.url = srv.URL
	h.client, err = wechat.New(wechat.Config{
		MPAppID: fake.DefaultMPAppID, MPSecret: fake.DefaultMPSecret,
		OAAppID: fake.DefaultOAAppID, OASecret: fake.DefaultOASecret,
		APIBase: srv.URL, Timeout: time.Second,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.tpl = testTemplates()
	h.reg = prometheus.NewRegistry()
	h.m = notify.NewMetrics(h.reg, h.db, h.tpl)
	h.plan = h.newPlan(notifytest.PlanSpec{})
	return h
}

// testTemplates is the built-in configuration with a subscribe and an official
// template id for every event kind: "S-<kind>" and "O-<kind>".
func testTemplates() *notify.Templates {
	t := notify.DefaultTemplates()
	for k, e := range t.Events {
		e.Subscribe.TemplateID = "S-" + k
		e.Official.TemplateID = "O-" + k
		t.Events[k] = e
	}
	return t
}

func (h *harness) cfg() notify.Config {
	return notify.Config{Workers: 4, PollInterval: 10 * time.Millisecond, Lease: 3 * time.Second,
		MaxTries: 5, RetryBase: 5 * time.Millisecond, RetryMax: 20 * time.Millisecond, MiniAppID: fake.DefaultMPAppID}
}

// dispatcher starts a dispatcher that is shut down at the end of the test.
func (h *harness) dispatcher(cfg notify.Config) *notify.Dispatcher {
	d := h.dispatcherOn(h.db, cfg)
	d.Start(h.ctx)
	h.t.Cleanup(d.Shutdown)
	return d
}

func (h *harness) dispatcherOn(db *repo.DB, cfg notify.Config) *notify.Dispatcher {
	return notify.New(notify.Deps{DB: db, Sender: h.client, Templates: h.tpl, Metrics: h.m, Log: h.quietLog()}, cfg)
}

// quietLog logs errors only.
func (h *harness) quietLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
}

func (h *harness) newPlan(s notifytest.PlanSpec) int64 {
	h.t.Helper()
	h.seq++
	if s.No == "" {
		s.No = fmt.Sprintf("T%d", h.seq)
	}
	id, err := notifytest.Plan(h.ctx, h.db, s)
	if err != nil {
		h.t.Fatal(err)
	}
	return id
}

// person is a candidate with an approved registration on a plan.
type person struct {
	id, reg int64
	openID  string // mini-program
	oa      string // official account, when a follower
}

func (h *harness) person(plan int64) person {
	h.t.Helper()
	h.seq++
	p := person{openID: fmt.Sprintf("mp-%d", h.seq)}
	var err error
	if p.id, err = notifytest.Candidate(h.ctx, h.db, p.openID, "", "张三"); err != nil {
		h.t.Fatal(err)
	}
	if p.reg, err = notifytest.Registration(h.ctx, h.db, plan, p.id, string(domain.StatusApproved)); err != nil {
		h.t.Fatal(err)
	}
	return p
}

// credit gives the person n consents for kind's subscribe template, both in our
// count and at WeChat.
func (h *harness) credit(p person, kind string, n int) {
	h.t.Helper()
	tid := h.tpl.Spec(kind).Subscribe.TemplateID
	if err := notifytest.Credit(h.ctx, h.db, p.id, tid, n); err != nil {
		h.t.Fatal(err)
	}
	h.fake.GrantSubscribe(p.openID, tid, n)
}

// follow makes the person a follower of the official account, bound to them.
func (h *harness) follow(p *person) {
	h.t.Helper()
	p.oa = "oa-" + p.openID
	if err := notifytest.Follower(h.ctx, h.db, p.oa, p.id); err != nil {
		h.t.Fatal(err)
	}
	h.fake.AddFollower(p.oa)
}

func (h *harness) enqueue(p person, kind, payload string) int64 {
	h.t.Helper()
	h.seq++
	key := fmt.Sprintf("k%d", h.seq)
	if err := notifytest.Enqueue(h.ctx, h.db, notifytest.Event{Kind: kind, CandidateID: p.id,
		RegistrationID: p.reg, Payload: payload, Key: key}); err != nil {
		h.t.Fatal(err)
	}
	var id int64
	if err := h.db.W.GetContext(h.ctx, &id, "SELECT id FROM outbox WHERE dedupe_key = ?", kind+":"+key); err != nil {
		h.t.Fatal(err)
	}
	return id
}

// waitSettled waits until no outbox row is pending.
func (h *harness) waitSettled(timeout time.Duration) {
	h.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var n int
		if err := h.db.W.GetContext(h.ctx, &n, "SELECT COUNT(*) FROM outbox WHERE state = 'pending'"); err != nil {
			h.t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%d outbox rows still pending after %s", n, timeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (h *harness) row(id int64) repo.OutboxRow {
	h.t.Helper()
	r, err := h.db.GetOutbox(h.ctx, h.db.W, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

func (h *harness) deliveries(id int64) []repo.Delivery {
	h.t.Helper()
	d, err := h.db.Deliveries(h.ctx, h.db.W, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

func (h *harness) credits(p person, kind string) int {
	h.t.Helper()
	n, err := h.db.SubscribeCredit(h.ctx, h.db.W, p.id, h.tpl.Spec(kind).Subscribe.TemplateID)
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// sentTo returns the messages the fake accepted for a recipient.
func (h *harness) sentTo(openID string) []fake.SentMessage {
	var out []fake.SentMessage
	for _, m := range h.fake.Sent() {
		if m.ToOpenID == openID {
			out = append(out, m)
		}
	}
	return out
}

// metricReaches waits up to 5 s for metric(name, match...) to be want and
// returns the last value read: a counter is increased just after its row's
// commit, so it may trail waitSettled by a moment.
func (h *harness) metricReaches(want float64, name string, match ...string) float64 {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		v := h.metric(name, match...)
		if v == want || time.Now().After(deadline) {
			return v
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// metric sums a counter's series whose labels contain every pair in match.
func (h *harness) metric(name string, match ...string) float64 {
	h.t.Helper()
	fams, err := h.reg.Gather()
	if err != nil {
		h.t.Fatal(err)
	}
	sum := 0.0
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			for i := 0; i+1 < len(match); i += 2 {
				if labels[match[i]] != match[i+1] {
					continue next
				}
			}
			switch {
			case m.GetCounter() != nil:
				sum += m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				sum += m.GetGauge().GetValue()
			}
		}
	}
	return sum
}

func runes(s string) int { return len([]rune(s)) }

func hasPrefix(s, p string) bool { return strings.HasPrefix(s, p) }

func engineOf(dsn string) string {
	if repo.IsMySQLDSN(dsn) {
		return "mysql"
	}
	return "sqlite"
}
