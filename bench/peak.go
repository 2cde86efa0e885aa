package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"skillcert/internal/burst"
)

func init() {
	register(Scenario{Name: "peak", Help: "an opening morning: 20,000 signed-in candidates with complete drafts over 20 plans of 60–500 seats submit in a burst plus a tail, amid plan searches and record reads; 10 s client timeout, busy answers retried as the mini-program does", Run: benchPeak})
}

// The peak scenario's shape. SKILLCERT_BENCH_PEAK_N sets the number of
// candidates (default 20,000), to find the largest burst taken without errors.
const (
	peakPlans        = 20
	peakBurstShare   = 0.45             // of the candidates, at the same moment (9,000 of 20,000)
	peakTail         = 50 * time.Second // the rest arrive spread over this, all within the minute
	peakTimeout      = 10 * time.Second // the client's patience
	peakBusyRetries  = 3                // as miniprogram/src/services/request.js
	peakMaxConns     = 9000             // client connections: with the server's own, under the 20,000 descriptors a process may open here
	peakReaders      = 16               // goroutines reading plans and records meanwhile
	peakMaxRetryWait = 5 * time.Second
)

// PeakReport is the peak scenario's report.
type PeakReport struct {
	Candidates int     `json:"candidates"`
	Plans      int     `json:"plans"`
	Seats      int     `json:"seats"`
	SetupMs    float64 `json:"setup_ms"`
	Burst      int     `json:"burst"`
	TailMs     float64 `json:"tail_ms"`
	WallMs     float64 `json:"wall_ms"`
	// Submits: each candidate's final answer.
	Accepted    int      `json:"accepted"`
	PlanFull    int      `json:"plan_full"`
	BusyGaveUp  int      `json:"busy_gave_up"`  // still busy after the retries
	BusyAnswers int      `json:"busy_answers"`  // 503/429 busy answers, retried or not
	ServerError int      `json:"server_errors"` // 5xx other than busy
	Timeouts    int      `json:"timeouts"`      // no answer within 10 s
	Other       int      `json:"other"`
	Samples     []string `json:"samples,omitempty"`
	AcceptedP50 float64  `json:"accepted_p50_ms"` // first send to the accepting answer, retries included
	AcceptedP99 float64  `json:"accepted_p99_ms"`
	AcceptedMax float64  `json:"accepted_max_ms"`
	// Reads alongside.
	Reads      int64   `json:"reads"`
	ReadErrors int64   `json:"read_errors"`
	ReadP99    float64 `json:"read_p99_ms"`
	// Requests that read their session from the database (the rest were
	// trusted from memory), submits and reads alike, from the burst's start to
	// the last answer.
	SessionReads int64 `json:"session_reads"`
	// Every plan filled exactly to its seats, or to its candidates when fewer (database count).
	PlansExact bool     `json:"plans_exact"`
	Mismatches []string `json:"mismatches,omitempty"`
}

type peakAnswer struct {
	status int
	code   string
	retry  time.Duration
	err    error
}

func benchPeak(ctx context.Context, env *Env) (any, error) {
	n := 20000
	if v := os.Getenv("SKILLCERT_BENCH_PEAK_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < peakPlans {
			return nil, fmt.Errorf("SKILLCERT_BENCH_PEAK_N=%q: want a number ≥ %d", v, peakPlans)
		}
	}
	t0 := time.Now()
	cands, err := burst.Candidates(ctx, env.App, "peak-openid", 0, n)
	if err != nil {
		return nil, err
	}
	// 20 plans of 60 to 500 seats; candidates dealt round the plans.
	rep := PeakReport{Candidates: n, Plans: peakPlans}
	planIDs := make([]int64, peakPlans)
	seats := make([]int, peakPlans)
	want := make([]int, peakPlans) // seats filled: all of them, unless fewer candidates
	wantAll := 0
	for p := 0; p < peakPlans; p++ {
		seats[p] = 60 + p*440/(peakPlans-1)
		var group []burst.Candidate
		for i := p; i < n; i += peakPlans {
			group = append(group, cands[i])
		}
		if planIDs[p], err = burst.Drafts(ctx, env.App, group, fmt.Sprintf("PEAK%02d", p), seats[p]); err != nil {
			return nil, err
		}
		for k, i := 0, p; i < n; k, i = k+1, i+peakPlans {
			cands[i].Reg = group[k].Reg
		}
		rep.Seats += seats[p]
		want[p] = min(seats[p], len(group))
		wantAll += want[p]
	}
	rep.SetupMs = ms(time.Since(t0))
	fmt.Printf("setup: %d candidates with complete drafts over %d plans (%d seats) in %s\n", n, peakPlans, rep.Seats, time.Since(t0).Round(time.Millisecond))

	client := &http.Client{Timeout: peakTimeout, Transport: &http.Transport{
		MaxConnsPerHost: peakMaxConns, MaxIdleConns: peakMaxConns, MaxIdleConnsPerHost: peakMaxConns, IdleConnTimeout: time.Minute}}
	send := func(req *http.Request) peakAnswer {
		res, err := client.Do(req)
		if err != nil {
			return peakAnswer{err: err}
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		code := ""
		if res.StatusCode/100 != 2 {
			code = burst.ErrorCode(body)
		}
		secs, _ := strconv.Atoi(res.Header.Get("Retry-After"))
		return peakAnswer{status: res.StatusCode, code: code, retry: time.Duration(secs) * time.Second}
	}

	// Readers: plan searches and the candidates' own records, until the submits end.
	stop := make(chan struct{})
	var reads, readErrs atomic.Int64
	readDur := make([][]time.Duration, peakReaders)
	var readers sync.WaitGroup
	for r := 0; r < peakReaders; r++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for i := r; ; i += peakReaders {
				select {
				case <-stop:
					return
				default:
				}
				var req *http.Request
				if i%2 == 0 {
					req, _ = http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/plans?page=%d", env.URL, 1+i%5), nil)
				} else {
					c := cands[i%n]
					req, _ = http.NewRequest(http.MethodGet, env.URL+"/api/v1/registrations", nil)
					req.Header.Set("Authorization", "Bearer "+c.Token)
				}
				t := time.Now()
				a := send(req)
				readDur[r] = append(readDur[r], time.Since(t))
				reads.Add(1)
				if a.err != nil || a.status != http.StatusOK {
					readErrs.Add(1)
				}
			}
		}()
	}

	// Submits: the burst at once, the tail spread over peakTail; a busy answer
	// is retried after its Retry-After (with jitter), up to three times.
	type outcome struct {
		last  peakAnswer
		busy  int
		took  time.Duration
		start time.Time
	}
	outs := make([]outcome, n)
	burstN := int(float64(n) * peakBurstShare)
	rep.Burst, rep.TailMs = burstN, ms(peakTail)
	_, read0 := env.App.Core.SessionsAuthenticated()
	start := time.Now()
	var wg sync.WaitGroup
	for i := range cands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i >= burstN {
				time.Sleep(time.Duration(float64(peakTail) * float64(i-burstN) / float64(n-burstN)))
			}
			o := outcome{start: time.Now()}
			for attempt := 0; ; attempt++ {
				o.last = send(burst.SubmitRequest(env.URL, cands[i]))
				busy := o.last.err == nil && (o.last.status == http.StatusServiceUnavailable || o.last.status == http.StatusTooManyRequests) && o.last.retry > 0
				if !busy {
					break
				}
				o.busy++
				if attempt == peakBusyRetries || o.last.retry > peakMaxRetryWait {
					break
				}
				wait := o.last.retry << attempt
				time.Sleep(wait + time.Duration(rand.Int64N(int64(wait/2)+1)))
			}
			o.took = time.Since(o.start)
			outs[i] = o
		}()
	}
	wg.Wait()
	rep.WallMs = ms(time.Since(start))
	close(stop)
	readers.Wait()
	_, read1 := env.App.Core.SessionsAuthenticated()
	rep.SessionReads = read1 - read0

	var acc []time.Duration
	for _, o := range outs {
		rep.BusyAnswers += o.busy
		a := o.last
		var ue interface{ Timeout() bool }
		switch {
		case a.err != nil && errors.As(a.err, &ue) && ue.Timeout():
			rep.Timeouts++
		case a.err != nil:
			rep.Other++
			rep.sample(a.err.Error())
		case a.status/100 == 2:
			rep.Accepted++
			acc = append(acc, o.took)
		case a.status == http.StatusConflict && a.code == "plan_full":
			rep.PlanFull++
		case a.code == "busy" || a.status == http.StatusTooManyRequests:
			rep.BusyGaveUp++
		case a.status >= 500:
			rep.ServerError++
			rep.sample(fmt.Sprintf("%d %s", a.status, a.code))
		default:
			rep.Other++
			rep.sample(fmt.Sprintf("%d %s", a.status, a.code))
		}
	}
	if len(acc) > 0 {
		slices.Sort(acc)
		rep.AcceptedP50, rep.AcceptedP99, rep.AcceptedMax = ms(acc[len(acc)/2]), ms(acc[len(acc)*99/100]), ms(acc[len(acc)-1])
	}
	var all []time.Duration
	for _, d := range readDur {
		all = append(all, d...)
	}
	rep.Reads, rep.ReadErrors = reads.Load(), readErrs.Load()
	if len(all) > 0 {
		slices.Sort(all)
		rep.ReadP99 = ms(all[len(all)*99/100])
	}
	rep.PlansExact = true
	for p, id := range planIDs {
		taken, err := env.App.DB.SeatsTaken(ctx, env.App.DB.R, id)
		if err != nil {
			return nil, err
		}
		var held int
		if err := env.App.DB.R.GetContext(ctx, &held, env.App.DB.R.Rebind("SELECT COUNT(*) FROM registrations WHERE plan_id = ? AND seat_held = 1"), id); err != nil {
			return nil, err
		}
		if taken != want[p] || held != want[p] {
			rep.PlansExact = false
			rep.Mismatches = append(rep.Mismatches, fmt.Sprintf("PEAK%02d: %d seats, %d taken, %d holding", p, seats[p], taken, held))
		}
	}
	if rep.Accepted != wantAll {
		rep.PlansExact = false
		rep.Mismatches = append(rep.Mismatches, fmt.Sprintf("%d accepted, want %d", rep.Accepted, wantAll))
	}
	fmt.Printf("submits: %d (burst %d, then %d over %s) in %.1f s: accepted %d, plan_full %d, busy answers %d (gave up %d), 5xx %d, timeouts %d, other %d\n",
		n, burstN, n-burstN, peakTail, rep.WallMs/1000, rep.Accepted, rep.PlanFull, rep.BusyAnswers, rep.BusyGaveUp, rep.ServerError, rep.Timeouts, rep.Other)
	fmt.Printf("accepted submits: p50 %.0f ms, p99 %.0f ms, max %.0f ms (first send to the accepting answer)\n", rep.AcceptedP50, rep.AcceptedP99, rep.AcceptedMax)
	fmt.Printf("reads alongside: %d (errors %d), p99 %.1f ms; every plan filled exactly: %v %v\n", rep.Reads, rep.ReadErrors, rep.ReadP99, rep.PlansExact, rep.Mismatches)
	fmt.Printf("sessions read from the database: %d (of %d candidates; the rest trusted from memory)\n", rep.SessionReads, n)
	if len(rep.Samples) > 0 {
		fmt.Printf("error samples: %q\n", rep.Samples)
	}
	return rep, nil
}

func (r *PeakReport) sample(s string) {
	if len(r.Samples) < 5 {
		r.Samples = append(r.Samples, s)
	}
}
