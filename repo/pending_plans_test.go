package repo_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"skillcert/internal/testenv"
	"skillcert/repo"
)

// TestPendingPlanPagesMatchTheProbe checks on both engines that the 有待审核
// pages, walked from the registrations awaiting review a batch at a time
// (migration 00028), list the plans the old query found by probing each plan
// for a submitted registration, in the same order, page by page in either
// direction and with every other filter; and that the capped count agrees.
func TestPendingPlanPagesMatchTheProbe(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openMigrated(t, dsn)
		const nPlans = 3000
		states := []string{repo.PlanDraft, repo.PlanPublished, repo.PlanPublished, "closed"}
		insts, _, firstPlan := listPlans(t, db, nPlans, func(i int) string { return states[(i/7)%len(states)] })
		pending := listRegistrations(t, db, firstPlan, nPlans)
		if len(pending) < 20 {
			t.Fatalf("only %d plans await review", len(pending))
		}
		repo.SetPendingBatch(t, 7) // several batches a page, and pages across batches
		probe := func(f repo.PlanFilter) []int64 {
			older, _, _, args := db.PlanListSQL(f)
			var rows []repo.Plan
			if err := db.R.Select(&rows, db.WithFilters(older, append(args, int64(math.MaxInt64), nPlans)), append(args, int64(math.MaxInt64), nPlans)...); err != nil {
				t.Fatal(err)
			}
			ids := make([]int64, len(rows))
			for i, r := range rows {
				ids[i] = r.ID
			}
			return ids
		}
		for _, f := range []repo.PlanFilter{{}, {InstitutionID: insts[2]}, {Region: "甲市"}, {State: "closed"},
			{Region: "乙市", State: repo.PlanPublished}, {Text: "计划1"}, {Text: "P000097"}, {InstitutionID: insts[4], Text: "无此计划"}} {
			f.Phase = repo.PhasePending
			want := probe(f)
			if len(want) == 0 && f.Text != "无此计划" {
				t.Fatalf("%+v: the probe finds no plan", f)
			}
			for _, size := range []int{1, 3, 10} {
				what := fmt.Sprintf("%+v, pages of %d", f, size)
				// Older from the first page, by the last id of each page.
				var got []int64
				k := repo.ListKey{}
				for range len(want) + 2 {
					rows, err := db.PlanPage(ctx, f, k, size)
					if err != nil {
						t.Fatal(err)
					}
					for _, r := range rows {
						got = append(got, r.ID)
					}
					if len(rows) < size {
						break
					}
					k = repo.ListKey{Before: rows[len(rows)-1].ID}
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s, going older: %v, want %v", what, got, want)
				}
				// Newer from the last page, by the first id of each page.
				got = nil
				k = repo.ListKey{Last: true}
				for range len(want) + 2 {
					rows, err := db.PlanPage(ctx, f, k, size)
					if err != nil {
						t.Fatal(err)
					}
					got = append(slices.Clone(ids(rows)), got...)
					if len(rows) < size {
						break
					}
					k = repo.ListKey{After: rows[0].ID}
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s, going newer: %v, want %v", what, got, want)
				}
			}
			for _, limit := range []int{1, 5, 10001} {
				n, err := db.CountConsolePlans(ctx, f, limit)
				if err != nil {
					t.Fatal(err)
				}
				if w := min(limit, len(want)); n != w {
					t.Errorf("%+v: count capped at %d is %d, want %d", f, limit, n, w)
				}
			}
		}
	})
}

func ids(rows []repo.Plan) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}
