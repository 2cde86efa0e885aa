package main

import (
	"context"
	"fmt"
	"net/url"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func init() {
	register(Scenario{Name: "webplans", Help: "the web edition's plan search page at 100,000 plans against the API's search, same run", Run: benchWebPlans})
}

// webSearchMix is searchMix as the web page asks it: the same filters, sorts and
// deep pages (the page shows 10 plans a page and has no status filter).
func webSearchMix(base string) []vegeta.Target {
	qs := []url.Values{
		{},
		{"level": {"2"}},
		{"level": {"5"}},
		{"city": {"广州市"}},
		{"city": {"深圳市"}, "level": {"3"}},
		{"occupation": {"电工"}},
		{"occupation": {"人工智能训练师"}, "level": {"2"}},
		{"occupation": {"焊"}, "city": {"佛山市"}},
		{"occupation": {"师"}},
		{"occupation": {"员"}},
		{"sort": {"eval_start"}},
		{"sort": {"newest"}},
		{"sort": {"eval_start"}, "level": {"4"}},
		{"page": {"200"}},
		{"level": {"1"}, "page": {"150"}},
		{"city": {"东莞市"}, "page": {"50"}},
	}
	out := make([]vegeta.Target, 0, 2*len(qs))
	for _, q := range qs {
		out = append(out, get(base+"/web/plans?"+q.Encode()))
	}
	return out
}

// apiSearchMix is the same queries against the API, 10 plans a page.
func apiSearchMix(base string) []vegeta.Target {
	web := webSearchMix("")
	out := make([]vegeta.Target, len(web))
	for i, t := range web {
		u, _ := url.Parse(t.URL)
		q := u.Query()
		q.Set("page_size", "10")
		out[i] = get(base + "/api/v1/plans?" + q.Encode())
	}
	return out
}

// WebPlansReport is the webplans scenario's JSON report.
type WebPlansReport struct {
	Plans            int     `json:"plans"`
	APIMax           Figures `json:"api_search_max"`
	WebMax           Figures `json:"web_search_max"`
	WebHalf          Figures `json:"web_search_at_half"`
	RatioOfAPI       float64 `json:"web_throughput_ratio_of_api"`
	TargetRatio      float64 `json:"target_ratio"`
	TargetP99ms      float64 `json:"target_p99_ms_at_half"`
	MeetsRatioTarget bool    `json:"meets_ratio_target"`
	MeetsP99Target   bool    `json:"meets_p99_target"`
}

func benchWebPlans(ctx context.Context, env *Env) (any, error) {
	if err := loadPlans(ctx, env, env.Plans); err != nil {
		return nil, err
	}
	workers := uint64(32)
	attack("warm-up", append(apiSearchMix(env.URL), webSearchMix(env.URL)...), 0, time.Second, workers)
	api := attack("GET /api/v1/plans mix (max)", apiSearchMix(env.URL), 0, env.Duration, workers)
	web := attack("GET /web/plans mix (max)", webSearchMix(env.URL), 0, env.Duration, workers)
	half := max(int(web.Throughput/2), 1)
	webHalf := attack(fmt.Sprintf("GET /web/plans mix @%d/s", half), webSearchMix(env.URL), half, env.Duration, workers)
	printFigures(api, web, webHalf)
	rep := WebPlansReport{Plans: env.Plans, APIMax: api, WebMax: web, WebHalf: webHalf,
		RatioOfAPI: web.Throughput / api.Throughput, TargetRatio: 0.5, TargetP99ms: 50}
	rep.MeetsRatioTarget = rep.RatioOfAPI >= rep.TargetRatio && web.Success == 1
	rep.MeetsP99Target = webHalf.P99ms < rep.TargetP99ms && webHalf.Success == 1
	fmt.Printf("web page throughput = %.1f%% of the API search (target ≥ 50%%): %v; p99 at half rate %.2f ms (target < 50 ms): %v\n",
		100*rep.RatioOfAPI, rep.MeetsRatioTarget, webHalf.P99ms, rep.MeetsP99Target)
	return rep, nil
}
