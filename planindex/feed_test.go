package planindex_test

import (
	"context"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/internal/testenv"
	"skillcert/repo"
)

// A change whose feed id was taken before a later change committed (the
// transaction commits late) is a gap in the feed: the index asks for it again
// and applies it when it commits, whether the index read the later change at a
// poll or while loading everything at start-up. MariaDB only: SQLite's single
// writer commits in id order.
func TestPlanIndexFollowsLateCommits(t *testing.T) {
	ctx := context.Background()
	db, _ := plansDB(t, testenv.NewDSN(t, "mysql"), repo.Options{MaxOpenConns: 8}, 3, 1, func(plans []repo.Plan) {
		for i := range plans {
			plans[i].State, plans[i].SeatsTaken, plans[i].SeatsTotal = repo.PlanPublished, 0, 50
		}
	})
	var ids []int64
	if err := db.R.Select(&ids, `SELECT id FROM plans ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	seats := func(c *core.Core, id int64) int {
		v, err := c.GetPlan(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return v.SeatsTotal - v.SeatsLeft
	}
	// late takes a seat of plan id in a transaction left open; commit ends it.
	late := func(id int64) (commit func()) {
		tx, err := db.W.BeginTxx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := db.TakeSeat(ctx, tx, id, time.Now()); !ok || err != nil {
			t.Fatalf("take seat: %v %v", ok, err)
		}
		// As a submit's commit group does: the feed entry in the same transaction.
		if err := db.RecordPlanChange(ctx, tx, id, time.Now()); err != nil {
			t.Fatal(err)
		}
		return func() {
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
		}
	}
	seat := func(id int64) {
		if err := db.WithTx(ctx, func(tx repo.Tx) error {
			if _, err := tx.TakeSeat(ctx, id, time.Now()); err != nil {
				return err
			}
			return tx.RecordPlanChange(ctx, id, time.Now())
		}); err != nil {
			t.Fatal(err)
		}
	}

	c := core.New(core.Deps{DB: db, Now: time.Now})
	if err := c.Plans.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	// At a poll.
	commit := late(ids[0])
	seat(ids[1]) // a later id, committed first
	if err := c.Plans.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if seats(c, ids[1]) != 1 || seats(c, ids[0]) != 0 {
		t.Fatalf("before the late commit: %d and %d seats taken", seats(c, ids[0]), seats(c, ids[1]))
	}
	commit()
	if err := c.Plans.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got := seats(c, ids[0]); got != 1 {
		t.Fatalf("the late commit was missed: %d seats taken, want 1", got)
	}

	// At start-up: a replica loads everything while a transaction is open.
	commit = late(ids[2])
	seat(ids[1])
	c2 := core.New(core.Deps{DB: db, Now: time.Now})
	if err := c2.Plans.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	commit()
	if err := c2.Plans.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got := seats(c2, ids[2]); got != 1 {
		t.Fatalf("the commit late at start-up was missed: %d seats taken, want 1", got)
	}
	if got := seats(c2, ids[1]); got != 2 {
		t.Fatalf("plan %d: %d seats taken, want 2", ids[1], got)
	}
}
