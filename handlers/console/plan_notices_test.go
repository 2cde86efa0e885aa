package console_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"skillcert/internal/notifytest"
	"skillcert/internal/testenv"
)

// TestPlanEditNoticesInBatches edits the place of a plan with 1,200 seat
// holders: the save commits, then every holder gets exactly one plan.changed
// outbox row (written in batches after the save); saving again without a
// change writes none, a second change one more each.
func TestPlanEditNoticesInBatches(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		const holders = 1200
		w := newWorld(t, dsn, nil)
		id := createPlan(t, w.a, "PN-1", true)
		var pid int64
		fmt.Sscan(id, &pid)
		if _, err := notifytest.Population(context.Background(), w.app.DB, pid, "pn", "approved", holders); err != nil {
			t.Fatal(err)
		}
		if _, err := w.app.DB.W.Exec("UPDATE registrations SET seat_held = 1 WHERE plan_id = ?", pid); err != nil {
			t.Fatal(err)
		}
		counts := func() (rows, regs int) {
			t.Helper()
			err := w.app.DB.R.QueryRow(`SELECT COUNT(*), COUNT(DISTINCT registration_id) FROM outbox
				WHERE event_kind = 'plan.changed' AND plan_id = ?`, pid).Scan(&rows, &regs)
			if err != nil {
				t.Fatal(err)
			}
			return rows, regs
		}
		f := planForm("PN-1")
		f.Set("seats_total", fmt.Sprint(holders))
		f.Set("address", "黄埔区新校区2号楼")
		w.a.Get(t, "/console/plans/"+id+"/edit")
		t0 := time.Now()
		must(t, w.a.Post(t, "/console/plans/"+id, f), 303)
		t.Logf("saved and notified %d holders in %v", holders, time.Since(t0))
		if rows, regs := counts(); rows != holders || regs != holders {
			t.Fatalf("%d plan.changed rows for %d registrations, want %d each", rows, regs, holders)
		}
		w.a.Get(t, "/console/plans/"+id+"/edit")
		must(t, w.a.Post(t, "/console/plans/"+id, f), 303)
		if rows, _ := counts(); rows != holders {
			t.Fatalf("an unchanged save wrote notices: %d rows", rows)
		}
		f.Set("address", "黄埔区新校区3号楼")
		w.a.Get(t, "/console/plans/"+id+"/edit")
		must(t, w.a.Post(t, "/console/plans/"+id, f), 303)
		if rows, regs := counts(); rows != 2*holders || regs != holders {
			t.Fatalf("after a second change: %d rows for %d registrations", rows, regs)
		}
	})
}
