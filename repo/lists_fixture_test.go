package repo_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"skillcert/repo"
)

// listPlans fills db for the console lists' EXPLAIN tests: five institutions,
// n plans spread over them and over four regions (省本级, 甲市, 乙市, 丙市),
// plan i in state(i), and one candidate. It returns the institutions, the
// candidate and the first plan's id.
func listPlans(t *testing.T, db *repo.DB, n int, state func(i int) string) (insts []int64, cand, firstPlan int64) {
	t.Helper()
	ctx := context.Background()
	now := repo.Now()
	for i := range 5 {
		in := repo.Institution{Name: fmt.Sprintf("机构%d", i), CreatedAt: now}
		if err := db.InsertInstitution(ctx, db.W, &in); err != nil {
			t.Fatal(err)
		}
		insts = append(insts, in.ID)
	}
	regions := []string{"省本级", "甲市", "乙市", "丙市"}
	plans := make([]repo.Plan, n)
	for i := range plans {
		plans[i] = repo.Plan{PlanNo: fmt.Sprintf("P%06d", i), PlanName: fmt.Sprintf("计划%d", i), InstitutionID: insts[i%len(insts)],
			OccupationName: "电工", Level: 3, SeatsTotal: 50, RegStart: "2026-01-01", RegDeadline: "2026-06-30",
			EvalStart: "2026-07-01", EvalEnd: "2026-07-02", SupervisionRegion: regions[i%len(regions)],
			State: state(i), CreatedAt: now, UpdatedAt: now}
	}
	if err := db.InsertPlansBulk(ctx, plans); err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.ExecContext(ctx, `INSERT INTO candidates (openid, created_at, updated_at) VALUES ('o1', ?, ?)`, now, now); err != nil {
		t.Fatal(err)
	}
	if err := db.R.Get(&cand, `SELECT id FROM candidates WHERE openid = 'o1'`); err != nil {
		t.Fatal(err)
	}
	if err := db.R.Get(&firstPlan, `SELECT MIN(id) FROM plans`); err != nil {
		t.Fatal(err)
	}
	return insts, cand, firstPlan
}

// listRegistrations adds registrations to the n plans from firstPlan for the
// 有待审核 EXPLAIN checks, from 20 more candidates: every tenth plan has one
// approved, and every 97th plan (the few awaiting review) 20 submitted and
// one returned. It returns the ids of the plans awaiting review, ascending.
func listRegistrations(t *testing.T, db *repo.DB, firstPlan int64, n int) (pending []int64) {
	t.Helper()
	ctx := context.Background()
	now := repo.Now()
	var cands []int64
	for i := range 20 {
		res, err := db.W.ExecContext(ctx, `INSERT INTO candidates (openid, created_at, updated_at) VALUES (?, ?, ?)`, fmt.Sprintf("reg%d", i), now, now)
		if err != nil {
			t.Fatal(err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			t.Fatal(err)
		}
		cands = append(cands, id)
	}
	var sb strings.Builder
	var args []any
	flush := func() {
		if len(args) == 0 {
			return
		}
		if _, err := db.W.ExecContext(ctx, `INSERT INTO registrations (plan_id, candidate_id, id_number_idx, status, created_at, updated_at) VALUES `+strings.TrimPrefix(sb.String(), ", "), args...); err != nil {
			t.Fatal(err)
		}
		sb.Reset()
		args = args[:0]
	}
	add := func(plan, cand int64, status string) {
		sb.WriteString(", (?, ?, ?, ?, ?, ?)")
		args = append(args, plan, cand, fmt.Sprintf("idx-%d-%d", plan, cand), status, now, now)
		if len(args) >= 600 {
			flush()
		}
	}
	for i := range n {
		plan := firstPlan + int64(i)
		switch {
		case i%97 == 0:
			pending = append(pending, plan)
			for _, c := range cands {
				add(plan, c, "submitted")
			}
		case i%10 == 0:
			add(plan, cands[(i/10)%len(cands)], "approved")
			add(plan, cands[(i/10+1)%len(cands)], "returned")
		}
	}
	flush()
	return pending
}

// activityFilter is a 最近有动态 list of the EXPLAIN tests and the index its
// reads must seek: the admin's, and institution inst's.
type activityFilter struct {
	f     repo.PlanFilter
	index string
}

func activityFilters(inst int64) []activityFilter {
	return []activityFilter{{repo.PlanFilter{}, "plans_activity"}, {repo.PlanFilter{InstitutionID: inst}, "plans_inst_activity"}}
}

// activityRead is one read of a 最近有动态 page for the EXPLAIN tests: its
// SQL as the store sends it for the filter, and its arguments for pages of
// 21 keyed at plan key of activity at. same is the id comparison of a read of
// the key's own activity ("" for the others).
type activityRead struct {
	name, sql, same string
	args            []any
}

// activityReads are the reads of f's first, older, newer and last pages.
func activityReads(db *repo.DB, f repo.PlanFilter, at time.Time, key int64) []activityRead {
	sameOlder, older, sameNewer, newer, args := db.PlanActivitySQL(f)
	with := func(k ...any) []any { return append(append(append([]any{}, args...), k...), 21) }
	far, early := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)
	return []activityRead{{"first page", older, "", with(far)},
		{"older page, the key's activity", sameOlder, "id<?)", with(at, key)}, {"older page", older, "", with(at)},
		{"newer page, the key's activity", sameNewer, "id>?)", with(at, key)}, {"newer page", newer, "", with(at)},
		{"last page", newer, "", with(early)}}
}
