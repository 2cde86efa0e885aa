package handlers_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/internal/testenv"
)

// Redis stopped under a running server: nothing answers 500, every limit keeps
// holding on the database, /readyz names Redis as degraded, the fallback metric
// counts, and when Redis is back the server uses it again without a restart.
func TestRedisDownFallsBackToTheDatabase(t *testing.T) {
	rds := testenv.StartRedis(t)
	e := newRegEnv(t, testenv.NewDSN(t, "sqlite"), map[string]string{
		"SKILLCERT_REDIS_URL": rds.URL(), "SKILLCERT_CODE_GUESS_LIMIT": "3", "SKILLCERT_LOGIN_RATE": "1000",
		"SKILLCERT_METRICS_TOKEN": testMetricsToken})
	_, code := e.plan(t, planSpec{})
	inst := e.app.CreateInstitution(t, "测试评价机构")
	e.app.CreateStaff(t, "redisdown", domain.RoleInstitution, inst.ID, "")

	a := e.candidate(t)
	if res := lookup(t, a, code, ""); res.Status != http.StatusOK {
		t.Fatalf("lookup with Redis up: %d %s", res.Status, res.Body)
	}
	if body := readyz(t, e.app); !strings.Contains(body, `"status":"ok"`) || !strings.Contains(body, `"redis":"ok"`) {
		t.Fatalf("readyz with Redis up: %s", body)
	}

	rds.Stop(t)

	// Code lookup, a new draft, candidate and console sign-in: no 500.
	b := e.candidate(t)
	if res := lookup(t, b, code, ""); res.Status != http.StatusOK {
		t.Fatalf("lookup with Redis down: %d %s", res.Status, res.Body)
	}
	e.draft(t, b, code)
	cc := e.app.Console()
	cc.Login(t, "redisdown", testenv.StaffPassword)

	// The code-guess limit still holds, counted in the database.
	for i := 0; i < 3; i++ {
		wantError(t, lookup(t, b, "ZZZZZZZZ", ""), http.StatusNotFound, "code_not_found")
	}
	wantError(t, lookup(t, b, code, ""), http.StatusTooManyRequests, "code_guess_limited")
	var n int
	if err := e.app.DB.R.Get(&n, "SELECT COALESCE(SUM(count),0) FROM rate_counters WHERE bucket LIKE 'code-guess:candidate:%'"); err != nil || n < 3 {
		t.Fatalf("database counters while Redis is down: %d %v", n, err)
	}

	body := readyz(t, e.app)
	if !strings.Contains(body, `"status":"degraded"`) || !strings.Contains(body, `"redis":"down"`) {
		t.Fatalf("readyz with Redis down: %s", body)
	}
	if m := metricsText(t, e.app); !strings.Contains(m, "skillcert_redis_up 0") || strings.Contains(m, "skillcert_redis_fallbacks_total 0\n") {
		t.Fatalf("metrics with Redis down:\n%s", grepLines(m, "skillcert_redis"))
	}

	// Back without a restart.
	rds.Start(t)
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(readyz(t, e.app), `"redis":"ok"`) {
		if time.Now().After(deadline) {
			t.Fatalf("readyz never recovered: %s", readyz(t, e.app))
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(2500 * time.Millisecond) // past the guard's probe interval
	c := e.candidate(t)
	if res := lookup(t, c, "ZZZZZZZZ", ""); res.Status != http.StatusNotFound {
		t.Fatalf("lookup after recovery: %d %s", res.Status, res.Body)
	}
	if keys, err := e.app.Redis.Keys(t.Context(), "skillcert:rate:code-guess:candidate:*").Result(); err != nil || len(keys) == 0 {
		t.Fatalf("counters are not back in Redis: %v %v", keys, err)
	}
}

func readyz(t *testing.T, app *testenv.App) string {
	t.Helper()
	res, err := http.Get(app.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("readyz: %d %s", res.StatusCode, b)
	}
	return string(b)
}

const testMetricsToken = "metrics-token-for-tests-0123456789"

func metricsText(t *testing.T, app *testenv.App) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, app.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+testMetricsToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("metrics: %d %s", res.StatusCode, b)
	}
	return string(b)
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
