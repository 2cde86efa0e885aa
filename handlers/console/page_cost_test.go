package console_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/jmoiron/sqlx"

	"skillcert/internal/notifytest"
	"skillcert/internal/testenv"
)

// TestPagesCostTheirPageSize seeds a plan with 600 approved registrations and
// shows that the ID-digit search, the results page (first and last) and the
// result edit form read and decrypt about a page of rows, not the plan (before
// the tail hash every one of them read the 600 rows, and the searches opened
// all 600 numbers).
func TestPagesCostTheirPageSize(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		const n = 600
		ctx := context.Background()
		w := newWorld(t, dsn, nil)
		id := createPlan(t, w.a, "PC-1", true)
		var planID int64
		fmt.Sscan(id, &planID)
		people, err := notifytest.Population(ctx, w.app.DB, planID, "pc", "approved", n)
		if err != nil {
			t.Fatal(err)
		}
		numbers := make([]string, n)
		err = w.app.DB.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
			for i, p := range people {
				numbers[i] = testenv.CompleteIDNumber(fmt.Sprintf("110105199001%05d", i))
				enc, err := w.app.Sealer.Seal(numbers[i])
				if err != nil {
					return err
				}
				idx := w.app.Core.IDNumberIndex(numbers[i])
				if _, err := tx.ExecContext(ctx, "UPDATE candidates SET id_type = '01', id_number_enc = ?, id_number_idx = ? WHERE id = ?",
					enc, idx, p.ID); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, "UPDATE registrations SET id_number_idx = ?, submitted_at = ? WHERE id = ?",
					idx, fmt.Sprintf("2026-01-01 08:%02d:%02d", i/60, i%60), p.Registration); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// The rows written before the column existed get their tail at start.
		if _, err := w.app.Core.BackfillIDTails(ctx); err != nil {
			t.Fatal(err)
		}
		var missing int
		if err := w.app.DB.R.Get(&missing, "SELECT COUNT(*) FROM registrations WHERE plan_id = ? AND id_tail_idx IS NULL", planID); err != nil {
			t.Fatal(err)
		}
		if missing != 0 {
			t.Fatalf("%d registrations without a tail hash after the backfill", missing)
		}
		if filled, err := w.app.Core.BackfillIDTails(ctx); err != nil || filled != 0 {
			t.Fatalf("second backfill filled %d (%v): want 0", filled, err)
		}
		evaluationStarted(t, w.app, id)

		target := numbers[417]
		list := "/console/plans/" + id + "/registrations"
		results := "/console/plans/" + id + "/results"
		cost := func(name, path string, want ...string) {
			t.Helper()
			rows, opened := w.app.DB.RowsRead(), w.app.Sealer.Opened()
			must(t, w.a.Get(t, path), 200, want...)
			dr, do := w.app.DB.RowsRead()-rows, w.app.Sealer.Opened()-opened
			t.Logf("%s: %d rows read, %d numbers opened", name, dr, do)
			if dr > 150 || do > 60 {
				t.Errorf("%s read %d rows and opened %d numbers of a %d-registration plan: want about a page", name, dr, do, n)
			}
		}
		cost("search, last 4", list+"?q="+target[14:], target[14:])
		cost("search, last 8", list+"?q="+target[10:], target[14:], "共 1 条")
		cost("search, masked", list+"?q="+target[:6]+"********"+target[14:], target[14:], "共 1 条")
		cost("search, full number", list+"?q="+target, target[14:], "共 1 条")
		cost("results page", results, "共 600 条")
		cost("results, last page", results+"?page=12", "共 600 条", numbers[n-1][14:])
		cost("result edit form", fmt.Sprintf("%s/%d", results, people[417].Registration), target[:6]+"********"+target[14:])

		// Saving the form reads the one row too.
		rows, opened := w.app.DB.RowsRead(), w.app.Sealer.Opened()
		must(t, w.a.Post(t, fmt.Sprintf("%s/%d", results, people[417].Registration), url.Values{"theory": {"合格"}}), 303)
		dr, do := w.app.DB.RowsRead()-rows, w.app.Sealer.Opened()-opened
		t.Logf("result edit save: %d rows read, %d numbers opened", dr, do)
		if dr > 60 || do > 5 {
			t.Errorf("saving one result read %d rows and opened %d numbers: want about one", dr, do)
		}
	})
}
