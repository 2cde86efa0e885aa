// Package testenv starts real skillcert servers for tests: on a fresh SQLite file,
// and on a throwaway MariaDB/MySQL database when SKILLCERT_TEST_MYSQL names a
// server (e.g. `root@tcp(127.0.0.1:3306)/`). In CI (CI=true) a missing
// SKILLCERT_TEST_MYSQL fails the tests instead of skipping them.
package testenv

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"skillcert/repo"
	"skillcert/server"
)

// Engines are the database engines every storage test runs on.
var Engines = []string{"sqlite", "mysql"}

// MySQLEnv names the variable holding the MySQL server DSN for tests.
const MySQLEnv = "SKILLCERT_TEST_MYSQL"

// ForEachEngine runs fn as a subtest on SQLite and on MySQL.
func ForEachEngine(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	for _, engine := range Engines {
		t.Run(engine, func(t *testing.T) {
			fn(t, NewDSN(t, engine))
		})
	}
}

// NewDSN makes an empty database for one test and drops it when the test ends.
func NewDSN(t testing.TB, engine string) string {
	t.Helper()
	if engine == "sqlite" {
		return filepath.Join(t.TempDir(), "skillcert.db")
	}
	server := os.Getenv(MySQLEnv)
	if server == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: the MySQL tests must run in CI", MySQLEnv)
		}
		t.Skipf("%s not set: MySQL tests skipped", MySQLEnv)
	}
	cfg, err := repo.MySQLConfig(server)
	if err != nil {
		t.Fatalf("%s: %v", MySQLEnv, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "skillcert_test_" + hex.EncodeToString(b)
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		// A test that failed with a transaction still open holds its tables'
		// metadata locks: the drop gives up after a while (and says so)
		// rather than waiting for the package's timeout.
		dc := cfg.Clone()
		if dc.Params == nil {
			dc.Params = map[string]string{}
		}
		dc.Params["lock_wait_timeout"] = "20"
		db, err := sql.Open("mysql", dc.FormatDSN())
		if err == nil {
			if _, err := db.Exec("DROP DATABASE IF EXISTS " + name); err != nil {
				t.Logf("drop test database %s: %v (a transaction of the test left open?)", name, err)
			}
			db.Close()
		}
	})
	c2 := cfg.Clone()
	c2.DBName = name
	return c2.FormatDSN()
}

// testKey is a fixed personal-data key for tests (tests read raw rows to prove
// that no plaintext is stored, so the key itself needs no secrecy here).
const testKey = "k1:c2tpbGxjZXJ0LXRlc3Qta2V5LTMyLWJ5dGVzLWxvbmc="

// Clock is a settable clock for tests; the zero value reads the real time.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	offset time.Duration
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now.IsZero() {
		return time.Now().Add(c.offset)
	}
	return c.now
}

// Skew makes an unset clock run d ahead of the real time (behind when d < 0),
// as a server whose clock is off does.
func (c *Clock) Skew(d time.Duration) {
	c.mu.Lock()
	c.offset = d
	c.mu.Unlock()
}

// Set fixes the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// App is a running test server.
type App struct {
	*server.App
	URL   string
	Clock *Clock
	Logs  *SyncBuffer // everything the server logged
	srv   *httptest.Server
}

// SelfURL, as the value of an Options.Env setting, stands for the started
// server's own URL (e.g. SKILLCERT_MEDIA_CHECK_BASE, which WeChat's stand-in
// fetches photos from).
const SelfURL = "{{self-url}}"

// Options configures Start.
type Options struct {
	Demo      bool                     // load demo data (the default config does; tests usually don't)
	DemoPlans int                      // with Demo: how many extra plans
	Env       map[string]string        // extra environment settings
	Configure func(cfg *server.Config) // last word on the config
	// WebDemoScan is server.Options.WebDemoScan: the web sign-in's one-click
	// scan of demo mode.
	WebDemoScan func(ctx context.Context, scene string) error
}

// Start starts a server on dsn over real HTTP (httptest) and stops it at cleanup.
func Start(t testing.TB, dsn string, opt Options) *App {
	t.Helper()
	env := map[string]string{
		"SKILLCERT_DB":        dsn,
		"SKILLCERT_DATA_DIR":  t.TempDir(),
		"SKILLCERT_DEMO":      fmt.Sprint(opt.Demo),
		"SKILLCERT_LOG_LEVEL": "debug",
		"SKILLCERT_DATA_KEY":  testKey,
		// The lowest bcrypt cost: under the race detector the default costs
		// seconds a password, and tests sign staff in often.
		"SKILLCERT_PASSWORD_COST": "4",
	}
	if raceSubmitWait != "" {
		env["SKILLCERT_SUBMIT_WAIT"] = raceSubmitWait
	}
	for k, v := range weChatEnv() {
		env[k] = v
	}
	if opt.DemoPlans > 0 {
		env["SKILLCERT_DEMO_PLANS"] = fmt.Sprint(opt.DemoPlans)
	}
	// SKILLCERT_SUBMIT_QUEUE from the environment runs a suite with the
	// submit queue on (or off) on either engine; a test's own setting wins.
	if v := os.Getenv("SKILLCERT_SUBMIT_QUEUE"); v != "" {
		env["SKILLCERT_SUBMIT_QUEUE"] = v
	}
	var self net.Listener
	for k, v := range opt.Env {
		if v == SelfURL {
			if self == nil {
				l, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				self = l
			}
			v = "http://" + self.Addr().String()
		}
		env[k] = v
	}
	cfg, err := server.LoadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if opt.Configure != nil {
		opt.Configure(&cfg)
	}
	logs := &SyncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	clock := &Clock{}
	ctx, cancel := context.WithCancel(context.Background())
	app, err := server.New(ctx, cfg, log, server.Options{Now: clock.Now, WebDemoScan: opt.WebDemoScan})
	if err != nil {
		cancel()
		t.Fatalf("start server: %v", err)
	}
	app.Start(ctx)
	srv := httptest.NewUnstartedServer(app.Echo)
	if self != nil {
		srv.Listener.Close()
		srv.Listener = self
	}
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		cancel()
		app.Shutdown()
	})
	return &App{App: app, URL: srv.URL, Clock: clock, Logs: logs, srv: srv}
}

// Metrics returns the server's Prometheus text, as SKILLCERT_METRICS_ADDR serves it.
func (a *App) Metrics(t testing.TB) string {
	t.Helper()
	rec := httptest.NewRecorder()
	a.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("metrics: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// MetricValue reads one sample (its name with its labels, as exposed) from a
// scrape (App.Metrics).
func MetricValue(t testing.TB, scrape, series string) float64 {
	t.Helper()
	for _, l := range strings.Split(scrape, "\n") {
		if v, ok := strings.CutPrefix(l, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", l, err)
			}
			return f
		}
	}
	t.Fatalf("no %s in the scrape", series)
	return 0
}

// SyncBuffer is a bytes.Buffer safe for concurrent writers.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Contains tells whether the buffer holds sub.
func (s *SyncBuffer) Contains(sub string) bool { return strings.Contains(s.String(), sub) }

// OpenDB opens a migrated database for dsn (a test's own, from NewDSN), closed
// at the end of the test.
func OpenDB(t testing.TB, dsn string) *repo.DB {
	t.Helper()
	ctx := context.Background()
	db, err := repo.Open(ctx, dsn, repo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	return db
}
