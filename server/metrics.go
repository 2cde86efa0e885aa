package server

import (
	"context"
	"crypto/subtle"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"skillcert/internal/redisguard"
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

// watchRedis adds the Redis series: how many operations fell back to the
// database (or memory) because it was down (always exported, 0 without Redis),
// and, when Redis is configured (g not nil), whether it is up.
func (m *metrics) watchRedis(g *redisguard.Guard) {
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "skillcert_redis_fallbacks_total",
		Help: "Operations served by the database (or memory) because Redis was down.",
	}, func() float64 {
		if g == nil {
			return 0
		}
		return float64(g.Fallbacks())
	}))
	if g == nil {
		return
	}
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "skillcert_redis_up", Help: "1 while Redis answers, 0 while it is marked down.",
		}, func() float64 {
			if down, _, _ := g.State(); down {
				return 0
			}
			return 1
		}))
}

// metricsToken lets a request through only with "Authorization: Bearer <token>"
// (compared in constant time); anything else is 404, as if there were no route.
func metricsToken(token string) echo.MiddlewareFunc {
	want := []byte("Bearer " + token)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if subtle.ConstantTimeCompare([]byte(c.Request().Header.Get("Authorization")), want) != 1 {
				return echo.ErrNotFound
			}
			return next(c)
		}
	}
}

// MetricsHandler is the Prometheus handler of the App (what SKILLCERT_METRICS_ADDR serves).
func (a *App) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(a.metrics.reg, promhttp.HandlerOpts{Registry: a.metrics.reg})
}

// serveMetrics serves /metrics alone on SKILLCERT_METRICS_ADDR until ctx ends
// ("off": not at all). A port already taken is logged, not fatal: the service
// matters more than its metrics.
func (a *App) serveMetrics(ctx context.Context) {
	addr := a.Cfg.MetricsAddr
	if addr == "" || addr == "off" {
		return
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		a.Log.Error("metrics listener (SKILLCERT_METRICS_ADDR)", "addr", addr, "err", err)
		return
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.MetricsHandler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	a.workers.Add(1)
	go func() {
		defer a.workers.Done()
		<-ctx.Done()
		_ = srv.Close()
	}()
	a.Log.Info("metrics listening", "url", "http://"+ln.Addr().String()+"/metrics")
	go func() { _ = srv.Serve(ln) }()
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
