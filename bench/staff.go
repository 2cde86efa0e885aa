package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/notifytest"
)

func init() {
	register(Scenario{Name: "staff", Run: benchStaff,
		Help: "province-scale console work (issue 26): bulk approve of 5,000 registrations awaiting review (all matching, batches of 200), a results import for those 5,000, then the roster export of a 50,000-registration plan (streamed), time and RSS growth"})
}

const (
	staffBulk   = 5000
	staffRoster = 50000
)

// staffReport is the scenario's report.
type staffReport struct {
	BulkApproved       int     `json:"bulk_approved"`
	BulkSeconds        float64 `json:"bulk_approve_seconds"`
	BulkTargetSeconds  float64 `json:"bulk_target_seconds"`
	RosterRows         int     `json:"roster_rows"`
	RosterSeconds      float64 `json:"roster_export_seconds"`
	RosterBytes        int64   `json:"roster_bytes"`
	RosterRSSGrowthMB  float64 `json:"roster_rss_growth_mb"`
	RosterAnonGrowthMB float64 `json:"roster_rss_anon_growth_mb"`
	RosterPeakHeapMB   float64 `json:"roster_peak_go_heap_mb"`
	RosterTargetSecs   float64 `json:"roster_target_seconds"`
	RosterTargetRSSMB  float64 `json:"roster_target_rss_growth_mb"`
	ImportRows         int     `json:"results_import_rows"`
	ImportSeconds      float64 `json:"results_import_seconds"`
	ImportTargetSecs   float64 `json:"results_import_target_seconds"`
	LoadAverageAtStart string  `json:"load_average_at_start"`
	// A second import of as many rows while candidates submit to another plan.
	ImportWithSubmits importSubmitsReport `json:"results_import_with_submits"`
}

func benchStaff(ctx context.Context, env *Env) (any, error) {
	c, db := env.App.Core, env.App.DB
	rep := staffReport{BulkTargetSeconds: 2, RosterTargetSecs: 1.5, RosterTargetRSSMB: 30, ImportTargetSecs: 1,
		LoadAverageAtStart: loadAverage()}
	if env.Engine != "sqlite" {
		rep.BulkTargetSeconds, rep.ImportTargetSecs = 4, 2
	}
	stamp := time.Now().Unix() % 100000

	// Bulk approve: one plan, 5,000 registrations awaiting review.
	bulkPlan, err := notifytest.Plan(ctx, db, notifytest.PlanSpec{No: fmt.Sprintf("SB%d", stamp), EvalStart: "2026-12-20"})
	if err != nil {
		return nil, err
	}
	p, err := db.GetPlan(ctx, db.R, bulkPlan)
	if err != nil {
		return nil, err
	}
	if _, err := notifytest.Population(ctx, db, bulkPlan, fmt.Sprintf("bench-bulk-%d", bulkPlan), "submitted", staffBulk); err != nil {
		return nil, err
	}
	st, err := c.CreateStaff(ctx, core.NewStaff{Username: fmt.Sprintf("bench-staff-%d", bulkPlan), Password: "bench-password-1",
		Role: domain.RoleInstitution, InstitutionID: p.InstitutionID}, nil)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	res, err := c.ReviewRegistrations(ctx, &st, bulkPlan, core.BulkReviewRequest{Decision: core.ReviewDecision{Action: domain.ActionApprove},
		All: true, Expect: staffBulk})
	if err != nil {
		return nil, err
	}
	if res.JobID != 0 { // more than a few batches: a job, as the console shows it
		for {
			j, err := c.GetBulkReviewJob(ctx, &st, bulkPlan, res.JobID)
			if err != nil {
				return nil, err
			}
			if !j.Running() {
				if j.Status != core.JobDone {
					return nil, fmt.Errorf("bulk review job %d: %s %s", j.ID, j.Status, j.Error)
				}
				res.Done = j.Done
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	rep.BulkSeconds, rep.BulkApproved = time.Since(t0).Seconds(), res.Done

	// Results import: the 5,000 just approved, each with a sealed ID number of
	// its own, 理论 and 实操 for each (written 200 registrations a transaction).
	if _, err := db.W.ExecContext(ctx, "UPDATE plans SET eval_start = ?, eval_end = ? WHERE id = ?",
		domain.TodayBeijing(time.Now()), domain.TodayBeijing(time.Now()), bulkPlan); err != nil {
		return nil, err
	}
	var cands []int64
	if err := db.R.SelectContext(ctx, &cands, "SELECT candidate_id FROM registrations WHERE plan_id = ? ORDER BY id", bulkPlan); err != nil {
		return nil, err
	}
	var sheet strings.Builder
	sheet.WriteString("证件号码,姓名,理论,实操\n")
	for i, cid := range cands {
		number := idNumber(fmt.Sprintf("110105199001%05d", i))
		enc, err := env.App.Sealer.Seal(number)
		if err != nil {
			return nil, err
		}
		if _, err := db.W.ExecContext(ctx, "UPDATE candidates SET id_type = '01', id_number_enc = ? WHERE id = ?", enc, cid); err != nil {
			return nil, err
		}
		fmt.Fprintf(&sheet, "%s,考生,合格,%d\n", number, 60+i%40)
	}
	t0 = time.Now()
	ir, err := c.ImportResults(ctx, &st, bulkPlan, "成绩.csv", []byte(sheet.String()))
	if err != nil {
		return nil, err
	}
	if len(ir.Errors) > 0 {
		return nil, fmt.Errorf("results import refused: %+v", ir.Errors[0])
	}
	rep.ImportSeconds, rep.ImportRows = time.Since(t0).Seconds(), ir.Changed

	// The same import on another plan while candidates submit (bench/staff_submits.go).
	if rep.ImportWithSubmits, err = importWithSubmits(ctx, env, &st, stamp, rep.ImportTargetSecs); err != nil {
		return nil, err
	}

	// Roster export: a plan of 50,000 approved registrations with sealed ID
	// numbers and phones (each row is decrypted, as in production).
	rosterPlan, err := notifytest.Plan(ctx, db, notifytest.PlanSpec{No: fmt.Sprintf("SR%d", stamp), EvalStart: "2026-12-20"})
	if err != nil {
		return nil, err
	}
	prefix := fmt.Sprintf("bench-roster-%d", rosterPlan)
	if _, err := notifytest.Population(ctx, db, rosterPlan, prefix, "approved", staffRoster); err != nil {
		return nil, err
	}
	idEnc, err := env.App.Sealer.Seal("11010519491231002X")
	if err != nil {
		return nil, err
	}
	phoneEnc, err := env.App.Sealer.Seal("13800138000")
	if err != nil {
		return nil, err
	}
	if _, err := db.W.ExecContext(ctx, `UPDATE candidates SET id_type = '01', id_number_enc = ?, gender = '女', birth_date = '1949-12-31'
		WHERE openid LIKE ?`, idEnc, prefix+"-%"); err != nil {
		return nil, err
	}
	if _, err := db.W.ExecContext(ctx, `UPDATE registrations SET version = version + 1, phone_enc = ?, employer = '广州某某科技有限公司', basis = 'work_years',
		education = '21', submitted_at = created_at WHERE plan_id = ?`, phoneEnc, rosterPlan); err != nil {
		return nil, err
	}
	rp, err := db.GetPlan(ctx, db.R, rosterPlan)
	if err != nil {
		return nil, err
	}
	st2, err := c.CreateStaff(ctx, core.NewStaff{Username: fmt.Sprintf("bench-roster-%d", rosterPlan), Password: "bench-password-1",
		Role: domain.RoleInstitution, InstitutionID: rp.InstitutionID}, nil)
	if err != nil {
		return nil, err
	}
	runtime.GC()
	if err := writeAllocs(env.MemProfile, ".base"); err != nil {
		return nil, err
	}
	before, beforeAnon := rssBytes(), anonBytes()
	peak, peakAnon := before, beforeAnon
	var peakHeap uint64
	heap := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}} // live and not yet swept objects
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // sample the resident set while the export runs
		defer wg.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				peak, peakAnon = max(peak, rssBytes()), max(peakAnon, anonBytes())
				metrics.Read(heap) // no stop of the world, unlike runtime.ReadMemStats
				peakHeap = max(peakHeap, heap[0].Value.Uint64())
			}
		}
	}()
	t1 := time.Now()
	rs, err := c.ExportPlanRoster(ctx, &st2, rosterPlan, "")
	if err != nil {
		close(stop)
		return nil, err
	}
	cw := &countingWriter{}
	rep.RosterRows, err = rs.WriteTo(ctx, cw)
	rep.RosterSeconds = time.Since(t1).Seconds()
	close(stop)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	rep.RosterBytes = cw.n
	rep.RosterRSSGrowthMB = float64(max(peak, rssBytes())-before) / (1 << 20)
	rep.RosterAnonGrowthMB = float64(max(peakAnon, anonBytes())-beforeAnon) / (1 << 20)
	rep.RosterPeakHeapMB = float64(peakHeap) / (1 << 20)
	if err := writeAllocs(env.MemProfile, ""); err != nil {
		return nil, err
	}

	fmt.Printf("\n== staff (%s), load average at start %s ==\n", env.Engine, rep.LoadAverageAtStart)
	fmt.Printf("bulk approve %d      %6.2f s (target < %.0f s)\n", rep.BulkApproved, rep.BulkSeconds, rep.BulkTargetSeconds)
	fmt.Printf("results import %d   %6.2f s (target < %.0f s)\n", rep.ImportRows, rep.ImportSeconds, rep.ImportTargetSecs)
	fmt.Printf("roster export %d rows %6.2f s, %.1f MB file, RSS +%.1f MB (targets < %.1f s, < %.0f MB); anonymous RSS +%.1f MB, Go heap peak %.1f MB\n",
		rep.RosterRows, rep.RosterSeconds, float64(rep.RosterBytes)/(1<<20), rep.RosterRSSGrowthMB, rep.RosterTargetSecs, rep.RosterTargetRSSMB,
		rep.RosterAnonGrowthMB, rep.RosterPeakHeapMB)
	return rep, nil
}

// writeAllocs writes the allocation profile to file+suffix (nothing when file
// is ""): the profiles before and after the roster export, compared with
// go tool pprof -sample_index=alloc_space -base FILE.base FILE, are the
// export's own allocations.
func writeAllocs(file, suffix string) error {
	if file == "" {
		return nil
	}
	runtime.GC() // the profile is as of the last collection
	f, err := os.Create(file + suffix)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// countingWriter discards what it is given and counts it.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countingWriter)(nil)

// rssBytes is the process's resident set (Linux /proc; 0 elsewhere).
func rssBytes() int64 { return procStatus("VmRSS:") }

// anonBytes is the anonymous part of the resident set: the process's own
// memory (Go heap, stacks, C allocations), without file pages it maps (SQLite's
// mmap of the database file, dropped by the kernel when it needs them).
func anonBytes() int64 { return procStatus("RssAnon:") }

// procStatus reads one kB figure of /proc/self/status in bytes.
func procStatus(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// loadAverage is the machine's 1, 5 and 15 minute load average (Linux).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// idNumber completes 17 digits with the check character of a 居民身份证 number.
func idNumber(first17 string) string {
	c, _ := domain.IDCheckChar(first17)
	return first17 + string(c)
}
