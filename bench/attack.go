package main

import (
	"fmt"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Figures is one attack's outcome.
type Figures struct {
	Name        string         `json:"name"`
	Requests    uint64         `json:"requests"`
	RatePerSec  float64        `json:"offered_rate_per_sec"` // 0 = as fast as possible
	Throughput  float64        `json:"throughput_per_sec"`
	Success     float64        `json:"success_ratio"`
	P50ms       float64        `json:"p50_ms"`
	P90ms       float64        `json:"p90_ms"`
	P99ms       float64        `json:"p99_ms"`
	MaxMs       float64        `json:"max_ms"`
	StatusCodes map[string]int `json:"status_codes"`
	Errors      []string       `json:"errors,omitempty"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// attack drives targets at a rate (0 = as fast as the workers go) for d.
func attack(name string, targets []vegeta.Target, rate int, d time.Duration, workers uint64) Figures {
	return attackWith(name, vegeta.NewStaticTargeter(targets...), rate, d, workers)
}

// attackWith is attack with a targeter that makes each request (e.g. a fresh
// message id per request).
func attackWith(name string, tr vegeta.Targeter, rate int, d time.Duration, workers uint64) Figures {
	atk := vegeta.NewAttacker(vegeta.Workers(workers), vegeta.MaxWorkers(workers), vegeta.KeepAlive(true),
		vegeta.Connections(int(workers)), vegeta.Timeout(30*time.Second))
	r := vegeta.Rate{Freq: rate, Per: time.Second}
	var m vegeta.Metrics
	for res := range atk.Attack(tr, r, d, name) {
		m.Add(res)
	}
	m.Close()
	f := Figures{Name: name, Requests: m.Requests, RatePerSec: float64(rate), Throughput: m.Throughput,
		Success: m.Success, P50ms: ms(m.Latencies.P50), P90ms: ms(m.Latencies.P90), P99ms: ms(m.Latencies.P99),
		MaxMs: ms(m.Latencies.Max), StatusCodes: m.StatusCodes}
	if len(m.Errors) > 5 {
		m.Errors = m.Errors[:5]
	}
	f.Errors = m.Errors
	return f
}

func get(url string) vegeta.Target { return vegeta.Target{Method: http.MethodGet, URL: url} }

func printFigures(rows ...Figures) {
	fmt.Printf("%-34s %9s %10s %8s %8s %8s %8s\n", "attack", "requests", "req/s", "ok", "p50 ms", "p99 ms", "max ms")
	for _, f := range rows {
		fmt.Printf("%-34s %9d %10.0f %7.1f%% %8.2f %8.2f %8.2f\n", f.Name, f.Requests, f.Throughput, 100*f.Success, f.P50ms, f.P99ms, f.MaxMs)
	}
}
