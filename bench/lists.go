package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/notifytest"
	"skillcert/repo"
)

func init() {
	register(Scenario{Name: "lists", Run: benchLists,
		Help: "console list pages at province scale (issue 26): 100,000 plans, 1,000,000 audit rows, 50,000 feedback rows of one region; first, middle and last page of each list and filter, signed in over HTTP"})
}

// Sizes of the lists scenario.
const (
	listsAudit    = 1_000_000
	listsFeedback = 50_000
	listsRequests = 200             // a page is requested this many times
	listsWorkers  = 4               // by this many clients at once
	listsPageTime = 5 * time.Second // or for this long, whichever ends first
	listsRegion   = "广州市"
)

// ListPageFigures is one page's latency over listsRequests requests.
type ListPageFigures struct {
	List     string  `json:"list"`
	Filter   string  `json:"filter"`
	Page     string  `json:"page"` // first, middle or last
	URL      string  `json:"url"`
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"`
	P50ms    float64 `json:"p50_ms"`
	P99ms    float64 `json:"p99_ms"`
	MaxMs    float64 `json:"max_ms"`
	Bytes    int     `json:"bytes"`
}

// listsReport is the scenario's report.
type listsReport struct {
	Plans              int               `json:"plans"`
	AuditRows          int               `json:"audit_rows"`
	FeedbackRows       int               `json:"feedback_rows"`
	LoadSeconds        float64           `json:"load_seconds"`
	TargetP99ms        float64           `json:"target_p99_ms"`
	Pages              []ListPageFigures `json:"pages"`
	Over               []string          `json:"over_target,omitempty"`
	LoadAverageAtStart string            `json:"load_average_at_start"`
	LoadAverageAtEnd   string            `json:"load_average_at_end"`
}

func benchLists(ctx context.Context, env *Env) (any, error) {
	rep := listsReport{Plans: env.Plans, AuditRows: listsAudit, FeedbackRows: listsFeedback, TargetP99ms: 50,
		LoadAverageAtStart: loadAverage()}
	c, db := env.App.Core, env.App.DB
	t0 := time.Now()
	if err := loadPlans(ctx, env, env.Plans); err != nil {
		return nil, err
	}
	var inst int64
	if err := db.R.GetContext(ctx, &inst, "SELECT MIN(institution_id) FROM plans"); err != nil {
		return nil, err
	}
	const pw = "bench-password-1"
	admin, err := c.CreateStaff(ctx, core.NewStaff{Username: "bench-admin", Password: pw, Role: domain.RoleAdmin}, nil)
	if err != nil {
		return nil, err
	}
	if _, err := c.CreateStaff(ctx, core.NewStaff{Username: "bench-supervisor", Password: pw, Role: domain.RoleSupervisor,
		Region: listsRegion}, nil); err != nil {
		return nil, err
	}
	if _, err := c.CreateStaff(ctx, core.NewStaff{Username: "bench-institution", Password: pw, Role: domain.RoleInstitution,
		InstitutionID: inst}, nil); err != nil {
		return nil, err
	}
	t1 := time.Now()
	if err := loadAudit(ctx, db, admin.ID); err != nil {
		return nil, err
	}
	fmt.Printf("loaded %d audit rows in %s\n", listsAudit, time.Since(t1).Round(time.Millisecond))
	t1 = time.Now()
	cats := c.Options().FeedbackCategories
	if err := loadFeedback(ctx, db, cats); err != nil {
		return nil, err
	}
	fmt.Printf("loaded %d feedback rows in %s\n", listsFeedback, time.Since(t1).Round(time.Millisecond))
	analyze := []string{"ANALYZE"}
	if db.Dialect == repo.MySQL {
		analyze = []string{"ANALYZE TABLE audit_log", "ANALYZE TABLE feedback", "ANALYZE TABLE plans", "ANALYZE TABLE plan_grams"}
	}
	for _, q := range analyze {
		if _, err := db.W.ExecContext(ctx, q); err != nil {
			return nil, err
		}
	}
	rep.LoadSeconds = time.Since(t0).Seconds()
	if err := settleInnoDB(ctx, db); err != nil {
		return nil, err
	}

	// The middle keys: half-way through each table's ids.
	mid := func(table string) (string, error) {
		var lo, hi int64
		err := db.R.QueryRowxContext(ctx, "SELECT MIN(id), MAX(id) FROM "+table).Scan(&lo, &hi)
		return fmt.Sprint((lo + hi) / 2), err
	}
	midAudit, err := mid("audit_log")
	if err != nil {
		return nil, err
	}
	midFeedback, err := mid("feedback")
	if err != nil {
		return nil, err
	}
	midPlans, err := mid("plans")
	if err != nil {
		return nil, err
	}

	type list struct {
		name, user, path, mid string
		filters               []url.Values
		numbered              bool // the activity order: numbered pages, not keys
	}
	planFilters := []url.Values{{}, {"state": {"published"}}, {"phase": {"open"}}, {"phase": {"ended"}},
		{"phase": {"pending"}}, {"q": {"电工"}}, {"q": {"26050000"}}}
	lists := []list{
		{"audit log (admin)", "bench-admin", "/console/audit", midAudit,
			[]url.Values{{}, {"action": {core.AuditLogin}}, {"actor": {fmt.Sprint(admin.ID)}}}, false},
		{"feedback inbox (supervisor)", "bench-supervisor", "/console/feedback", midFeedback,
			[]url.Values{{}, {"status": {string(domain.FeedbackSubmitted)}}, {"category": {cats[0].Code}}}, false},
		{"plan list (admin)", "bench-admin", "/console/plans", midPlans, planFilters, false},
		{"plan list (admin, 最近有动态)", "bench-admin", "/console/plans", midPlans, []url.Values{{"sort": {repo.SortActivity}}}, false},
		{"plan list (institution)", "bench-institution", "/console/plans", midPlans, planFilters, false},
		{"plan list (institution, 最近有动态)", "bench-institution", "/console/plans", midPlans, []url.Values{{"sort": {repo.SortActivity}}}, false},
	}
	clients := map[string][]*http.Client{}
	for _, u := range []string{"bench-admin", "bench-supervisor", "bench-institution"} {
		for range listsWorkers {
			hc, err := consoleLogin(env.URL, u, pw)
			if err != nil {
				return nil, err
			}
			clients[u] = append(clients[u], hc)
		}
	}
	fmt.Printf("%-34s %-28s %-7s %6s %8s %8s %8s\n", "list", "filter", "page", "errors", "p50 ms", "p99 ms", "max ms")
	for _, l := range lists {
		for _, f := range l.filters {
			pages := []struct{ name, extra string }{{"first", ""}, {"middle", "before=" + l.mid}, {"last", "last=1"}}
			if l.numbered {
				pages[1].extra, pages[2].extra = "page=250", fmt.Sprintf("page=%d", core.PlanCountCap/20)
			}
			for _, p := range pages {
				q := f.Encode()
				if p.extra != "" {
					if q != "" {
						q += "&"
					}
					q += p.extra
				}
				u := env.URL + l.path
				if q != "" {
					u += "?" + q
				}
				fig := timePage(clients[l.user], u)
				fig.List, fig.Filter, fig.Page, fig.URL = l.name, f.Encode(), p.name, strings.TrimPrefix(u, env.URL)
				if fig.Filter == "" {
					fig.Filter = "(none)"
				}
				flag := ""
				if fig.P99ms >= rep.TargetP99ms || fig.Errors > 0 {
					flag = "  !!"
					rep.Over = append(rep.Over, fmt.Sprintf("%s %s %s: p99 %.1f ms, %d errors", fig.List, fig.Filter, fig.Page, fig.P99ms, fig.Errors))
				}
				fmt.Printf("%-34s %-28s %-7s %6d %8.2f %8.2f %8.2f%s\n", fig.List, fig.Filter, fig.Page, fig.Errors, fig.P50ms, fig.P99ms, fig.MaxMs, flag)
				rep.Pages = append(rep.Pages, fig)
			}
		}
	}
	rep.LoadAverageAtEnd = loadAverage()
	fmt.Printf("data loaded in %.1f s; load average %s at start, %s at end; %d pages over the %.0f ms p99 target\n",
		rep.LoadSeconds, rep.LoadAverageAtStart, rep.LoadAverageAtEnd, len(rep.Over), rep.TargetP99ms)
	return rep, nil
}

// timePage requests u listsRequests times (or for listsPageTime), one client
// per worker, after a warm-up request each, and returns the latencies.
func timePage(clients []*http.Client, u string) ListPageFigures {
	get := func(hc *http.Client) (int, error) {
		res, err := hc.Get(u)
		if err != nil {
			return 0, err
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err == nil && res.StatusCode != http.StatusOK {
			err = fmt.Errorf("status %d", res.StatusCode)
		}
		return len(b), err
	}
	for _, hc := range clients {
		_, _ = get(hc)
	}
	var mu sync.Mutex
	var lat []time.Duration
	fig := ListPageFigures{Requests: listsRequests}
	var wg sync.WaitGroup
	per := listsRequests / len(clients)
	until := time.Now().Add(listsPageTime)
	for _, hc := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < per && time.Now().Before(until); i++ {
				t0 := time.Now()
				n, err := get(hc)
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				fig.Bytes = max(fig.Bytes, n)
				if err != nil {
					fig.Errors++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	fig.Requests = len(lat)
	fig.P50ms, fig.P99ms, fig.MaxMs = ms(percentile(lat, 50)), ms(percentile(lat, 99)), ms(lat[len(lat)-1])
	return fig
}

// percentile is the p-th percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(len(sorted)-1, i-1))]
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// consoleLogin signs a staff member in through the console's login form and
// returns a client holding the session.
func consoleLogin(base, username, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		Transport:     &http.Transport{MaxIdleConnsPerHost: 4},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Get(base + "/console/login")
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfInput.FindSubmatch(b)
	if m == nil {
		return nil, fmt.Errorf("login page of %s has no CSRF token (status %d)", username, res.StatusCode)
	}
	res, err = hc.PostForm(base+"/console/login", url.Values{"username": {username}, "password": {password}, "csrf": {string(m[1])}})
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("login %s: status %d", username, res.StatusCode)
	}
	return hc, nil
}

// insertRows writes n rows into table, 1,000 a statement and 20 statements a
// transaction; row(i, args) appends row i's values in cols' order.
func insertRows(ctx context.Context, db *repo.DB, table string, cols []string, n int, row func(i int, args []any) []any) error {
	const perStmt, perTx = 1000, 20
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	for start := 0; start < n; start += perStmt * perTx {
		err := db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
			for s := start; s < min(n, start+perStmt*perTx); s += perStmt {
				end := min(n, s+perStmt)
				args := make([]any, 0, (end-s)*len(cols))
				for i := s; i < end; i++ {
					args = row(i, args)
				}
				stmt := head + strings.TrimSuffix(strings.Repeat(one+", ", end-s), ", ")
				if _, err := tx.ExecContext(ctx, stmt, args...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}

// loadAudit writes listsAudit audit rows over the past year, oldest first: every
// action in turn, one in ten by the admin, the rest by 20 other accounts.
func loadAudit(ctx context.Context, db *repo.DB, adminID int64) error {
	actions := core.AuditActions()
	start := time.Now().UTC().Add(-365 * 24 * time.Hour).Truncate(time.Second)
	step := 365 * 24 * time.Hour / listsAudit
	return insertRows(ctx, db, "audit_log", []string{"actor_kind", "actor_id", "action", "object_kind", "object_id", "detail", "ip", "created_at"},
		listsAudit, func(i int, a []any) []any {
			actor := adminID
			if i%10 != 0 {
				actor = 100000 + int64(i%20)
			}
			return append(a, "staff", actor, actions[i%len(actions)].Code, "plan", int64(i%100000+1),
				"评价计划 26000001 修改", "10.0.0.1", start.Add(time.Duration(i)*step))
		})
}

// loadFeedback writes listsFeedback feedback rows on the plans of listsRegion,
// from 100 candidates, oldest first: 15% submitted, 25% processing, the rest closed.
func loadFeedback(ctx context.Context, db *repo.DB, cats []domain.Option) error {
	var plans []int64
	if err := db.R.SelectContext(ctx, &plans, "SELECT id FROM plans WHERE supervision_region = ? ORDER BY id LIMIT 1000", listsRegion); err != nil {
		return err
	}
	if len(plans) == 0 {
		return fmt.Errorf("no plans of %s", listsRegion)
	}
	cands := make([]int64, 100)
	for i := range cands {
		id, err := notifytest.Candidate(ctx, db, fmt.Sprintf("bench-feedback-%d", i), "", "考生")
		if err != nil {
			return err
		}
		cands[i] = id
	}
	start := time.Now().UTC().Add(-180 * 24 * time.Hour).Truncate(time.Second)
	step := 180 * 24 * time.Hour / listsFeedback
	return insertRows(ctx, db, "feedback", []string{"candidate_id", "plan_id", "category", "content", "contact_pref",
		"anonymous", "status", "reply", "created_at", "updated_at", "supervision_region"}, listsFeedback, func(i int, a []any) []any {
		status := domain.FeedbackClosed
		switch k := i % 20; {
		case k < 3:
			status = domain.FeedbackSubmitted
		case k < 8:
			status = domain.FeedbackProcessing
		}
		at := start.Add(time.Duration(i) * step)
		return append(a, cands[i%len(cands)], plans[i%len(plans)], cats[i%len(cats)].Code,
			"考场秩序良好，但候考区指引不清楚，希望改进。", "in_app", i%7 == 0, string(status), "", at, at, listsRegion)
	})
}
