package notify

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"skillcert/domain"
	"skillcert/repo"
)

// Metrics are the dispatcher's Prometheus series, shared by the dispatchers of
// one process. Event kinds outside the known list are counted as "other", so
// labels stay bounded.
type Metrics struct {
	sent     *prometheus.CounterVec
	retried  *prometheus.CounterVec
	failed   *prometheus.CounterVec
	fallback *prometheus.CounterVec
	inDoubt  *prometheus.CounterVec
	appOnly  *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	kinds    map[string]bool
}

// NewMetrics builds the series and registers them with reg (none when reg is
// nil), together with the queue depth, read from db at each scrape.
func NewMetrics(reg prometheus.Registerer, db *repo.DB, t *Templates) *Metrics {
	if t == nil {
		t = DefaultTemplates()
	}
	lc := []string{"channel", "event"}
	m := &Metrics{
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillcert_push_sent_total", Help: "Messages WeChat accepted, by channel and event kind."}, lc),
		retried: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillcert_push_retried_total", Help: "Sends that failed transiently and were rescheduled."}, lc),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillcert_push_failed_total", Help: "Sends refused for good (bad content) or given up after the last try."}, lc),
		fallback: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillcert_push_fallback_total", Help: "Sends without consent (43101, 43004) that moved on to the next channel."}, lc),
		inDoubt: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillcert_push_in_doubt_total", Help: "Deliveries found in doubt (a send whose outcome was unknown) and resolved by policy."}, lc),
		appOnly: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillcert_push_app_only_total", Help: "Events with no WeChat channel, shown in the app only."}, []string{"event"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "skillcert_push_send_seconds", Help: "Duration of one send to WeChat.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, []string{"channel"}),
		kinds: map[string]bool{},
	}
	for _, k := range t.Kinds() {
		m.kinds[k] = true
	}
	for k := range kindTexts {
		m.kinds[k] = true
	}
	// Sends and failures are exported at zero from the start, so dashboards and
	// alerts (deploy/) see the series before the first message.
	for _, k := range append(slices.Collect(maps.Keys(m.kinds)), "other") {
		for _, ch := range []string{domain.ChannelSubscribe, domain.ChannelTemplate} {
			m.sent.WithLabelValues(ch, k)
			m.failed.WithLabelValues(ch, k)
		}
	}
	if reg != nil {
		reg.MustRegister(m.sent, m.retried, m.failed, m.fallback, m.inDoubt, m.appOnly, m.latency,
			&depthCollector{db: db, m: m})
	}
	return m
}

func (m *Metrics) kind(k string) string {
	if m.kinds[k] {
		return k
	}
	return "other"
}

// depthCollector reports the outbox's pending and failed rows at each scrape
// (across every replica: it reads the database).
type depthCollector struct {
	db *repo.DB
	m  *Metrics
}

var depthDesc = prometheus.NewDesc("skillcert_push_queue_depth",
	"Outbox rows waiting (pending) or given up (failed), by event kind.", []string{"event", "state"}, nil)

func (c *depthCollector) Describe(ch chan<- *prometheus.Desc) { ch <- depthDesc }

func (c *depthCollector) Collect(ch chan<- prometheus.Metric) {
	if c.db == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	rows, err := c.db.OutboxDepths(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(depthDesc, err)
		return
	}
	sum := map[[2]string]float64{}
	for _, r := range rows {
		sum[[2]string{c.m.kind(r.Kind), r.State}] += float64(r.N)
	}
	for k, n := range sum {
		ch <- prometheus.MustNewConstMetric(depthDesc, prometheus.GaugeValue, n, k[0], k[1])
	}
}
