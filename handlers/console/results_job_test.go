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
		ctx := context.Background()
		w := newWorld(t, dsn, nil)
		id := createPlan(t, w.a, "RF-1", true)
		var planID int64
		fmt.Sscan(id, &planID)
		people, err := notifytest.Population(ctx, w.app.DB, planID, "rf", "approved", n)
		if err != nil {
			t.Fatal(err)
		}
		var csv strings.Builder
		csv.WriteString("证件号码,姓名,理论\n")
		err = w.app.DB.WithTx(ctx, func(tx *sqlx.Tx) error {
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
		p := postFile(t, w.a, page, "成绩.csv", []byte(csv.String()))
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
		p = postFile(t, w.a, page, "成绩.csv", []byte(csv.String()))
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
