package handlers_test

import (
	"context"
	"net/http"
	"strings"
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

// A draft this replica remembers (it was created here) may have been submitted
// on another replica since: a retry here, on the plan that submit filled, is
// answered with the registration as it is, not plan_full; and a registration
// submitted and returned elsewhere is resubmitted here with the seat it holds.
func TestSubmitOfDraftChangedElsewhere(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		e := newRegEnv(t, dsn, nil)
		ctx := context.Background()
		db := e.app.DB.W
		elsewhere := func(regID, planID int64, status string) {
			t.Helper()
			if _, err := db.ExecContext(ctx, db.Rebind("UPDATE registrations SET status = ?, seat_held = 1, submitted_at = CURRENT_TIMESTAMP WHERE id = ?"), status, regID); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, db.Rebind("UPDATE plans SET seats_taken = seats_taken + 1 WHERE id = ?"), planID); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := db.GetContext(ctx, &n, db.Rebind("SELECT seats_taken FROM plans WHERE id = ?"), planID); err != nil {
				t.Fatal(err)
			}
			e.app.Core.Plans.SetSeatsTaken(planID, n) // the read model follows the feed
		}

		// Submitted elsewhere, taking the plan's one seat.
		plan, code := e.plan(t, planSpec{Level: 5, Seats: 1})
		c := e.candidate(t)
		d := e.draft(t, c, code)
		ready(t, c, d.ID, domain.BasisLevel5)
		elsewhere(d.ID, plan.ID, "submitted")
		res := submit(t, c, d.ID)
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"status":"submitted"`) {
			t.Fatalf("retry of a submit made elsewhere: want 200 submitted, got %d %s", res.Status, res.Body)
		}
		if n := e.seatsTaken(t, plan.ID); n != 1 {
			t.Fatalf("seats taken: %d, want 1", n)
		}

		// Submitted and returned elsewhere: resubmitted here, no second seat.
		plan2, code2 := e.plan(t, planSpec{Level: 5, Seats: 2})
		c2 := e.candidate(t)
		d2 := e.draft(t, c2, code2)
		ready(t, c2, d2.ID, domain.BasisLevel5)
		elsewhere(d2.ID, plan2.ID, "returned")
		res = submit(t, c2, d2.ID)
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"status":"submitted"`) {
			t.Fatalf("resubmit of a registration returned elsewhere: want 200 submitted, got %d %s", res.Status, res.Body)
		}
		if n := e.seatsTaken(t, plan2.ID); n != 1 {
			t.Fatalf("seats taken: %d, want 1", n)
		}
	})
}
