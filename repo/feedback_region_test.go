package repo_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jmoiron/sqlx"

	"skillcert/internal/testenv"
	"skillcert/repo"
)

// TestFeedbackFollowsItsPlansRegion checks on both engines that a feedback
// carries its plan's 业务监管地 (migration 00032: the inbox reads
// feedback.supervision_region, not the plan's) from its insert on, and that a
// plan's edit and SetPlanRegion move it to the new region's inbox, its pages
// and its count, with the other plans' feedback left where it was; and that
// feedback written without a region, or with another, is mended from its plan.
func TestFeedbackFollowsItsPlansRegion(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openMigrated(t, dsn)
		_, cand, firstPlan := listPlans(t, db, 40, func(int) string { return repo.PlanPublished })
		var moved, stays []int64 // feedback on the plan that moves, on another of its region
		regionOf := func(id int64) string {
			p, err := db.GetPlan(ctx, db.R, id)
			if err != nil {
				t.Fatal(err)
			}
			return p.SupervisionRegion
		}
		from := regionOf(firstPlan)
		other := firstPlan + 1
		for regionOf(other) != from {
			other++
		}
		for i := range 6 {
			plan := firstPlan
			if i%2 == 1 {
				plan = other
			}
			f := repo.Feedback{CandidateID: cand, PlanID: plan, Category: "other", Content: "x", ContactPref: "none",
				ContentCheck: "unchecked", CreatedAt: repo.Now(), UpdatedAt: repo.Now()}
			if err := db.WithSQLTx(ctx, func(tx *sqlx.Tx) error { return db.InsertFeedback(ctx, tx, &f) }); err != nil {
				t.Fatal(err)
			}
			if plan == firstPlan {
				moved = append(moved, f.ID)
			} else {
				stays = append(stays, f.ID)
			}
		}
		inbox := func(region string) []int64 {
			t.Helper()
			f := repo.FeedbackFilter{Region: region, Category: "other"}
			rows, err := db.FeedbackInbox(ctx, f, repo.ListKey{}, 50)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, r := range rows {
				out = append(out, r.ID)
				if r.SupervisionRegion != region {
					t.Errorf("feedback %d in %s's inbox shows region %q", r.ID, region, r.SupervisionRegion)
				}
			}
			slices.Sort(out)
			n, err := db.CountFeedbackInbox(ctx, f, 1000)
			if err != nil {
				t.Fatal(err)
			}
			if n.N != len(out) || n.Approx {
				t.Errorf("%s's inbox lists %d, counts %+v", region, len(out), n)
			}
			return out
		}
		want := func(what, region string, ids ...[]int64) {
			t.Helper()
			w := slices.Sorted(slices.Values(slices.Concat(ids...)))
			if got := inbox(region); !slices.Equal(got, w) {
				t.Errorf("%s: %s's inbox %v, want %v", what, region, got, w)
			}
		}
		const to = "新区"
		want("inserted", from, moved, stays)
		want("inserted", to)

		p, err := db.GetPlan(ctx, db.R, firstPlan)
		if err != nil {
			t.Fatal(err)
		}
		p.SupervisionRegion, p.UpdatedAt = to, repo.Now()
		if err := db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
			ok, err := db.UpdatePlan(ctx, tx, &p)
			if err == nil && !ok {
				t.Fatal("the edit changed nothing")
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		want("after the edit", from, stays)
		want("after the edit", to, moved)

		if err := db.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
			_, err := db.SetPlanRegion(ctx, tx, firstPlan, from, repo.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
		want("after SetPlanRegion", from, moved, stays)
		want("after SetPlanRegion", to)

		// Feedback written without a region, or left in the old one by a
		// plan's edit (a build before 00032 during a rolling upgrade), is
		// mended from its plan.
		if _, err := db.W.ExecContext(ctx, "UPDATE feedback SET supervision_region = '' WHERE id IN (?, ?)", moved[0], stays[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := db.W.ExecContext(ctx, "UPDATE feedback SET supervision_region = ? WHERE id = ?", to, moved[1]); err != nil {
			t.Fatal(err)
		}
		want("without a region", from, moved[2:], stays[1:])
		if n, err := db.RepairFeedbackRegions(ctx); err != nil || n != 3 {
			t.Fatalf("repair: %d mended, %v; want 3", n, err)
		}
		want("after the repair", to)
		want("after the repair", from, moved, stays)
		if n, err := db.RepairFeedbackRegions(ctx); err != nil || n != 0 {
			t.Fatalf("second repair: %d mended, %v; want none", n, err)
		}
	})
}
