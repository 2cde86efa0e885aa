package main

import (
	"context"
	"fmt"
	"net/url"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"skillcert/demo"
	"skillcert/repo"
)

func init() {
	register(Scenario{Name: "plans", Help: "plan search at 100,000 plans against the /healthz baseline", Run: benchPlans})
}

// loadPlans fills the database with n generated published plans and refreshes
// the read model.
func loadPlans(ctx context.Context, env *Env, n int) error {
	t0 := time.Now()
	db := env.App.DB
	insts, err := demo.EnsureInstitutions(ctx, db, time.Now())
	if err != nil {
		return err
	}
	plans := demo.GenPlans(demo.GenOptions{N: n, Seed: 42, Now: time.Now(), Institutions: insts, FirstNo: 1})
	if err := db.InsertPlansBulk(ctx, plans); err != nil {
		return err
	}
	if db.Dialect == repo.SQLite {
		if _, err := db.W.ExecContext(ctx, "ANALYZE"); err != nil {
			return err
		}
	} else if _, err := db.W.ExecContext(ctx, "ANALYZE TABLE plans, plan_grams"); err != nil {
		return err
	}
	t1 := time.Now()
	if err := env.App.Core.Plans.Refresh(ctx); err != nil {
		return err
	}
	fmt.Printf("loaded %d plans in %s; read model built in %s\n", n, t1.Sub(t0).Round(time.Millisecond), time.Since(t1).Round(time.Millisecond))
	return nil
}

// searchMix is the plan search traffic: filters alone and together, every sort,
// deep pages, and substring queries that match one name or many.
func searchMix(base string) []vegeta.Target {
	qs := []url.Values{
		{},
		{"level": {"2"}},
		{"level": {"5"}, "status": {"open"}},
		{"city": {"广州市"}},
		{"city": {"深圳市"}, "level": {"3"}},
		{"occupation": {"电工"}},
		{"occupation": {"人工智能训练师"}, "level": {"2"}},
		{"occupation": {"焊"}, "city": {"佛山市"}},
		{"occupation": {"师"}},
		{"occupation": {"员"}, "status": {"open"}},
		{"status": {"open"}},
		{"status": {"upcoming"}, "sort": {"eval_start"}},
		{"sort": {"newest"}},
		{"sort": {"eval_start"}, "level": {"4"}},
		{"page": {"200"}, "page_size": {"50"}},
		{"level": {"1"}, "page": {"150"}, "page_size": {"20"}},
		{"city": {"东莞市"}, "page": {"50"}, "page_size": {"20"}},
		{"status": {"closed"}, "page": {"500"}, "page_size": {"20"}},
	}
	out := make([]vegeta.Target, len(qs))
	for i, q := range qs {
		out[i] = get(base + "/api/v1/plans?" + q.Encode())
	}
	return out
}

// PlansReport is the plans scenario's JSON report.
type PlansReport struct {
	Plans            int     `json:"plans"`
	Healthz          Figures `json:"healthz"`
	SearchMax        Figures `json:"search_max"`
	SearchHalf       Figures `json:"search_at_half"`
	RatioOfHealthz   float64 `json:"search_throughput_ratio_of_healthz"`
	TargetRatio      float64 `json:"target_ratio"`
	TargetP99ms      float64 `json:"target_p99_ms_at_half"`
	MeetsRatioTarget bool    `json:"meets_ratio_target"`
	MeetsP99Target   bool    `json:"meets_p99_target"`
}

func benchPlans(ctx context.Context, env *Env) (any, error) {
	if err := loadPlans(ctx, env, env.Plans); err != nil {
		return nil, err
	}
	workers := uint64(32)
	// Warm up the connections and caches.
	attack("warm-up", searchMix(env.URL), 0, time.Second, workers)
	health := attack("GET /healthz (baseline)", []vegeta.Target{get(env.URL + "/healthz")}, 0, env.Duration, workers)
	search := attack("GET /api/v1/plans mix (max)", searchMix(env.URL), 0, env.Duration, workers)
	half := int(search.Throughput / 2)
	if half < 1 {
		half = 1
	}
	halfF := attack(fmt.Sprintf("GET /api/v1/plans mix @%d/s", half), searchMix(env.URL), half, env.Duration, workers)
	printFigures(health, search, halfF)
	rep := PlansReport{Plans: env.Plans, Healthz: health, SearchMax: search, SearchHalf: halfF,
		RatioOfHealthz: search.Throughput / health.Throughput, TargetRatio: 0.10, TargetP99ms: 50}
	rep.MeetsRatioTarget = rep.RatioOfHealthz >= rep.TargetRatio && search.Success == 1
	rep.MeetsP99Target = halfF.P99ms < rep.TargetP99ms && halfF.Success == 1
	fmt.Printf("search throughput = %.1f%% of /healthz (target ≥ 10%%): %v; p99 at half rate %.2f ms (target < 50 ms): %v\n",
		100*rep.RatioOfHealthz, rep.MeetsRatioTarget, halfF.P99ms, rep.MeetsP99Target)
	return rep, nil
}
