package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/demo"
	"skillcert/internal/testenv"
	"skillcert/repo"
	"skillcert/server"
)

func TestConfigNamesTheBadVariable(t *testing.T) {
	cases := map[string]string{
		"SKILLCERT_MIGRATE":       "perhaps",
		"SKILLCERT_DEMO_PLANS":    "-3",
		"SKILLCERT_READ_TIMEOUT":  "soon",
		"SKILLCERT_LOG_LEVEL":     "loud",
		"SKILLCERT_BODY_LIMIT":    "big",
		"SKILLCERT_LOGIN_RATE":    "0",
		"SKILLCERT_PUSH_RATE":     "x",
		"WECHAT_API_BASE":         "127.0.0.1:9090",
		"SKILLCERT_MAX_UPLOAD_MB": "5000",
		"SKILLCERT_SUBMIT_QUEUE":  "sometimes",
	}
	for name, val := range cases {
		_, err := server.LoadConfig(func(k string) string {
			if k == name {
				return val
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: error %v does not name the variable", name, val, err)
		}
	}
	cfg, err := server.LoadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	// Nothing set: demo mode, on loopback (demo_test.go has the other cases).
	if cfg.Addr != "127.0.0.1:8080" || cfg.DB != "data/skillcert.db" || !cfg.Migrate || !cfg.Demo || !cfg.DemoMode || cfg.LoginRate != 120 ||
		cfg.SubmitQueue != core.SubmitQueueOn {
		t.Fatalf("defaults: %+v", cfg)
	}
}

func TestMigrationsFromEmptyAndSchemaGuard(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db, err := repo.Open(ctx, dsn, repo.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.SchemaCurrent(ctx); err == nil {
			t.Fatal("an empty database must not count as current")
		}
		if err := db.Migrate(ctx, nil); err != nil {
			t.Fatalf("migrate from empty: %v", err)
		}
		if err := db.Migrate(ctx, nil); err != nil {
			t.Fatalf("migrate again: %v", err)
		}
		if err := db.SchemaCurrent(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.Check(ctx); err != nil {
			t.Fatalf("named queries do not prepare: %v", err)
		}
		// A newer build migrated this database: this one refuses to serve.
		if _, err := db.W.ExecContext(ctx, `INSERT INTO goose_db_version (version_id, is_applied, tstamp) VALUES (99999, 1, ?)`, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if err := db.SchemaCurrent(ctx); err == nil {
			t.Fatal("a newer schema must be refused")
		}
		env := map[string]string{"SKILLCERT_DB": dsn, "SKILLCERT_DEMO": "0", "SKILLCERT_DATA_DIR": t.TempDir(),
			"SKILLCERT_DATA_KEY": "k1:c2tpbGxjZXJ0LXRlc3Qta2V5LTMyLWJ5dGVzLWxvbmc="}
		cfg, err := server.LoadConfig(func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		_, err = server.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{})
		if err == nil || !strings.Contains(err.Error(), "newer") {
			t.Fatalf("server started on a newer schema: %v", err)
		}
	})
}

func TestHealthReadyMetrics(t *testing.T) {
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{})
	c := app.Client()
	if r := c.Get(t, "/healthz"); r.Status != 200 {
		t.Fatalf("healthz %d", r.Status)
	}
	if r := c.Get(t, "/readyz"); r.Status != 200 {
		t.Fatalf("readyz %d %s", r.Status, r.Body)
	}
	c.Get(t, "/api/v1/plans?level=2")
	body := app.Metrics(t)
	if !strings.Contains(body, `skillcert_http_requests_total{method="GET",route="/api/v1/plans",status="200"} 1`) ||
		!strings.Contains(body, `skillcert_http_request_duration_seconds_bucket{method="GET",route="/api/v1/plans"`) {
		t.Fatalf("metrics lack the request series:\n%s", body)
	}
	// Not public on the service's own address (SKILLCERT_METRICS_ADDR serves it).
	r := c.Get(t, "/metrics")
	if r.Status != 404 {
		t.Fatalf("public /metrics: %d", r.Status)
	}
	if r.Header.Get("X-Request-Id") == "" {
		t.Fatal("no request id header")
	}
	if !app.Logs.Contains(`"route":"/api/v1/plans"`) || !app.Logs.Contains(`"request_id"`) {
		t.Fatalf("access log lacks the request line: %s", app.Logs.String())
	}
	// Not ready once the database is gone.
	app.DB.W.Close()
	if r := c.Get(t, "/readyz"); r.Status != 503 {
		t.Fatalf("readyz with a closed database: %d", r.Status)
	}
}

func TestDemoDataAndGracefulShutdown(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{Demo: true, DemoPlans: 300})
		if !app.Demo.Seeded || app.Demo.Code != demo.Code {
			t.Fatalf("demo: %+v", app.Demo)
		}
		r := app.Client().Get(t, "/api/v1/plans?occupation=人工智能训练师&level=2&status=open&page_size=100")
		var page struct {
			Items []core.PlanView `json:"items"`
			Total int             `json:"total"`
		}
		r.JSON(t, &page)
		found := false
		for _, p := range page.Items {
			if p.PlanNo == "2501" {
				found = p.SeatsTotal == 60 && p.WorkType == "无" && p.SupervisionRegion == "广东省（省本级）" &&
					p.InstitutionName == "广东岭南现代技师学院" && p.Status == "open"
			}
		}
		if !found {
			t.Fatalf("plan 2501 not found as the seed describes it: %s", r.Body)
		}
		var n int
		if err := app.DB.R.Get(&n, `SELECT COUNT(*) FROM plans`); err != nil || n != 301 {
			t.Fatalf("plans: %d %v", n, err)
		}
		var code string
		if err := app.DB.R.Get(&code, `SELECT code FROM registration_codes`); err != nil || code != demo.Code {
			t.Fatalf("demo code: %q %v", code, err)
		}
		// Seeding again does nothing.
		info, err := demo.Seed(context.Background(), app.DB, time.Now(), 300)
		if err != nil || info.Seeded {
			t.Fatalf("second seed: %+v %v", info, err)
		}
	})
	// Serve stops cleanly when its context ends, finishing requests in flight.
	dsn := testenv.NewDSN(t, "sqlite")
	env := map[string]string{"SKILLCERT_DB": dsn, "SKILLCERT_DEMO": "0", "SKILLCERT_DATA_DIR": t.TempDir()}
	cfg, _ := server.LoadConfig(func(k string) string { return env[k] })
	ctx, cancel := context.WithCancel(context.Background())
	app, err := server.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- app.ServeListener(ctx, ln) }()
	url := "http://" + ln.Addr().String() + "/healthz"
	for i := 0; i < 50; i++ {
		if res, err := http.Get(url); err == nil {
			res.Body.Close()
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop")
	}
	app.Shutdown() // a second call is safe
}
