package console_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"skillcert/internal/notifytest"
	"skillcert/internal/testenv"
	"skillcert/repo"
)

// TestResultsImportInBatchesLeavesSubmitsFree imports the results of 5,000
// approved registrations while candidates submit on another plan: every row
// is written with its outbox row and the import is audited once, and no
// submit waits for the whole import (it is written 200 registrations a
// transaction).
func TestResultsImportInBatchesLeavesSubmitsFree(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		const n = 5000
		ctx := context.Background()
		w := newWorld(t, dsn, nil)
		id := createPlan(t, w.a, "RB-1", true)
		var planID int64
		fmt.Sscan(id, &planID)
		people, err := notifytest.Population(ctx, w.app.DB, planID, "res", "approved", n)
		if err != nil {
			t.Fatal(err)
		}
		var csv strings.Builder
		csv.WriteString("证件号码,姓名,理论,实操\n")
		err = w.app.DB.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
			for i, p := range people {
				number := testenv.CompleteIDNumber(fmt.Sprintf("110105199001%05d", i))
				enc, err := w.app.Sealer.Seal(number)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, "UPDATE candidates SET id_type = '01', id_number_enc = ? WHERE id = ?", enc, p.ID); err != nil {
					return err
				}
				fmt.Fprintf(&csv, "%s,考生,合格,%d\n", number, 60+i%40)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		evaluationStarted(t, w.app, id)

		other, code := planWithCode(t, w, "RB-2")
		if _, err := w.app.DB.W.Exec("UPDATE plans SET seats_total = 500 WHERE id = ?", other); err != nil {
			t.Fatal(err)
		}
		// A submit every pace for as long as the import runs (MariaDB's import
		// is slower: the 60 submits are spread over it).
		pace := 10 * time.Millisecond
		if w.app.DB.Dialect == repo.MySQL {
			pace = 100 * time.Millisecond
		}
		type ready struct {
			c  *testenv.Client
			id int64
		}
		var cands []ready
		for i := range 60 {
			c, rid := testenv.ReadyToSubmit(t, w.app, code, testenv.Registrant{Name: "考生" + string(rune('甲'+i))})
			cands = append(cands, ready{c, rid})
		}

		page := "/console/plans/" + id + "/results"
		must(t, w.a.Get(t, page), 200)
		var wg sync.WaitGroup
		var slowest time.Duration
		submits := 0
		start, done := make(chan struct{}), make(chan struct{})
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for _, r := range cands {
				select {
				case <-done:
					return
				case <-time.After(pace):
				}
				submits++
				t0 := time.Now()
				res := r.c.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/registrations/%d/submit", r.id), nil)
				if res.Status != http.StatusOK {
					t.Errorf("submit during the import: %d %s", res.Status, res.Body)
				}
				slowest = max(slowest, time.Since(t0))
			}
		}()
		t0 := time.Now()
		close(start)
		p := postFile(t, w.a, page, "成绩.csv", []byte(csv.String()))
		took := time.Since(t0)
		close(done)
		wg.Wait()
		if p.Status != 303 {
			t.Fatalf("import: %d %s", p.Status, excerpt(p.Body))
		}
		t.Logf("%s: imported %d rows in %v (upload to job done); slowest of %d concurrent submits %v", w.app.DB.Dialect, n, took, submits, slowest)
		for _, line := range strings.Split(w.app.Logs.String(), "\n") {
			if strings.Contains(line, "results job done") {
				t.Logf("%s: %s", w.app.DB.Dialect, line)
			}
		}
		if !strings.Contains(p.Location, "/results/imports/") {
			t.Fatalf("the upload answers %s, want its job page", p.Location)
		}
		must(t, awaitJob(t, w.a, p.Location), 200, "已完成", fmt.Sprintf("已写入 %d / %d 人", n, n), fmt.Sprintf("导入完成：共更新 %d 人", n))
		if k := count(t, w.app, "SELECT COUNT(*) FROM staff_jobs WHERE plan_id = ? AND status = 'done' AND done = ?", planID, n); k != 1 {
			t.Fatalf("%d done jobs of %d rows, want 1", k, n)
		}
		// The bound is relative, as in TestBulkApproveAllMatchingInBatches: the
		// machine is shared, and the race detector slows everything tenfold.
		// (Seen with the whole import in one transaction: 100 ms on SQLite.)
		if slowest > took/4 && slowest > 200*time.Millisecond {
			t.Errorf("a candidate's submit waited %v during a results import of %v", slowest, took)
		}
		if k := count(t, w.app, "SELECT COUNT(*) FROM exam_results WHERE registration_id IN (SELECT id FROM registrations WHERE plan_id = ?)", planID); k != 2*n {
			t.Fatalf("%d results, want %d", k, 2*n)
		}
		// Every result as written in the file: 实操 is 60 + i%40 for the i-th row.
		if k := count(t, w.app, "SELECT COUNT(*) FROM exam_results WHERE subject = 'theory' AND result = 'pass' AND score IS NULL AND registration_id IN (SELECT id FROM registrations WHERE plan_id = ?)", planID); k != n {
			t.Fatalf("%d 理论 results 合格, want %d", k, n)
		}
		if k := count(t, w.app, "SELECT COUNT(*) FROM exam_results WHERE subject = 'practical' AND score >= 60 AND score < 100 AND registration_id IN (SELECT id FROM registrations WHERE plan_id = ?)", planID); k != n {
			t.Fatalf("%d 实操 scores in 60–99, want %d", k, n)
		}
		if k := count(t, w.app, "SELECT COUNT(DISTINCT registration_id) FROM outbox WHERE plan_id = ?", planID); k != n {
			t.Fatalf("outbox rows for %d registrations, want %d", k, n)
		}
		if k := count(t, w.app, "SELECT COUNT(*) FROM audit_log WHERE action = 'results.import' AND object_id = ?", planID); k != 1 {
			t.Fatalf("%d audit rows for the import, want 1", k)
		}
		// The same file again changes nothing.
		must(t, postFile(t, w.a, page, "成绩.csv", []byte(csv.String())), 303)
		if k := count(t, w.app, "SELECT COUNT(DISTINCT registration_id) FROM outbox WHERE plan_id = ?", planID); k != n {
			t.Fatalf("after the second import: outbox rows for %d registrations, want %d", k, n)
		}
	})
}
