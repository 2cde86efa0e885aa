package server_test

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v4"

	"skillcert/domain"
	"skillcert/internal/testenv"
)

// seriesName finds the series names in a PromQL expression: ours
// (skillcert_…), the connection pools' (go_sql_…) and the process's.
var seriesName = regexp.MustCompile(`\b(?:skillcert|go_sql|process)_[a-z0-9_]+\b`)

// TestOperatorMetricsAreExportedFromTheStart: a fresh server exports the
// operator's series before anything happened (outbox backlog and oldest age,
// registrations by status, open plans and seats left, Redis fallbacks,
// rate-limit refusals, the database pools), a refused sign-in is counted, and
// every series named by deploy/prometheus/alerts.yml and
// deploy/grafana/skillcert.json is in the scrape. promtool checks the rules
// when it is installed (always in CI).
func TestOperatorMetricsAreExportedFromTheStart(t *testing.T) {
	// Without Redis the limits count in the test's own database, so the
	// refusal below is this test's alone (the shared Redis is shared).
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		a := testenv.Start(t, dsn, testenv.Options{Env: map[string]string{"SKILLCERT_LOGIN_RATE": "1"}})
		checkFreshMetrics(t, a, strings.HasSuffix(dsn, ".db"))
	})
	if t.Failed() {
		t.FailNow()
	}
	// With Redis: its series too, and this server's scrape is the one the
	// alert rules and the dashboard are checked against.
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{Env: map[string]string{
		"SKILLCERT_REDIS_URL": testenv.SharedRedisURL(t)}})
	app.Client().Get(t, "/readyz") // the request series appear with the first request
	if m := app.Metrics(t); !strings.Contains(m, "skillcert_redis_up 1") || !strings.Contains(m, "skillcert_redis_fallbacks_total 0") {
		t.Errorf("Redis series:\n%s", grepLines(m, "redis"))
	}

	// Every series the alert rules and the dashboard name is exported.
	names := map[string][]string{} // series → where it is used
	var rules struct {
		Groups []struct {
			Rules []struct {
				Alert string `yaml:"alert"`
				Expr  string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	b, err := os.ReadFile(filepath.Join("..", "deploy", "prometheus", "alerts.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &rules); err != nil {
		t.Fatalf("alerts.yml: %v", err)
	}
	nRules := 0
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			nRules++
			for _, n := range seriesName.FindAllString(r.Expr, -1) {
				names[n] = append(names[n], "alert "+r.Alert)
			}
		}
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if b, err = os.ReadFile(filepath.Join("..", "deploy", "grafana", "skillcert.json")); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &dash); err != nil {
		t.Fatalf("skillcert.json: %v", err)
	}
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			for _, n := range seriesName.FindAllString(tg.Expr, -1) {
				names[n] = append(names[n], "panel "+p.Title)
			}
		}
	}
	if nRules < 10 || len(dash.Panels) < 10 || len(names) < 12 {
		t.Fatalf("%d rules, %d panels, %d series: the files were not read as expected", nRules, len(dash.Panels), len(names))
	}
	exported := map[string]bool{}
	for _, line := range strings.Split(app.Metrics(t), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		exported[strings.FieldsFunc(line, func(r rune) bool { return r == '{' || r == ' ' })[0]] = true
	}
	var missing []string
	for n, where := range names {
		if !exported[n] {
			missing = append(missing, n+" ("+strings.Join(where, ", ")+")")
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("named in deploy/ but not exported:\n  %s", strings.Join(missing, "\n  "))
	}

	if _, err := exec.LookPath("promtool"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("promtool is not installed: .ci/run installs Debian's prometheus package")
		}
		t.Log("promtool not installed: `promtool check rules` skipped")
		return
	}
	out, err := exec.Command("promtool", "check", "rules", filepath.Join("..", "deploy", "prometheus", "alerts.yml")).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
	t.Logf("promtool: %s", strings.TrimSpace(string(out)))
}

// checkFreshMetrics checks a new server's scrape, then refuses a sign-in and
// sees it counted.
func checkFreshMetrics(t *testing.T, app *testenv.App, sqlite bool) {
	t.Helper()
	scrape := app.Metrics(t)
	for _, want := range []string{
		"skillcert_outbox_pending 0", "skillcert_outbox_oldest_pending_age_seconds 0",
		`skillcert_registrations{status="submitted"} 0`, "skillcert_open_plans 0", "skillcert_open_plan_seats_left 0",
		"skillcert_db_up 1", "skillcert_redis_fallbacks_total 0",
		`skillcert_rate_limit_refusals_total{limit="code-guess"} 0`,
		`go_sql_in_use_connections{db_name="write"}`,
	} {
		if !strings.Contains(scrape, want) {
			t.Errorf("a fresh server does not export %s", want)
		}
	}
	if sqlite && !strings.Contains(scrape, `go_sql_max_open_connections{db_name="read"}`) {
		t.Error("SQLite's read pool is not exported")
	}
	for _, s := range domain.Statuses() {
		if !strings.Contains(scrape, `skillcert_registrations{status="`+string(s)+`"}`) {
			t.Errorf("no skillcert_registrations for status %s", s)
		}
	}
	// One sign-in a minute: the second is refused and counted.
	testenv.SignIn(t, app)
	res := app.Client().Do(t, http.MethodPost, "/api/v1/auth/login", map[string]string{"code": testenv.NewCode()})
	if res.Status != http.StatusTooManyRequests {
		t.Fatalf("second sign-in: %d %s", res.Status, res.Body)
	}
	if m := app.Metrics(t); !strings.Contains(m, `skillcert_rate_limit_refusals_total{limit="login"} 1`) {
		t.Errorf("the refused sign-in is not counted:\n%s", grepLines(m, "refusals"))
	}

}

func grepLines(text, sub string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestOperatorMetricsFollowTheDatabase: a submit shows in the registration
// and seat series, its notification (with no dispatcher running) in the
// outbox backlog and its age, once the 5-second cache has passed.
func TestOperatorMetricsFollowTheDatabase(t *testing.T) {
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{Demo: true, DemoPlans: 3,
		Env: map[string]string{"SKILLCERT_PUSH_ENABLED": "false"}})
	before := app.Metrics(t)
	if testenv.MetricValue(t, before, "skillcert_open_plans") < 1 {
		t.Fatalf("the demo plan is not counted open:\n%s", grepLines(before, "open_plan"))
	}
	testenv.Register(t, app, app.Demo.Code, testenv.Registrant{Name: "张三"})
	app.Clock.Skew(7 * time.Second) // past the cache
	after := app.Metrics(t)
	if got := testenv.MetricValue(t, after, `skillcert_registrations{status="submitted"}`); got != 1 {
		t.Errorf("submitted registrations: %v", got)
	}
	if a, b := testenv.MetricValue(t, after, "skillcert_open_plan_seats_left"), testenv.MetricValue(t, before, "skillcert_open_plan_seats_left"); a != b-1 {
		t.Errorf("seats left %v, before the submit %v", a, b)
	}
	if got := testenv.MetricValue(t, after, "skillcert_outbox_pending"); got < 1 {
		t.Errorf("outbox pending: %v", got)
	}
	if got := testenv.MetricValue(t, after, "skillcert_outbox_oldest_pending_age_seconds"); got < 6 || got > 120 {
		t.Errorf("oldest pending age: %v s", got)
	}
}
