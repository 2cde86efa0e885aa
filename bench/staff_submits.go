package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/burst"
	"skillcert/internal/notifytest"
)

// The staff scenario's import under submits: a second results import of 5,000
// rows while candidates submit to another plan, one submit every
// importSubmitPace, each on its own goroutine (so a slow answer delays no
// other), as long as the import runs.
const (
	importSubmitCands = 2000
	importSubmitPace  = 5 * time.Millisecond
)

// importSubmitsReport is that block's report.
type importSubmitsReport struct {
	ImportRows      int     `json:"results_import_rows"`
	ImportSeconds   float64 `json:"results_import_seconds"`
	Submits         int     `json:"submits"`
	SubmitErrors    int     `json:"submit_errors"`
	SubmitP50ms     float64 `json:"submit_p50_ms"`
	SubmitP99ms     float64 `json:"submit_p99_ms"`
	SubmitMaxMs     float64 `json:"submit_max_ms"`
	TargetP99ms     float64 `json:"submit_target_p99_ms"`
	TargetImportSec float64 `json:"results_import_target_seconds"`
	LoadAverage     string  `json:"load_average_before"`
}

// importWithSubmits runs a results import of staffBulk rows on a plan of its
// own (its candidates approved, each with a sealed ID number) while
// candidates submit their drafts to another plan over HTTP, and times both.
func importWithSubmits(ctx context.Context, env *Env, st *core.Staff, stamp int64, target float64) (importSubmitsReport, error) {
	c, db := env.App.Core, env.App.DB
	rep := importSubmitsReport{TargetP99ms: 50, TargetImportSec: target}
	planID, err := notifytest.Plan(ctx, db, notifytest.PlanSpec{No: fmt.Sprintf("SI%d", stamp), EvalStart: "2026-12-20"})
	if err != nil {
		return rep, err
	}
	p, err := db.GetPlan(ctx, db.R, planID)
	if err != nil {
		return rep, err
	}
	// The import is the institution's: move the plan to st's institution.
	today := domain.TodayBeijing(time.Now())
	if _, err := db.W.ExecContext(ctx, "UPDATE plans SET eval_start = ?, eval_end = ?, institution_id = ? WHERE id = ?",
		today, today, st.InstitutionID, p.ID); err != nil {
		return rep, err
	}
	people, err := notifytest.Population(ctx, db, planID, fmt.Sprintf("bench-import-%d", planID), "approved", staffBulk)
	if err != nil {
		return rep, err
	}
	var sheet strings.Builder
	sheet.WriteString("证件号码,姓名,理论,实操\n")
	err = db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
		for i, person := range people {
			number := idNumber(fmt.Sprintf("110105199002%05d", i))
			enc, err := env.App.Sealer.Seal(number)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE candidates SET id_type = '01', id_number_enc = ? WHERE id = ?", enc, person.ID); err != nil {
				return err
			}
			fmt.Fprintf(&sheet, "%s,考生,合格,%d\n", number, 60+i%40)
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	cands, err := burst.Candidates(ctx, env.App, fmt.Sprintf("bench-submit-%d", planID), 500000, importSubmitCands)
	if err != nil {
		return rep, err
	}
	if _, err := burst.Drafts(ctx, env.App, cands, fmt.Sprintf("SS%d", stamp), importSubmitCands); err != nil {
		return rep, err
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

	if err := settleInnoDB(ctx, db); err != nil {
		return rep, err
	}
	rep.LoadAverage = loadAverage()
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	done := make(chan struct{})
	go func() { // a submit every pace until the import ends
		tick := time.NewTicker(importSubmitPace)
		defer tick.Stop()
		for _, cd := range cands {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				t0 := time.Now()
				res, err := client.Do(burst.SubmitRequest(env.URL, cd))
				if err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", res.StatusCode)
					}
				}
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				if err != nil {
					rep.SubmitErrors++
				}
				mu.Unlock()
			}()
		}
	}()
	t0 := time.Now()
	ir, err := c.ImportResults(ctx, st, planID, "成绩.csv", []byte(sheet.String()))
	rep.ImportSeconds = time.Since(t0).Seconds()
	close(done)
	wg.Wait()
	if err != nil {
		return rep, err
	}
	if len(ir.Errors) > 0 {
		return rep, fmt.Errorf("results import refused: %+v", ir.Errors[0])
	}
	rep.ImportRows = ir.Changed
	slices.Sort(lat)
	rep.Submits = len(lat)
	if len(lat) > 0 {
		rep.SubmitP50ms, rep.SubmitP99ms, rep.SubmitMaxMs = ms(percentile(lat, 50)), ms(percentile(lat, 99)), ms(lat[len(lat)-1])
	}
	fmt.Printf("results import %d with submits running %6.2f s (target < %.0f s); %d submits to another plan meanwhile, %d errors, p50 %.1f ms, p99 %.1f ms (target < 50 ms), max %.1f ms\n",
		rep.ImportRows, rep.ImportSeconds, rep.TargetImportSec, rep.Submits, rep.SubmitErrors, rep.SubmitP50ms, rep.SubmitP99ms, rep.SubmitMaxMs)
	return rep, nil
}
