package repo_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"skillcert/internal/testenv"
	"skillcert/repo"
)

// TestPlanSearchPagesMatchTheScan checks on both engines that a search of the
// plan list, walked from the plans holding the text's rarest gram
// (plan_grams, migration 00031), lists the plans the scan of every plan
// finds (the LIKE tried on each), in the same order, page by page in either
// direction and with the other filters; that the capped count agrees; and
// that a plan's grams follow its edits (none left of the old name).
func TestPlanSearchPagesMatchTheScan(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openMigrated(t, dsn)
		const nPlans = 1200
		states := []string{repo.PlanDraft, repo.PlanPublished, repo.PlanPublished, repo.PlanClosed}
		insts, _, firstPlan := listPlans(t, db, nPlans, func(i int) string { return states[(i/7)%len(states)] })
		pending := listRegistrations(t, db, firstPlan, nPlans)
		// Names the generated ones do not have, written by the store's edit
		// (its grams cleared and written again): ASCII in both cases, a
		// character outside the BMP, another plan's number, wildcards.
		renamed := map[int64]string{}
		for i := int64(0); i < nPlans; i++ {
			var name, occ string
			switch {
			case i%11 == 0:
				name, occ = fmt.Sprintf("AI训练师 Ab%d", i), "人工智能训练师"
			case i%13 == 0:
				name, occ = fmt.Sprintf("焊工😀%d", i), "焊工"
			case i == 500:
				name = "P000097 复审 100%_合格"
			default:
				continue
			}
			p, err := db.GetPlan(ctx, db.R, firstPlan+i)
			if err != nil {
				t.Fatal(err)
			}
			p.PlanName = name
			if occ != "" {
				p.OccupationName = occ
			}
			if ok, err := db.UpdatePlan(ctx, db.W, &p); err != nil || !ok {
				t.Fatalf("rename plan %d: %v %v", p.ID, ok, err)
			}
			renamed[p.ID] = name
		}
		// One plan added alone, after the bulk.
		one := repo.Plan{PlanNo: "Q1", PlanName: "单独计划 ab", InstitutionID: insts[0], OccupationName: "电工",
			Level: 3, SeatsTotal: 50, RegStart: "2026-01-01", RegDeadline: "2026-06-30", EvalStart: "2026-07-01",
			EvalEnd: "2026-07-02", SupervisionRegion: "甲市", State: repo.PlanPublished, CreatedAt: repo.Now(), UpdatedAt: repo.Now()}
		if err := db.InsertPlan(ctx, db.W, &one); err != nil {
			t.Fatal(err)
		}

		// The grams of a renamed plan are those of its name and occupation now.
		for _, id := range []int64{firstPlan, firstPlan + 13, firstPlan + 500, firstPlan + 11, one.ID} {
			checkGramsOf(t, db, id)
		}

		repo.SetPendingBatch(t, 7) // several batches a page, and pages across batches
		scan := func(f repo.PlanFilter) []int64 {
			older, _, _, args := db.PlanListSQL(f)
			a := append(args, int64(math.MaxInt64), nPlans+10)
			var rows []repo.Plan
			if err := db.R.Select(&rows, db.WithFilters(older, a), a...); err != nil {
				t.Fatal(err)
			}
			return ids(rows)
		}
		texts := []string{"计划1", "计划11", "P000097", "p000097", "P000005", "Q1", "ab", "AB", "Ab1", "😀", "焊工😀",
			"焊", "训", "电工", "师", "无此计划", "100%_合格", "%", "计划1234567890123456", " "}
		matched := 0
		for _, text := range texts {
			for _, f := range []repo.PlanFilter{{}, {Region: "甲市"}, {State: repo.PlanClosed},
				{Region: "乙市", State: repo.PlanPublished}, {Phase: repo.PhaseOpen, Today: "2026-03-01"},
				{Phase: repo.PhaseEnded, Today: "2026-07-01"}, {Phase: repo.PhasePending}} {
				f.Text = text
				if f.Phase == repo.PhasePending && len(pending) == 0 {
					t.Fatal("no plan awaits review")
				}
				want := scan(f)
				if len(want) > 0 {
					matched++
				}
				// The search picked by each read (size 3), and once for all
				// of them (size 25, as the console does).
				resolved, err := db.ResolvePlanSearch(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, size := range []int{3, 25} {
					g := f
					if size == 25 {
						g = resolved
					}
					checkPlanWalks(t, fmt.Sprintf("%+v", f), func(k repo.ListKey, n int) ([]repo.Plan, error) {
						return db.PlanPage(ctx, g, k, n)
					}, size, want)
				}
				for _, limit := range []int{1, 5, 10001} {
					g := f
					if limit == 5 {
						g = resolved
					}
					n, err := db.CountConsolePlans(ctx, g, limit)
					if err != nil {
						t.Fatal(err)
					}
					if w := min(limit, len(want)); n != w {
						t.Errorf("%+v: count capped at %d is %d, want %d", f, limit, n, w)
					}
				}
			}
		}
		if matched < 40 {
			t.Fatalf("only %d searches match a plan: the fixture does not exercise the walk", matched)
		}
		if testing.Verbose() {
			t.Logf("%d renamed plans, %d searches with matches", len(renamed), matched)
		}
	})
}

// checkGramsOf fails unless plan id's grams are exactly those of its name and
// occupation now, compared as the column compares them: NOCASE folds ASCII
// (the names' other letters have no case); MariaDB's collations ignore
// trailing spaces (PAD SPACE), so "划 " and "划" are one row.
func checkGramsOf(t *testing.T, db *repo.DB, id int64) {
	t.Helper()
	p, err := db.GetPlan(context.Background(), db.R, id)
	if err != nil {
		t.Fatal(err)
	}
	fold := func(s string) string {
		if db.Dialect == repo.SQLite {
			return strings.ToLower(s)
		}
		return strings.TrimRight(s, " ")
	}
	want := map[string]bool{}
	for _, s := range []string{p.PlanName, p.OccupationName} {
		r := []rune(s)
		for i := range r {
			want[fold(string(r[i]))] = true
			if i+1 < len(r) {
				want[fold(string(r[i:i+2]))] = true
			}
		}
	}
	var grams []string
	if err := db.R.Select(&grams, "SELECT gram FROM plan_grams WHERE plan_id = ?", id); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, g := range grams {
		got[fold(g)] = true
	}
	if len(got) != len(want) || len(grams) != len(got) {
		t.Errorf("plan %d %q: grams %v, want %v", id, p.PlanName, grams, want)
	}
	for g := range want {
		if !got[g] {
			t.Errorf("plan %d %q: gram %q missing", id, p.PlanName, g)
		}
	}
}

// TestPlanSearchCountEstimates checks that a search matching more plans than
// the exact bound is estimated from the share of the gram's holders that
// match (within a fifth of the truth on this fixture), and counted exactly
// up to the bound, on both engines; a text that is its own gram, with no
// other filter, is counted exactly from its holders.
func TestPlanSearchCountEstimates(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openMigrated(t, dsn)
		const nPlans = 900
		states := []string{repo.PlanDraft, repo.PlanPublished, repo.PlanPublished, repo.PlanClosed}
		listPlans(t, db, nPlans, func(i int) string { return states[(i/7)%len(states)] })
		for _, f := range []repo.PlanFilter{{Text: "电工"}, {Text: "计划1"}, {Text: "电工", Region: "甲市"},
			{Text: "计划", State: repo.PlanPublished}, {Text: "计划"}} {
			exact, err := db.CountConsolePlans(ctx, f, 10001)
			if err != nil {
				t.Fatal(err)
			}
			if exact < 100 {
				t.Fatalf("%+v matches %d plans: too few to estimate", f, exact)
			}
			c, err := db.CountConsolePlansApprox(ctx, f, 10001, 50)
			if err != nil {
				t.Fatal(err)
			}
			// A text of two characters and no other filter is its own gram:
			// its holders are counted, exactly.
			whole := f.Region == "" && f.State == "" && len([]rune(f.Text)) <= 2
			if whole && (c.Approx || c.N != exact) {
				t.Errorf("%+v: counted %+v, %d match", f, c, exact)
			}
			if !whole && (!c.Approx || c.N < exact*4/5 || c.N > exact*6/5) {
				t.Errorf("%+v: estimated %+v, %d match", f, c, exact)
			}
			c, err = db.CountConsolePlansApprox(ctx, f, 10001, exact)
			if err != nil {
				t.Fatal(err)
			}
			if c.Approx || c.N != exact {
				t.Errorf("%+v: counted %+v with the bound at %d, want it exact", f, c, exact)
			}
		}
	})
}

// TestPlanActivityPagesWithTies walks the 最近有动态 order page by page both
// ways on both engines while many plans share an activity (a bulk import
// gives them one): each page is read as the key's own activity past its id,
// then the activities beyond, and the walk lists every plan once, in the
// order (activity_at, id) descending.
func TestPlanActivityPagesWithTies(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openMigrated(t, dsn)
		insts, _, _ := listPlans(t, db, 240, func(int) string { return repo.PlanPublished })
		for i := range 3 { // written as the store writes times, so the key compares equal
			at := time.Date(2026, 3, 1+i, 8, 0, 0, 0, time.UTC)
			if _, err := db.W.ExecContext(ctx, "UPDATE plans SET activity_at = ? WHERE id % 4 = ?", at, i); err != nil {
				t.Fatal(err)
			}
		} // id % 4 = 3 keeps the bulk's own activity
		for _, f := range []repo.PlanFilter{{Sort: repo.SortActivity}, {Sort: repo.SortActivity, InstitutionID: insts[1]},
			{Sort: repo.SortActivity, Text: "计划1"}} {
			q := "SELECT id FROM plans WHERE (? = 0 OR institution_id = ?) AND plan_name LIKE ? ORDER BY activity_at DESC, id DESC"
			var want []int64
			if err := db.R.Select(&want, q, f.InstitutionID, f.InstitutionID, "%"+f.Text+"%"); err != nil {
				t.Fatal(err)
			}
			for _, size := range []int{1, 7, 50} {
				checkPlanWalks(t, fmt.Sprintf("%+v", f), func(k repo.ListKey, n int) ([]repo.Plan, error) {
					return db.PlanActivityPage(ctx, f, k, n)
				}, size, want)
			}
		}
	})
}

// TestPlanEditsBesideSeatUpdatesDoNotDeadlock edits a plan's name over and
// over (its grams rewritten) while other transactions take and give back its
// seats, on both engines: an edit must not read the plan's row with a lock it
// then upgrades (on MariaDB a plan-grams-clear reading plans inside its DELETE
// took a shared lock before the edit's UPDATE, and the two sides deadlocked).
func TestPlanEditsBesideSeatUpdatesDoNotDeadlock(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openMigrated(t, dsn)
		_, _, first := listPlans(t, db, 3, func(int) string { return repo.PlanPublished })
		stop := time.Now().Add(1500 * time.Millisecond)
		errs := make(chan error, 64)
		var wg sync.WaitGroup
		for w := range 3 {
			wg.Add(2)
			go func() { // an editor
				defer wg.Done()
				for i := 0; time.Now().Before(stop); i++ {
					err := db.WithTx(ctx, func(tx repo.Tx) error {
						p, err := tx.GetPlan(ctx, first)
						if err != nil {
							return err
						}
						p.PlanName = fmt.Sprintf("编辑%d-%d", w, i)
						_, err = tx.UpdatePlan(ctx, &p)
						return err
					})
					if err != nil {
						errs <- fmt.Errorf("edit: %w", err)
						return
					}
				}
			}()
			go func() { // a seat taken and given back
				defer wg.Done()
				for time.Now().Before(stop) {
					err := db.WithTx(ctx, func(tx repo.Tx) error {
						if _, err := tx.SQL().ExecContext(ctx, "UPDATE plans SET seats_taken = seats_taken + 1 WHERE id = ?", first); err != nil {
							return err
						}
						_, err := tx.SQL().ExecContext(ctx, "UPDATE plans SET seats_taken = seats_taken - 1 WHERE id = ?", first)
						return err
					})
					if err != nil {
						errs <- fmt.Errorf("seat: %w", err)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		// The grams are the last name's, none of an earlier one's.
		checkGramsOf(t, db, first)
	})
}
