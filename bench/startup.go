package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func init() {
	register(Scenario{Name: "startup", Help: "the server binary's time to /readyz and its memory on an existing 100,000-plan database", Run: benchStartup})
}

// StartupReport is the startup scenario's JSON report.
type StartupReport struct {
	Plans          int       `json:"plans"`
	ReadyMS        []float64 `json:"ready_ms"` // process start to the first /readyz 200, each run
	ReadyMedianMS  float64   `json:"ready_median_ms"`
	RSSMB          float64   `json:"rss_mb"`      // resident after 500 plan searches (VmRSS)
	AnonMB         float64   `json:"anon_mb"`     // of which the process's own memory (RssAnon)
	FileMB         float64   `json:"file_mb"`     // and the database file's mapped pages (RssFile: SQLite's mmap_size, page cache the kernel may drop)
	PeakRSSMB      float64   `json:"peak_rss_mb"` // the process's high-water mark (VmHWM)
	RSS5000MB      float64   `json:"rss_5000_mb"` // resident after 5,000 searches (closer to the steady state: the garbage of requests reaches the GC's goal)
	Anon5000MB     float64   `json:"anon_5000_mb"`
	TargetReadyMS  float64   `json:"target_ready_ms"`
	TargetRSSMB    float64   `json:"target_rss_mb"`
	MeetsReady     bool      `json:"meets_ready"`
	MeetsRSS       bool      `json:"meets_rss"`
	BinaryBuiltIn  string    `json:"binary_built_in"`
	MeasuredEngine string    `json:"engine"`
}

// benchStartup loads the plans through the bench's own server, builds the
// real binary, then starts it three times on that database (a data folder of
// its own each time) and measures the time to /readyz 200 (the plan read model
// is built before the server listens) and, after some searches, its memory.
func benchStartup(ctx context.Context, env *Env) (any, error) {
	if err := loadPlans(ctx, env, env.Plans); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "skillcert-startup-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "skillcert")
	t0 := time.Now()
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/skillcert")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("build the binary (run the bench from the module root): %w", err)
	}
	rep := &StartupReport{Plans: env.Plans, TargetReadyMS: 3000, TargetRSSMB: 150,
		BinaryBuiltIn: time.Since(t0).Round(time.Second).String(), MeasuredEngine: env.Engine}
	for i := range 3 {
		ready, mem, later, err := startOnce(ctx, bin, filepath.Join(dir, fmt.Sprintf("data%d", i)), env)
		if err != nil {
			return nil, err
		}
		if later["VmRSS"] > rep.RSS5000MB {
			rep.RSS5000MB, rep.Anon5000MB = later["VmRSS"], later["RssAnon"]
		}
		rep.ReadyMS = append(rep.ReadyMS, ms(ready))
		if mem["VmRSS"] > rep.RSSMB {
			rep.RSSMB, rep.AnonMB, rep.FileMB = mem["VmRSS"], mem["RssAnon"], mem["RssFile"]
		}
		rep.PeakRSSMB = max(rep.PeakRSSMB, mem["VmHWM"])
	}
	sorted := append([]float64(nil), rep.ReadyMS...)
	sort.Float64s(sorted)
	rep.ReadyMedianMS = sorted[len(sorted)/2]
	rep.MeetsReady, rep.MeetsRSS = rep.ReadyMedianMS < rep.TargetReadyMS, rep.RSSMB < rep.TargetRSSMB
	fmt.Printf("%d plans: /readyz 200 after %v ms (median %.0f ms, target < 3 s: %v)\n", rep.Plans, rep.ReadyMS, rep.ReadyMedianMS, rep.MeetsReady)
	fmt.Printf("RSS after 500 searches %.1f MB (target < 150 MB: %v) = own memory %.1f MB + mapped database file %.1f MB; peak %.1f MB\n",
		rep.RSSMB, rep.MeetsRSS, rep.AnonMB, rep.FileMB, rep.PeakRSSMB)
	fmt.Printf("RSS after 5,000 searches %.1f MB, own memory %.1f MB\n", rep.RSS5000MB, rep.Anon5000MB)
	return rep, nil
}

// startOnce starts the binary, waits for /readyz, searches, reads its memory
// (after 500 searches, and after 5,000) and stops it.
func startOnce(ctx context.Context, bin, dataDir string, env *Env) (ready time.Duration, mem, later map[string]float64, err error) {
	addr, err := freeAddr()
	if err != nil {
		return 0, nil, nil, err
	}
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = append(os.Environ(), "SKILLCERT_DB="+env.App.Cfg.DB, "SKILLCERT_DATA_DIR="+dataDir,
		"SKILLCERT_ADDR="+addr, "SKILLCERT_DEMO=0", "SKILLCERT_ACCESS_LOG=0", "SKILLCERT_LOG_LEVEL=warn",
		"SKILLCERT_METRICS_ADDR=off", "SKILLCERT_DATA_KEY="+env.App.Cfg.DataKey)
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, nil, nil, err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	base := "http://" + addr
	cl := &http.Client{Timeout: 2 * time.Second}
	for {
		if time.Since(start) > 60*time.Second {
			return 0, nil, nil, fmt.Errorf("no /readyz 200 within a minute")
		}
		res, err := cl.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				ready = time.Since(start)
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	targets := searchMix(base)
	for i := range 5000 {
		if i == 500 {
			if mem, err = procMemory(cmd.Process.Pid); err != nil {
				return 0, nil, nil, err
			}
		}
		res, err := cl.Get(targets[i%len(targets)].URL)
		if err != nil {
			return 0, nil, nil, err
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	later, err = procMemory(cmd.Process.Pid)
	return ready, mem, later, err
}

// procMemory reads a process's memory lines of /proc/<pid>/status (VmRSS,
// VmHWM, RssAnon, RssFile, …) in MB.
func procMemory(pid int) (map[string]float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || !strings.HasSuffix(v, " kB") {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(v, " kB")), 64)
		if err != nil {
			return nil, err
		}
		out[k] = kb / 1024
	}
	return out, sc.Err()
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}
