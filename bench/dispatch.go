package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"time"

	"skillcert/domain"
	"skillcert/internal/notifytest"
	"skillcert/notify"
	"skillcert/repo"
	"skillcert/wechat"
	"skillcert/wechat/fake"
)

func init() {
	register(Scenario{Name: "dispatch", Run: benchDispatch,
		Help: "outbox dispatch of 10,000 events to a fake WeChat answering at once, unlimited and at SKILLCERT_PUSH_RATE (500/s when unset)"})
}

// dispatchEvents is the number of events of each run: half subscribe messages,
// half official-account template messages.
const dispatchEvents = 10000

// dispatchRun is one measured run.
type dispatchRun struct {
	Name        string  `json:"name"`
	Dispatchers int     `json:"dispatchers"`
	Workers     int     `json:"workers_each"`
	Rate        float64 `json:"rate_limit_per_s"` // 0 = unlimited
	Events      int     `json:"events"`
	Seconds     float64 `json:"seconds"`
	PerSecond   float64 `json:"events_per_s"`
	MaxIn1s     int     `json:"max_sends_in_any_1s"` // sliding one-second window
	Duplicates  int     `json:"duplicates"`
	Missing     int     `json:"missing"`
}

func benchDispatch(ctx context.Context, env *Env) (any, error) {
	db := env.App.DB
	fk := fake.New(fake.Options{})
	srv := httptest.NewServer(fk)
	defer srv.Close()
	client, err := wechat.New(wechat.Config{MPAppID: fake.DefaultMPAppID, MPSecret: fake.DefaultMPSecret,
		OAAppID: fake.DefaultOAAppID, OASecret: fake.DefaultOASecret, APIBase: srv.URL}, nil)
	if err != nil {
		return nil, err
	}
	tpl := notify.DefaultTemplates()
	for k, e := range tpl.Events {
		e.Subscribe.TemplateID, e.Official.TemplateID = "S-"+k, "O-"+k
		tpl.Events[k] = e
	}
	plan, err := notifytest.Plan(ctx, db, notifytest.PlanSpec{No: "BENCH-DISPATCH"})
	if err != nil {
		return nil, err
	}
	half := dispatchEvents / 2
	subs, err := notifytest.Population(ctx, db, plan, "bench-sub", "approved", half)
	if err != nil {
		return nil, err
	}
	fols, err := notifytest.Population(ctx, db, plan, "bench-fol", "approved", half)
	if err != nil {
		return nil, err
	}
	if err := notifytest.Followers(ctx, db, fols); err != nil {
		return nil, err
	}
	for _, p := range fols {
		fk.AddFollower("oa-" + p.OpenID)
	}
	rate := 500.0
	if v, err := strconv.ParseFloat(os.Getenv("SKILLCERT_PUSH_RATE"), 64); err == nil && v > 0 {
		rate = v
	}
	b := &dispatchBench{db: db, fake: fk, client: client, tpl: tpl, subs: subs, fols: fols}
	var runs []dispatchRun
	for i, r := range []dispatchRun{
		{Name: "unlimited, 1 dispatcher", Dispatchers: 1, Workers: 8},
		{Name: "unlimited, 2 dispatchers", Dispatchers: 2, Workers: 8},
		{Name: "rate-limited, 1 dispatcher", Dispatchers: 1, Workers: 8, Rate: rate},
	} {
		if err := b.run(ctx, i, &r); err != nil {
			return nil, err
		}
		fmt.Printf("%-28s %6d events in %6.2fs = %7.1f/s  max in 1s %5d  duplicates %d missing %d\n",
			r.Name, r.Events, r.Seconds, r.PerSecond, r.MaxIn1s, r.Duplicates, r.Missing)
		runs = append(runs, r)
	}
	return map[string]any{"runs": runs, "engine": env.Engine}, nil
}

type dispatchBench struct {
	db     *repo.DB
	fake   *fake.Server
	client *wechat.Client
	tpl    *notify.Templates
	subs   []notifytest.Person
	fols   []notifytest.Person
}

// run enqueues a fresh batch (the subscribe half with one consent each, at WeChat
// and in our count), dispatches it and checks that every event went out once.
func (b *dispatchBench) run(ctx context.Context, n int, r *dispatchRun) error {
	kind := domain.EventRegistrationApproved
	tid := b.tpl.Spec(kind).Subscribe.TemplateID
	if err := notifytest.Credits(ctx, b.db, b.subs, tid); err != nil {
		return err
	}
	events := make([]notifytest.Event, 0, dispatchEvents)
	for i := range b.subs {
		b.fake.GrantSubscribe(b.subs[i].OpenID, tid, 1)
		for _, p := range []notifytest.Person{b.subs[i], b.fols[i]} {
			events = append(events, notifytest.Event{Kind: kind, CandidateID: p.ID, RegistrationID: p.Registration,
				Key: fmt.Sprintf("run%d-%d", n, p.ID)})
		}
	}
	if err := notifytest.Enqueue(ctx, b.db, events...); err != nil {
		return err
	}
	before := len(b.fake.Sent())
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	start := time.Now()
	var ds []*notify.Dispatcher
	for i := range r.Dispatchers {
		d := notify.New(notify.Deps{DB: b.db, Sender: b.client, Templates: b.tpl, Log: log}, notify.Config{
			Workers: r.Workers, PollInterval: 10 * time.Millisecond, Rate: r.Rate, ID: fmt.Sprintf("bench-%d-%d", n, i)})
		d.Start(ctx)
		ds = append(ds, d)
	}
	for {
		var pending int
		if err := b.db.R.GetContext(ctx, &pending, "SELECT COUNT(*) FROM outbox WHERE state = 'pending'"); err != nil {
			return err
		}
		if pending == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	elapsed := time.Since(start)
	for _, d := range ds {
		d.Shutdown()
	}
	sent := b.fake.Sent()[before:]
	r.Events, r.Seconds = len(events), elapsed.Seconds()
	r.PerSecond = float64(len(sent)) / elapsed.Seconds()
	r.MaxIn1s = maxInWindow(sent, time.Second)
	seen := map[string]int{}
	for _, m := range sent {
		seen[m.ToOpenID]++
	}
	for _, c := range seen {
		r.Duplicates += c - 1
	}
	r.Missing = len(events) - len(seen)
	return nil
}

// maxInWindow is the most messages the fake accepted within any window.
func maxInWindow(sent []fake.SentMessage, w time.Duration) int {
	ts := make([]time.Time, len(sent))
	for i, m := range sent {
		ts[i] = m.Time
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	best, lo := 0, 0
	for hi := range ts {
		for ts[hi].Sub(ts[lo]) >= w {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}
