package console_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"skillcert/internal/notifytest"
	"skillcert/internal/testenv"
	"skillcert/repo"
)

// TestResultsImportFailingHalfwayKeepsWhatWasWritten makes the database refuse
// one registration's certificate event in the middle of a 1,000-row import: the
// batches before it stay written with their outbox rows, the job page says the
// import failed and how many were saved, and a results.failed audit row is
// recorded. With the obstacle gone, the same file writes only the rest.
func TestResultsImportFailingHalfwayKeepsWhatWasWritten(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		const n, failAt = 1000, 500 // batches of 200: 400 written before the failing one
		w := newWorld(t, dsn, nil)
		id := createPlan(t, w.a, "RF-1", true)
		var planID int64
		fmt.Sscan(id, &planID)
		people, csv := resultsFile(t, w, planID, "rf", n)
		evaluationStarted(t, w.app, id)
		regID := people[failAt].Registration
		trigger := fmt.Sprintf(`CREATE TRIGGER results_fail BEFORE INSERT ON certificate_events
			WHEN NEW.registration_id = %d BEGIN SELECT RAISE(ABORT, 'test: refused'); END`, regID)
		if w.app.DB.Dialect == repo.MySQL {
			trigger = fmt.Sprintf(`CREATE TRIGGER results_fail BEFORE INSERT ON certificate_events FOR EACH ROW
				BEGIN IF NEW.registration_id = %d THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test: refused'; END IF; END`, regID)
		}
		if _, err := w.app.DB.W.Exec(trigger); err != nil {
			t.Fatal(err)
		}

		page := "/console/plans/" + id + "/results"
		p := postFile(t, w.a, page, "成绩.csv", []byte(csv))
		must(t, p, 303)
		failedJob := p.Location
		saved := failAt / 200 * 200
		must(t, awaitJob(t, w.a, p.Location), 200, "失败", fmt.Sprintf("已写入 %d / %d 人", saved, n),
			fmt.Sprintf("导入中途失败：已保存 %d 人，其余 %d 人未写入", saved, n-saved))
		if k := count(t, w.app, "SELECT COUNT(*) FROM exam_results WHERE registration_id IN (SELECT id FROM registrations WHERE plan_id = ?)", planID); k != saved {
			t.Fatalf("%d results kept, want %d", k, saved)
		}
		if k := count(t, w.app, "SELECT COUNT(DISTINCT registration_id) FROM outbox WHERE plan_id = ?", planID); k != saved {
			t.Fatalf("outbox rows for %d registrations, want %d", k, saved)
		}
		if k := count(t, w.app, "SELECT COUNT(*) FROM staff_jobs WHERE plan_id = ? AND status = 'failed' AND done = ?", planID, saved); k != 1 {
			t.Fatalf("%d failed jobs with %d saved, want 1", k, saved)
		}
		if k := count(t, w.app, "SELECT COUNT(*) FROM audit_log WHERE action = 'results.failed' AND object_id = ?", planID); k != 1 {
			t.Fatalf("%d results.failed audit rows, want 1", k)
		}
		if k := count(t, w.app, "SELECT COUNT(*) FROM audit_log WHERE action = 'results.import' AND object_id = ?", planID); k != 0 {
			t.Fatalf("%d results.import audit rows of a failed import, want 0", k)
		}

		// The obstacle gone, the same file writes what is left.
		if _, err := w.app.DB.W.Exec("DROP TRIGGER results_fail"); err != nil {
			t.Fatal(err)
		}
		p = postFile(t, w.a, page, "成绩.csv", []byte(csv))
		must(t, awaitJob(t, w.a, p.Location), 200, "已完成", fmt.Sprintf("已写入 %d / %d 人", n-saved, n-saved))
		if k := count(t, w.app, "SELECT COUNT(DISTINCT registration_id) FROM outbox WHERE plan_id = ?", planID); k != n {
			t.Fatalf("after the second import: outbox rows for %d registrations, want %d", k, n)
		}

		// A job left running by a server that stopped without waiting: its page
		// stops refreshing and says it was cut off.
		if _, err := w.app.DB.W.Exec("UPDATE staff_jobs SET status = 'running', updated_at = ? WHERE status = 'failed' AND plan_id = ?",
			time.Now().UTC().Add(-10*time.Minute), planID); err != nil {
			t.Fatal(err)
		}
		must(t, awaitJob(t, w.a, failedJob), 200, "导入已中断（服务器重启或故障）：已保存 400 人")
	})
}

// resultsFile gives a plan n approved registrations with sealed ID numbers and
// returns them with a results file (证件号码, 姓名, 理论 合格) for all of them.
func resultsFile(t *testing.T, w *world, planID int64, prefix string, n int) ([]notifytest.Person, string) {
	t.Helper()
	ctx := context.Background()
	people, err := notifytest.Population(ctx, w.app.DB, planID, prefix, "approved", n)
	if err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("证件号码,姓名,理论\n")
	err = w.app.DB.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
		for i, p := range people {
			number := testenv.CompleteIDNumber(fmt.Sprintf("110105199002%05d", i))
			enc, err := w.app.Sealer.Seal(number)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "UPDATE candidates SET id_type = '01', id_number_enc = ? WHERE id = ?", enc, p.ID); err != nil {
				return err
			}
			fmt.Fprintf(&csv, "%s,考生,合格\n", number)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return people, csv.String()
}

// TestShutdownWaitsForResultsImport stops the server right after a 5,000-row
// upload: Shutdown waits for the job's batches before closing the database, so
// the job ends done, not failed on a closed database.
func TestShutdownWaitsForResultsImport(t *testing.T) {
	const n = 5000
	w := newWorld(t, testenv.NewDSN(t, "sqlite"), nil)
	id := createPlan(t, w.a, "RS-1", true)
	var planID int64
	fmt.Sscan(id, &planID)
	_, csv := resultsFile(t, w, planID, "rs", n)
	evaluationStarted(t, w.app, id)
	page := "/console/plans/" + id + "/results"
	must(t, postFileNoWait(t, w.a, page, "成绩.csv", []byte(csv)), 303)
	w.app.Shutdown()
	logs := w.app.Logs.String()
	if strings.Contains(logs, "results job failed") || !strings.Contains(logs, "results job done") {
		t.Fatalf("the import did not finish before the shutdown: %s", logs[max(0, len(logs)-2000):])
	}
}

// TestResultsImportOneAtATimePerPlan: while an import of a plan is running (a
// job row that wrote a batch moments ago, as another replica's would be), a
// second upload is refused with a 409 naming the running job, and nothing of
// it is written; once the running job has been silent past the stale limit (a
// crash), the upload starts and completes.
func TestResultsImportOneAtATimePerPlan(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		id := createPlan(t, w.a, "RL-1", true)
		var planID int64
		fmt.Sscan(id, &planID)
		_, csv := resultsFile(t, w, planID, "rl", 20)
		evaluationStarted(t, w.app, id)

		ctx := context.Background()
		running, err := w.app.DB.InsertStaffJob(ctx, repo.StaffJob{Kind: "results.import", PlanID: planID, StaffID: 1, Total: 100,
			LockKey: "results.import:" + id}, time.Now().UTC(), 2*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		page := "/console/plans/" + id + "/results"
		p := postFile(t, w.a, page, "成绩.csv", []byte(csv))
		must(t, p, 409, fmt.Sprintf("该计划已有一个成绩导入正在进行（任务 #%d），请等待其完成后再操作", running))
		if k := count(t, w.app, "SELECT COUNT(*) FROM staff_jobs WHERE plan_id = ?", planID); k != 1 {
			t.Fatalf("%d jobs after a refused upload, want 1", k)
		}
		if k := count(t, w.app, "SELECT COUNT(*) FROM exam_results WHERE registration_id IN (SELECT id FROM registrations WHERE plan_id = ?)", planID); k != 0 {
			t.Fatalf("%d results written by a refused upload", k)
		}

		// Another plan's import is not held up by it.
		other := createPlan(t, w.a, "RL-2", true)
		var otherID int64
		fmt.Sscan(other, &otherID)
		_, csv2 := resultsFile(t, w, otherID, "rm", 5)
		evaluationStarted(t, w.app, other)
		p = postFile(t, w.a, "/console/plans/"+other+"/results", "成绩.csv", []byte(csv2))
		must(t, awaitJob(t, w.a, p.Location), 200, "已完成")

		// The running job goes silent past the limit: it loses the lock.
		if _, err := w.app.DB.W.Exec("UPDATE staff_jobs SET updated_at = ? WHERE id = ?", time.Now().UTC().Add(-10*time.Minute), running); err != nil {
			t.Fatal(err)
		}
		p = postFile(t, w.a, page, "成绩.csv", []byte(csv))
		must(t, awaitJob(t, w.a, p.Location), 200, "已完成", "已写入 20 / 20 人")
		// Finished, it holds nothing: the same upload starts again at once.
		p = postFile(t, w.a, page, "成绩.csv", []byte(csv))
		must(t, p, 303)
		awaitJob(t, w.a, p.Location)
	})
}
