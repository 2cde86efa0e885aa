package repo_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"skillcert/internal/testenv"
	"skillcert/repo"
)

// TestStaffListsPlanWithoutSort fills MariaDB with plans in four regions and
// feedback on them, and checks with EXPLAIN that every keyset page (first,
// older, newer, last) of the console plan list and the supervisor's feedback
// inbox, with each filter, and their capped counts, read an index in order:
// no filesort, no temporary table, no scan of the whole table.
func TestStaffListsPlanWithoutSort(t *testing.T) {
	ctx := context.Background()
	db := openMigrated(t, testenv.NewDSN(t, "mysql"))
	now := repo.Now()
	states := []string{repo.PlanDraft, repo.PlanPublished, repo.PlanPublished, "closed"}
	const nPlans, nFeedback = 20000, 20000
	insts, cand, firstPlan := listPlans(t, db, nPlans, func(i int) string { return states[(i/7)%len(states)] })
	pending := listRegistrations(t, db, firstPlan, nPlans)
	statuses := []string{"submitted", "processing", "replied", "closed"}
	for start := 0; start < nFeedback; start += 1000 {
		var sb strings.Builder
		sb.WriteString(`INSERT INTO feedback (candidate_id, plan_id, category, content, contact_pref, status, reply, created_at, updated_at, supervision_region) VALUES `)
		var args []any
		for i := start; i < start+1000; i++ {
			if i > start {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, 'x', 'none', ?, '', ?, ?, (SELECT supervision_region FROM plans WHERE id = ?))")
			plan := firstPlan + int64(i%nPlans)
			args = append(args, cand, plan, fmt.Sprintf("cat%d", i%6), statuses[(i/3)%len(statuses)], now, now, plan)
		}
		if _, err := db.W.ExecContext(ctx, sb.String(), args...); err != nil {
			t.Fatal(err)
		}
	}
	for _, tbl := range []string{"plans", "feedback", "feedback_images", "institutions", "candidates", "registrations"} {
		if _, err := db.W.ExecContext(ctx, "ANALYZE TABLE "+tbl); err != nil {
			t.Fatal(err)
		}
	}

	checkFeedbackEstimates(t, db, repo.FeedbackFilter{}, repo.FeedbackFilter{Region: "甲市"},
		repo.FeedbackFilter{Category: "cat2"}, repo.FeedbackFilter{Status: "replied"})
	for _, f := range []repo.FeedbackFilter{{}, {Region: "甲市"}, {Region: "甲市", Status: "submitted"},
		{Status: "replied"}, {Category: "cat2"}, {Region: "乙市", Category: "cat1"}} {
		args := []any{f.Region, f.Region, f.Status, f.Status, f.Category, f.Category}
		what := fmt.Sprintf("feedback %+v", f)
		// A page reads a range of feedback's index below (above) the key: that
		// of the filters set (region first), else the primary key.
		key := "PRIMARY"
		switch {
		case f.Region != "" && f.Category != "":
			key = "feedback_region_category"
		case f.Region != "" && f.Status != "":
			key = "feedback_region_status"
		case f.Region != "":
			key = "feedback_region"
		case f.Category != "":
			key = "feedback_category"
		case f.Status != "":
			key = "feedback_status"
		}
		for _, p := range []struct {
			what  string
			older bool
			key   int64
		}{{" first page", true, math.MaxInt64}, {" older page", true, nFeedback / 2}, {" newer page", false, nFeedback / 2}, {" last page", false, 0}} {
			a := append(append([]any{}, args...), p.key, 31)
			q := db.FeedbackPageSQL(p.older, f, a)
			explainNoSort(t, db, what+p.what, "f", q, a...)
			explainKeyRange(t, db, what+p.what, "f", key, q, a...)
		}
		// The counts read feedback alone (00032: no join to the plans for
		// the region), from the index of the filters set, with no sort.
		count, newest, oldest := db.FeedbackCountSQL(f, args)
		for _, c := range []struct {
			name string
			q    string
			args []any
		}{{" capped count", count, append(args, 1001)}, {" count of the newest", newest, append(args, 1001)}, {" oldest match", oldest, args}} {
			explainNoSort(t, db, what+c.name, "f", c.q, c.args...)
			for _, r := range explainRows(t, db, what+c.name, c.q, c.args...) {
				if r["table"] != "f" && !strings.HasPrefix(r["table"], "<derived") {
					t.Errorf("%s reads %s: %v", what+c.name, r["table"], r)
				}
				if r["table"] == "f" && key != "PRIMARY" && r["key"] != key {
					t.Errorf("%s reads feedback by %s, want %s: %v", what+c.name, r["key"], key, r)
				}
			}
		}
	}
	// Each page reads a range of its index below (above) the key, never the
	// index by its column alone from the end (type=ref: MariaDB's own choice
	// for an equality filter, which read past every newer plan); a count of a
	// state or phase reads its index alone.
	for _, c := range []struct {
		f            repo.PlanFilter
		index        string
		countCovered bool
	}{
		{repo.PlanFilter{}, "PRIMARY", true},
		{repo.PlanFilter{Region: "甲市"}, "plans_region_id", true},
		{repo.PlanFilter{InstitutionID: insts[2]}, "plans_institution_id", true},
		{repo.PlanFilter{State: "published"}, "plans_state_id", true},
		{repo.PlanFilter{Region: "甲市", State: "closed"}, "plans_region_id", false},
		{repo.PlanFilter{InstitutionID: insts[1], State: "draft"}, "plans_institution_id", false},
		{repo.PlanFilter{Text: "计划12"}, "PRIMARY", false},
		{repo.PlanFilter{Phase: repo.PhaseOpen, Today: "2026-03-01"}, "plans_state_id", true},
		{repo.PlanFilter{State: "published", Phase: repo.PhaseOpen, Today: "2026-03-01"}, "plans_state_id", true},
		{repo.PlanFilter{Phase: repo.PhaseEnded, Today: "2026-07-01"}, "PRIMARY", true},
	} {
		f := c.f
		_, _, count, args := db.PlanListSQL(f)
		what := fmt.Sprintf("plans %+v", f)
		page := func(older bool, key int64) []any { return append(append([]any{}, args...), key, 21) }
		for _, p := range []struct {
			name  string
			older bool
			key   int64
		}{{"first page", true, math.MaxInt64}, {"older page", true, firstPlan + nPlans/2},
			{"newer page", false, firstPlan + nPlans/2}, {"last page", false, 0}} {
			q := db.PlanPageSQL(f, p.older, page(p.older, p.key))
			explainNoSort(t, db, what+" "+p.name, "p", q, page(p.older, p.key)...)
			explainKeyRange(t, db, what+" "+p.name, "p", c.index, q, page(p.older, p.key)...)
		}
		explainNoSort(t, db, what+" capped count", "", count, append(args, 10001)...)
		if c.countCovered {
			explainCovered(t, db, what+" capped count", "p", count, append(args, 10001)...)
		}
	}
	// 有待审核 (00028): the distinct plan ids of the registrations awaiting
	// review, read from (status, plan_id) in order from the key; then the
	// plans among a batch of them by primary key; the count from those ids.
	idsOlder, idsNewer, _, _, _, err := db.PendingPlanSQL(repo.PlanFilter{}, pending, 21, 10001)
	if err != nil {
		t.Fatal(err)
	}
	explainNoSort(t, db, "plans awaiting review: ids first page", "g", idsOlder, int64(math.MaxInt64), 200)
	explainNoSort(t, db, "plans awaiting review: ids older page", "g", idsOlder, firstPlan+nPlans/2, 200)
	explainNoSort(t, db, "plans awaiting review: ids newer page", "g", idsNewer, firstPlan+nPlans/2, 200)
	explainNoSort(t, db, "plans awaiting review: ids last page", "g", idsNewer, int64(0), 200)
	explainRanges(t, db, "plans awaiting review: ids", "g", "registrations_status_plan", idsOlder, int64(math.MaxInt64), 200)
	for _, f := range []repo.PlanFilter{{}, {Region: "甲市"}, {InstitutionID: insts[2]}, {State: "published"},
		{Region: "甲市", State: "closed"}, {Text: "计划12"}} {
		f.Phase = repo.PhasePending
		_, _, older, newer, count, err := db.PendingPlanSQL(f, pending[:200], 21, 10001)
		if err != nil {
			t.Fatal(err)
		}
		what := fmt.Sprintf("plans %+v", f)
		explainNoSort(t, db, what+" older among a batch", "p", older.SQL, older.Args...)
		explainNoSort(t, db, what+" newer among a batch", "p", newer.SQL, newer.Args...)
		explainRanges(t, db, what+" among a batch", "p", "PRIMARY", older.SQL, older.Args...)
		explainNoSort(t, db, what+" capped count", "p", count.SQL, count.Args...)
		explainRanges(t, db, what+" capped count", "p", "PRIMARY", count.SQL, count.Args...)
	}
	// A search (00031): the plans holding the text's rarest gram read from
	// plan_grams' key in order from the key, then those among a batch by
	// primary key (above); the count from the same gram, each plan looked up.
	for _, f := range []repo.PlanFilter{{Text: "计划12"}, {Text: "计划12", Region: "甲市", State: "published"},
		{Text: "计划12", Phase: repo.PhaseOpen, Today: "2026-03-01"}} {
		older, newer, count := db.PlanSearchSQL(f, "12", 10001)
		what := fmt.Sprintf("plans %+v", f)
		for _, p := range []struct {
			name, q string
			key     int64
		}{{"first", older, math.MaxInt64}, {"older", older, firstPlan + nPlans/2}, {"newer", newer, firstPlan + nPlans/2}, {"last", newer, 0}} {
			explainNoSort(t, db, what+" gram "+p.name+" page", "plan_grams", p.q, "12", p.key, 200)
			explainKeyRange(t, db, what+" gram "+p.name+" page", "plan_grams", "PRIMARY", p.q, "12", p.key, 200)
		}
		explainNoSort(t, db, what+" capped count", "g", count.SQL, count.Args...)
		explainRanges(t, db, what+" capped count", "g", "PRIMARY", count.SQL, count.Args...)
		explainRanges(t, db, what+" capped count", "p", "PRIMARY", count.SQL, count.Args...)
		if rows := explainRows(t, db, what, count.SQL, count.Args...); len(rows) < 2 || rows[1]["table"] != "g" {
			t.Errorf("%s capped count does not start from plan_grams: %v", what, rows)
		}
	}
	// The 最近有动态 order (00027): keyset pages on (activity_at, id), each a
	// range of the index: every plan here shares one activity, and read by
	// the activity alone (ref) the key's own activity was read from its
	// largest id down to the key.
	var shared time.Time // the plans' activity (listPlans writes them at once)
	if err := db.R.Get(&shared, "SELECT activity_at FROM plans WHERE id = ?", firstPlan+nPlans/2); err != nil {
		t.Fatal(err)
	}
	for _, c := range activityFilters(insts[2]) {
		for _, r := range activityReads(db, c.f, shared, firstPlan+nPlans/2) {
			what := fmt.Sprintf("plans by activity %+v %s", c.f, r.name)
			explainNoSort(t, db, what, "p", r.sql, r.args...)
			explainKeyRange(t, db, what, "p", c.index, r.sql, r.args...)
		}
	}
}

// explainRanges runs EXPLAIN on q and fails unless the table aliased alias is
// read by the index named key (a range or a lookup, never a scan).
func explainRanges(t *testing.T, db *repo.DB, what, alias, key, q string, args ...any) {
	t.Helper()
	for _, r := range explainRows(t, db, what, q, args...) {
		if r["table"] == alias && (r["key"] != key || r["type"] == "ALL" || r["type"] == "index") {
			t.Errorf("%s reads %s by %s (%s), want %s: %v", what, alias, r["key"], r["type"], key, r)
		}
	}
}

// explainKeyRange runs EXPLAIN on a keyset page q and fails unless the
// table aliased alias is read as a range of the index named key.
func explainKeyRange(t *testing.T, db *repo.DB, what, alias, key, q string, args ...any) {
	t.Helper()
	for _, r := range explainRows(t, db, what, q, args...) {
		if r["table"] == alias && r["select_type"] != "PRIMARY" && (r["key"] != key || r["type"] != "range") {
			t.Errorf("%s reads %s by %s (%s), want a range of %s: %v", what, alias, r["key"], r["type"], key, r)
		}
	}
}

// explainCovered runs EXPLAIN on q and fails unless the table aliased alias
// is read from an index alone (Using index), not row by row.
func explainCovered(t *testing.T, db *repo.DB, what, alias, q string, args ...any) {
	t.Helper()
	for _, r := range explainRows(t, db, what, q, args...) {
		if extra := r["Extra"]; r["table"] == alias && (!strings.Contains(extra, "Using index") || strings.Contains(extra, "Using index condition")) {
			t.Errorf("%s reads the rows of %s, not an index alone: %v", what, alias, r)
		}
	}
}

// explainRows is MariaDB's EXPLAIN of q as the store sends it, a map a row.
func explainRows(t *testing.T, db *repo.DB, what, q string, args ...any) []map[string]string {
	t.Helper()
	rows, err := db.R.Queryx("EXPLAIN "+db.WithFilters(q, args), args...)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	defer rows.Close()
	var plan []map[string]string
	for rows.Next() {
		m := map[string]any{}
		if err := rows.MapScan(m); err != nil {
			t.Fatal(err)
		}
		row := map[string]string{}
		for k, v := range m {
			if b, ok := v.([]byte); ok {
				row[k] = string(b)
			} else if v != nil {
				row[k] = fmt.Sprint(v)
			}
		}
		plan = append(plan, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}

// explainNoSort runs EXPLAIN on q and fails on a sort or a temporary table,
// or on a full scan of the table aliased alias ("" for a capped count, whose
// LIMIT inside stops the scan at the cap: EXPLAIN's estimate does not show it).
// A keyset page reading the primary key backwards shows as type=range.
func explainNoSort(t *testing.T, db *repo.DB, what, alias, q string, args ...any) {
	t.Helper()
	plan := explainRows(t, db, what, q, args...) // as the store sends it
	// A page query finds the page's ids in a derived table and joins only
	// those: its outer select (PRIMARY) reads at most the page's rows, so how
	// it orders them costs the page size. The derived select must not sort.
	paged := false
	for _, r := range plan {
		paged = paged || strings.HasPrefix(r["table"], "<derived")
	}
	for _, r := range plan {
		line := fmt.Sprintf("select=%s table=%s type=%s key=%s rows=%s extra=%s", r["select_type"], r["table"], r["type"], r["key"], r["rows"], r["Extra"])
		t.Logf("%s: %s", what, line)
		extra := strings.ToLower(r["Extra"])
		if paged && r["select_type"] == "PRIMARY" {
			continue
		}
		if strings.Contains(extra, "filesort") || strings.Contains(extra, "temporary") {
			t.Errorf("%s sorts or uses a temporary table: %s", what, line)
		}
		if alias != "" && r["table"] == alias && r["type"] == "ALL" {
			t.Errorf("%s scans the whole table: %s", what, line)
		}
	}
}
