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
				checkPlanWalks(t, fmt.Sprintf("%+v", f), func(k repo.ListKey, n int) ([]repo.Plan, error) {
					return db.PlanPage(ctx, f, k, n)
				}, size, want)
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

// checkPlanWalks walks a plan list (page) with pages of size, older from the
// first page by the last id of each page, then newer from the last page by
// the first id of each, and fails unless both list want, in order.
func checkPlanWalks(t *testing.T, what string, page func(repo.ListKey, int) ([]repo.Plan, error), size int, want []int64) {
	t.Helper()
	var got []int64
	k := repo.ListKey{}
	for range len(want) + 2 {
		rows, err := page(k, size)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ids(rows)...)
		if len(rows) < size {
			break
		}
		k = repo.ListKey{Before: rows[len(rows)-1].ID}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s, pages of %d, going older: %v, want %v", what, size, got, want)
	}
	got = nil
	k = repo.ListKey{Last: true}
	for range len(want) + 2 {
		rows, err := page(k, size)
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
		t.Errorf("%s, pages of %d, going newer: %v, want %v", what, size, got, want)
	}
}

func ids(rows []repo.Plan) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

// TestPlanPhasePagesMatchTheirDefinition checks on both engines that the
// 报名中 and 已截止 pages and counts, written as optional filters of their
// own (specialised by the store, the page read from the index MariaDB is
// told), list exactly the plans of the phases' definitions, newest first.
func TestPlanPhasePagesMatchTheirDefinition(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openMigrated(t, dsn)
		const nPlans = 600
		states := []string{repo.PlanDraft, repo.PlanPublished, repo.PlanPublished, repo.PlanClosed}
		insts, _, _ := listPlans(t, db, nPlans, func(i int) string { return states[(i/7)%len(states)] })
		for _, q := range []string{"UPDATE plans SET reg_start = '2026-04-01' WHERE id % 3 = 0",
			"UPDATE plans SET reg_deadline = '2026-02-01' WHERE id % 5 = 0"} {
			if _, err := db.W.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		def := map[string]string{
			repo.PhaseOpen:  "state = 'published' AND reg_start <= ? AND reg_deadline >= ?",
			repo.PhaseEnded: "state IN ('published', 'closed') AND reg_deadline < ? AND ? <> ''",
		}
		for _, today := range []string{"2026-01-15", "2026-03-01", "2026-05-01", "2026-07-01"} {
			for _, f := range []repo.PlanFilter{{}, {State: repo.PlanPublished}, {State: repo.PlanClosed},
				{InstitutionID: insts[1]}, {Region: "甲市"}, {Text: "计划1"}} {
				for phase, cond := range def {
					f.Phase, f.Today = phase, today
					q := "SELECT id FROM plans WHERE " + cond
					args := []any{today, today}
					if f.State != "" {
						q, args = q+" AND state = ?", append(args, f.State)
					}
					if f.InstitutionID != 0 {
						q, args = q+" AND institution_id = ?", append(args, f.InstitutionID)
					}
					if f.Region != "" {
						q, args = q+" AND supervision_region = ?", append(args, f.Region)
					}
					if f.Text != "" {
						q, args = q+" AND (plan_no = ? OR plan_name LIKE ? OR occupation_name LIKE ?)", append(args, f.Text, "%"+f.Text+"%", "%"+f.Text+"%")
					}
					var want []int64
					if err := db.R.Select(&want, q+" ORDER BY id DESC", args...); err != nil {
						t.Fatal(err)
					}
					var got []int64
					k := repo.ListKey{}
					for range nPlans {
						rows, err := db.PlanPage(ctx, f, k, 50)
						if err != nil {
							t.Fatal(err)
						}
						got = append(got, ids(rows)...)
						if len(rows) < 50 {
							break
						}
						k = repo.ListKey{Before: rows[len(rows)-1].ID}
					}
					if !slices.Equal(got, want) {
						t.Errorf("%+v: pages list %d plans %v, want %d %v", f, len(got), got, len(want), want)
					}
					last, err := db.PlanPage(ctx, f, repo.ListKey{Last: true}, 50)
					if err != nil {
						t.Fatal(err)
					}
					if w := want[max(0, len(want)-50):]; !slices.Equal(ids(last), w) {
						t.Errorf("%+v: last page %v, want %v", f, ids(last), w)
					}
					n, err := db.CountConsolePlans(ctx, f, 10001)
					if err != nil {
						t.Fatal(err)
					}
					if n != len(want) {
						t.Errorf("%+v: count %d, want %d", f, n, len(want))
					}
				}
			}
		}
	})
}
