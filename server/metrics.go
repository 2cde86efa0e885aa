package server

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics is the process's Prometheus registry (one per App, so tests can run
// several servers in one process) with the HTTP request series.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "skillcert_http_requests_total", Help: "HTTP requests by route, method and status.",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "skillcert_http_request_duration_seconds", Help: "HTTP request latency by route, method and status.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route", "method", "status"})
	m.reg.MustRegister(m.requests, m.latency)
	return m
}

// middleware records every request under its route pattern (never the raw path,
// which would let clients grow the series without bound).
func (m *metrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		st := strconv.Itoa(c.Response().Status)
		m.requests.WithLabelValues(route, c.Request().Method, st).Inc()
		m.latency.WithLabelValues(route, c.Request().Method, st).Observe(time.Since(start).Seconds())
		return nil
	}
}

func (m *metrics) handler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg}))
}

// Registry returns the App's Prometheus registry, for workers that add series.
func (a *App) Registry() *prometheus.Registry { return a.metrics.reg }

// demoMode sets skillcert_demo_mode: 1 in demo mode (demo.go), else 0.
func (m *metrics) demoMode(on bool) {
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "skillcert_demo_mode", Help: "1 when the server runs in demo mode (WeChat simulated in-process, anyone signs in as anyone).",
	})
	if on {
		g.Set(1)
	}
	m.reg.MustRegister(g)
}
