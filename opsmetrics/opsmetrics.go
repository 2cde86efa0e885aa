// Package opsmetrics exports the series an operator watches beside the request
// metrics: the outbox backlog and the age of its oldest row, registrations by
// status, plans open for registration and their seats left, whether the
// database answers, the connection pools, and rate-limit refusals.
//
// Database series are read at scrape time with a few cheap aggregate queries,
// cached for a few seconds so that several Prometheus servers (or a dashboard
// reload) do not multiply the work; nothing is counted per request. They are
// exported from the first scrape on, zero when there is nothing to count. The
// outbox and registration series read the shared database, so every replica
// reports the same values: aggregate them with max(), not sum().
package opsmetrics

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"skillcert/domain"
	"skillcert/repo"
)

// CacheFor is how long one reading of the database series is reused.
const CacheFor = 5 * time.Second

// Deps is what the collectors read.
type Deps struct {
	DB       *repo.DB
	Now      func() time.Time         // time.Now when nil
	Refusals func() map[string]uint64 // rate-limit refusals by limit (ratelimit.Limiter.Refusals)
	Limits   []string                 // every limit name, exported at zero before its first refusal
}

// Register adds the series to reg.
func Register(reg prometheus.Registerer, d Deps) {
	if d.Now == nil {
		d.Now = time.Now
	}
	reg.MustRegister(&dbCollector{d: d})
	reg.MustRegister(collectors.NewDBStatsCollector(d.DB.W.DB, "write"))
	if d.DB.R.DB != d.DB.W.DB { // SQLite: a separate pool for plain reads
		reg.MustRegister(collectors.NewDBStatsCollector(d.DB.R.DB, "read"))
	}
	if d.Refusals != nil {
		reg.MustRegister(&refusalCollector{read: d.Refusals, names: d.Limits})
	}
}

var (
	dbUpDesc = prometheus.NewDesc("skillcert_db_up",
		"1 when the last reading of the database series succeeded, 0 when the database did not answer.", nil, nil)
	backlogDesc = prometheus.NewDesc("skillcert_outbox_pending",
		"Outbox rows waiting to be sent (all replicas: read from the database).", nil, nil)
	oldestDesc = prometheus.NewDesc("skillcert_outbox_oldest_pending_age_seconds",
		"Age of the oldest outbox row waiting to be sent; 0 when none waits.", nil, nil)
	regsDesc = prometheus.NewDesc("skillcert_registrations",
		"Registrations by status (draft, submitted, approved, returned, rejected, cancelled).", []string{"status"}, nil)
	openPlansDesc = prometheus.NewDesc("skillcert_open_plans",
		"Published plans whose registration window includes today (Beijing time).", nil, nil)
	seatsLeftDesc = prometheus.NewDesc("skillcert_open_plan_seats_left",
		"Seats left over all plans open for registration today.", nil, nil)
	refusalsDesc = prometheus.NewDesc("skillcert_rate_limit_refusals_total",
		"Attempts refused by a rate limit in this process, by limit (login, code-guess, …).", []string{"limit"}, nil)
)

// reading is one cached reading of the database series.
type reading struct {
	at        time.Time
	ok        bool
	pending   int
	oldestAge float64
	byStatus  map[string]int
	openPlans int
	seatsLeft int
}

type dbCollector struct {
	d    Deps
	mu   sync.Mutex // one reading at a time; concurrent scrapes share it
	last reading
}

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dbUpDesc, backlogDesc, oldestDesc, regsDesc, openPlansDesc, seatsLeftDesc} {
		ch <- d
	}
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	r := c.read()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	if !r.ok {
		gauge(dbUpDesc, 0)
		return
	}
	gauge(dbUpDesc, 1)
	gauge(backlogDesc, float64(r.pending))
	gauge(oldestDesc, r.oldestAge)
	for _, s := range domain.Statuses() {
		gauge(regsDesc, float64(r.byStatus[string(s)]), string(s))
	}
	gauge(openPlansDesc, float64(r.openPlans))
	gauge(seatsLeftDesc, float64(r.seatsLeft))
}

// read returns the cached reading, or a new one when it is older than CacheFor.
func (c *dbCollector) read() reading {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.d.Now()
	if !c.last.at.IsZero() && now.Sub(c.last.at) < CacheFor && now.After(c.last.at) {
		return c.last
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c.last = query(ctx, c.d.DB, now)
	c.last.at = now
	return c.last
}

func query(ctx context.Context, db *repo.DB, now time.Time) reading {
	r := reading{byStatus: map[string]int{}}
	n, oldest, err := db.OutboxBacklog(ctx)
	if err != nil {
		return r
	}
	r.pending = n
	if !oldest.IsZero() && now.After(oldest) {
		r.oldestAge = now.Sub(oldest).Seconds()
	}
	counts, err := db.RegistrationsByStatus(ctx)
	if err != nil {
		return r
	}
	for _, sc := range counts {
		r.byStatus[string(sc.Status)] = sc.N
	}
	if r.openPlans, r.seatsLeft, err = db.OpenPlanSeats(ctx, domain.TodayBeijing(now)); err != nil {
		return r
	}
	r.ok = true
	return r
}

type refusalCollector struct {
	read  func() map[string]uint64
	names []string
}

func (c *refusalCollector) Describe(ch chan<- *prometheus.Desc) { ch <- refusalsDesc }

func (c *refusalCollector) Collect(ch chan<- prometheus.Metric) {
	got := c.read()
	for _, n := range c.names {
		ch <- prometheus.MustNewConstMetric(refusalsDesc, prometheus.CounterValue, float64(got[n]), n)
	}
}
