// Command bench measures skillcert under load, in one process: it starts the
// server on a fresh database (SQLite by default; MySQL when SKILLCERT_DB holds a
// MySQL DSN), loads the data a scenario needs, and drives it with vegeta as a
// library. Every figure of a report comes from the same run, so ratios between
// them (e.g. plan search against /healthz) are meaningful.
//
//	go run ./bench                       # every scenario
//	go run ./bench -scenarios plans -plans 100000 -duration 10s
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	"skillcert/repo"
	"skillcert/server"
)

// Env is what a scenario gets: a running server and the run's settings.
type Env struct {
	App      *server.App
	URL      string
	Duration time.Duration
	Plans    int
	Engine   string
	Out      string // results folder
	// MemProfile, when set, names the heap profile a scenario may write of
	// its measured part (staff: the roster export; see -memprofile).
	MemProfile string
}

// Scenario is one measured situation; it prints its own table and returns a
// JSON-serialisable report.
type Scenario struct {
	Name string
	Help string
	Run  func(ctx context.Context, env *Env) (any, error)
	// Env adds settings to the server's environment (e.g. WECHAT_* for the chat);
	// the process environment still has the last word.
	Env map[string]string
}

var scenarios = map[string]Scenario{}

// memProfile is the -memprofile flag.
var memProfile string

// register adds a scenario; files of this package call it from init.
func register(s Scenario) { scenarios[s.Name] = s }

func main() {
	names := make([]string, 0, len(scenarios))
	for n := range scenarios {
		names = append(names, n)
	}
	sort.Strings(names)
	which := flag.String("scenarios", strings.Join(names, ","), "comma-separated scenarios: "+strings.Join(names, ", "))
	plans := flag.Int("plans", 100000, "published plans to load")
	dur := flag.Duration("duration", 8*time.Second, "length of each measured attack")
	out := flag.String("out", "bench/results", "folder for the JSON reports")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run (server and load) to this file")
	flag.IntVar(&submitRounds, "rounds", submitRounds, "submit: kept-alive rounds (one on new connections follows)")
	flag.StringVar(&memProfile, "memprofile", "", "staff: write allocation profiles of the roster export alone to FILE (after) and FILE.base (before), for go tool pprof -base FILE.base FILE")
	flag.Parse()
	if memProfile != "" {
		runtime.MemProfileRate = 4096 // finer than the default 512 KB, for per-row allocations
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*which, *plans, *dur, *out); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(which string, plans int, dur time.Duration, out string) error {
	for _, name := range strings.Split(which, ",") {
		name = strings.TrimSpace(name)
		s, ok := scenarios[name]
		if !ok {
			return fmt.Errorf("unknown scenario %q", name)
		}
		env, stop, err := startServer(plans, dur, out, s.Env)
		if err != nil {
			return err
		}
		fmt.Printf("\n== %s (%s, %s) ==\n", s.Name, env.Engine, s.Help)
		rep, err := s.Run(context.Background(), env)
		stop()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		file := name + ".json"
		if env.Engine != "sqlite" {
			file = name + "-" + env.Engine + ".json"
		}
		if err := writeJSON(filepath.Join(out, file), map[string]any{
			"scenario": name, "engine": env.Engine, "when": time.Now().UTC().Format(time.RFC3339), "report": rep,
		}); err != nil {
			return err
		}
	}
	return nil
}

// startServer starts a fresh server in this process on 127.0.0.1.
func startServer(plans int, dur time.Duration, out string, extra map[string]string) (*Env, func(), error) {
	dir, err := os.MkdirTemp("", "skillcert-bench-")
	if err != nil {
		return nil, nil, err
	}
	dsn := os.Getenv("SKILLCERT_DB")
	engine := "sqlite"
	if dsn == "" {
		dsn = filepath.Join(dir, "bench.db")
	} else if repo.IsMySQLDSN(dsn) {
		engine = "mysql"
		if err := resetMySQL(dsn); err != nil {
			return nil, nil, err
		}
	}
	env := map[string]string{
		"SKILLCERT_DB": dsn, "SKILLCERT_DATA_DIR": dir, "SKILLCERT_DEMO": "0", "SKILLCERT_ACCESS_LOG": "0",
		"SKILLCERT_LOG_LEVEL": "warn", "SKILLCERT_DATA_KEY": "k1:YmVuY2gtb25seS1rZXktbm90LWZvci1wcm9kLXVzZSE=",
		"SKILLCERT_LOGIN_RATE": "1000000", "SKILLCERT_CODE_GUESS_LIMIT": "100000",
	}
	for k, v := range extra {
		env[k] = v
	}
	cfg, err := server.LoadConfig(func(k string) string {
		if v, ok := os.LookupEnv(k); ok && k != "SKILLCERT_DB" && k != "SKILLCERT_DATA_DIR" {
			return v
		}
		return env[k]
	})
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	app, err := server.New(ctx, cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)), server.Options{})
	if err != nil {
		cancel()
		return nil, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		return nil, nil, err
	}
	done := make(chan struct{})
	go func() { _ = app.ServeListener(ctx, ln); close(done) }()
	stop := func() {
		cancel()
		<-done
		os.RemoveAll(dir)
	}
	return &Env{App: app, URL: "http://" + ln.Addr().String(), Duration: dur, Plans: plans, Engine: engine, Out: out,
		MemProfile: memProfile}, stop, nil
}

// resetMySQL empties the bench database so every run starts fresh.
func resetMySQL(dsn string) error {
	cfg, err := repo.MySQLConfig(dsn)
	if err != nil {
		return err
	}
	name := cfg.DBName
	if name == "" || !strings.Contains(name, "bench") {
		return fmt.Errorf("refusing to reset MySQL database %q: its name must contain \"bench\"", name)
	}
	admin := cfg.Clone()
	admin.DBName = ""
	db, err := repo.OpenRaw("mysql", admin.FormatDSN())
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Exec("DROP DATABASE IF EXISTS " + name); err != nil {
		return err
	}
	_, err = db.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
	return err
}

func writeJSON(path string, v any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	fmt.Printf("report written to %s\n", path)
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// settleInnoDB waits (up to 2 minutes) for InnoDB to write out the pages a
// scenario's data load left dirty, flushing eagerly meanwhile, so that what
// follows is timed in a steady state, not beside the load's write-back: a
// server does not load a year of data in a minute before its staff work.
// Without it, the lists pages had one page of 66 over the target per run, a
// different one each time (p99 60-95 ms with p50 9-14 ms), and the submits
// during the staff scenario's import were fast in some runs and queued in
// others (p50 19-334 ms on the same commit). Nothing is done on SQLite.
func settleInnoDB(ctx context.Context, db *repo.DB) error {
	if db.Dialect != repo.MySQL {
		return nil
	}
	var pct float64
	if err := db.W.GetContext(ctx, &pct, "SELECT @@GLOBAL.innodb_max_dirty_pages_pct"); err != nil {
		return err
	}
	if _, err := db.W.ExecContext(ctx, "SET GLOBAL innodb_max_dirty_pages_pct = 0"); err != nil {
		return err
	}
	defer func() {
		_, _ = db.W.ExecContext(context.Background(), fmt.Sprintf("SET GLOBAL innodb_max_dirty_pages_pct = %g", pct))
	}()
	t0 := time.Now()
	var dirty int
	for time.Since(t0) < 2*time.Minute {
		var name string
		if err := db.W.QueryRowxContext(ctx, "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'").Scan(&name, &dirty); err != nil {
			return err
		}
		if dirty < 50 {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	fmt.Printf("InnoDB settled in %s (%d dirty pages left)\n", time.Since(t0).Round(100*time.Millisecond), dirty)
	return nil
}
