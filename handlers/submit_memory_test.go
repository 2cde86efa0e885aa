package handlers_test

import (
	"context"
	"net/http"
	"testing"

	"skillcert/domain"
	"skillcert/internal/testenv"
)

// A plan the read model knows to be full refuses a draft's submit as plan_full
// without a seat taken, even before the database says so (seats taken on
// another replica, seen through the change feed); once the read model follows
// a seat freed elsewhere, the submit goes through.
func TestSubmitRefusedByReadModel(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		ctx := context.Background()
		plan, code := e.plan(t, planSpec{Level: 5, Seats: 2})
		c := e.candidate(t)
		d := e.draft(t, c, code)
		ready(t, c, d.ID, domain.BasisLevel5)

		// The read model says full (as after two submits on another replica).
		e.app.Core.Plans.SetSeatsTaken(plan.ID, 2)
		res := submit(t, c, d.ID)
		if res.Status != http.StatusConflict || res.ErrorCode() != "plan_full" {
			t.Fatalf("full by the read model: want 409 plan_full, got %d %s", res.Status, res.Body)
		}
		if n := e.seatsTaken(t, plan.ID); n != 0 {
			t.Fatalf("a refused submit took a seat: %d", n)
		}

		// The feed tells of a change to the plan (here: its seats were freed
		// elsewhere); the read model follows it, and the seat is offered again.
		if _, err := e.app.DB.W.ExecContext(ctx, e.app.DB.W.Rebind("INSERT INTO plan_changes (plan_id, changed_at) VALUES (?, CURRENT_TIMESTAMP)"), plan.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.app.Core.Plans.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if taken, total, _ := e.app.Core.Plans.Seats(plan.ID); taken != 0 || total != 2 {
			t.Fatalf("read model after the feed: %d of %d taken", taken, total)
		}
		if res := submit(t, c, d.ID); res.Status != http.StatusOK {
			t.Fatalf("after the read model followed: %d %s", res.Status, res.Body)
		}
		if n := e.seatsTaken(t, plan.ID); n != 1 {
			t.Fatalf("seats taken: %d, want 1", n)
		}
	})
}
