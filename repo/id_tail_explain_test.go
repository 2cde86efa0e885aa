package repo_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"skillcert/internal/testenv"
	"skillcert/repo"
)

// TestPlanRegistrationPagesPlanWithoutSort fills a MariaDB plan with 3,000
// registrations and checks with EXPLAIN that the reviewer's list and the
// results page (first and last page, by status, by the ID tail hash) and the
// tail backfill read an index in order: no filesort, no temporary table, no
// scan of the whole registrations table (issue 26 item 3).
func TestPlanRegistrationPagesPlanWithoutSort(t *testing.T) {
	ctx := context.Background()
	db, err := repo.Open(ctx, testenv.NewDSN(t, "mysql"), repo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	now := repo.Now()
	in := repo.Institution{Name: "机构", CreatedAt: now}
	if err := db.InsertInstitution(ctx, db.W, &in); err != nil {
		t.Fatal(err)
	}
	var plans []repo.Plan
	for i := range 3 {
		plans = append(plans, repo.Plan{PlanNo: fmt.Sprintf("T%06d", i), PlanName: "计划", InstitutionID: in.ID,
			OccupationName: "电工", Level: 3, SeatsTotal: 5000, RegStart: "2026-01-01", RegDeadline: "2026-06-30",
			EvalStart: "2026-07-01", EvalEnd: "2026-07-02", SupervisionRegion: "甲市", State: repo.PlanPublished,
			CreatedAt: now, UpdatedAt: now})
	}
	if err := db.InsertPlansBulk(ctx, plans); err != nil {
		t.Fatal(err)
	}
	var planID int64
	if err := db.R.Get(&planID, "SELECT MIN(id) FROM plans"); err != nil {
		t.Fatal(err)
	}
	const n = 3000
	for start := 0; start < n; start += 500 {
		var cands, regs []string
		var cargs, rargs []any
		for i := start; i < start+500; i++ {
			cands = append(cands, "(?, ?, ?, ?)")
			cargs = append(cargs, fmt.Sprintf("t-%d", i), "考生", now, now)
		}
		if _, err := db.W.ExecContext(ctx, "INSERT INTO candidates (openid, name, created_at, updated_at) VALUES "+
			strings.Join(cands, ","), cargs...); err != nil {
			t.Fatal(err)
		}
		var first int64
		if err := db.R.Get(&first, "SELECT id FROM candidates WHERE openid = ?", fmt.Sprintf("t-%d", start)); err != nil {
			t.Fatal(err)
		}
		for i := start; i < start+500; i++ {
			status := []string{"approved", "submitted", "approved", "rejected"}[i%4]
			regs = append(regs, "(?, ?, ?, ?, ?, ?, ?, ?)")
			rargs = append(rargs, planID+int64(i%3), first+int64(i-start), fmt.Sprintf("idx-%d", i),
				fmt.Sprintf("tail-%d", i%1000), status, now.Add(time.Duration(i-n)*time.Second), now, now)
		}
		if _, err := db.W.ExecContext(ctx, `INSERT INTO registrations (plan_id, candidate_id, id_number_idx, id_tail_idx,
			status, submitted_at, created_at, updated_at) VALUES `+strings.Join(regs, ","), rargs...); err != nil {
			t.Fatal(err)
		}
	}
	for _, tbl := range []string{"registrations", "candidates"} {
		if _, err := db.W.ExecContext(ctx, "ANALYZE TABLE "+tbl); err != nil {
			t.Fatal(err)
		}
	}
	list := db.Q.SQL(repo.NamedQuery("console-reg-list"))
	count := db.Q.SQL(repo.NamedQuery("console-reg-count"))
	filter := func(status, tail string) []any {
		return []any{planID, status, status, "", "", "", "", tail, tail}
	}
	explainNoSort(t, db, "list, last four", "r", list, append(filter("", "tail-17"), 50, 0)...)
	explainNoSort(t, db, "count, last four", "r", count, filter("", "tail-17")...)
	explainNoSort(t, db, "results, first page", "r", list, append(filter("approved", ""), 50, 0)...)
	explainNoSort(t, db, "results, last page", "r", list, append(filter("approved", ""), 50, 450)...)
	explainNoSort(t, db, "list, last page", "r", list, append(filter("", ""), 50, 950)...)
	explainNoSort(t, db, "tail backfill", "r", db.Q.SQL(repo.NamedQuery("registration-id-tail-todo")), int64(0), 500)

	// A commit group's status write (issue 19 item 1) reads each registration
	// and each candidate by its primary key, never a scan.
	var rows []repo.SubmitManyRow
	for i := range 16 {
		rows = append(rows, repo.SubmitManyRow{RegistrationID: int64(100 + i), IDTailIdx: "tail", At: now,
			Pin: repo.SubmitPin{Version: 0, CandidateID: int64(100 + i), IDNumberIdx: fmt.Sprintf("idx-%d", i),
				BirthDate: "1990-01-01", VerifyState: "none", Name: "考生", IDType: "resident_card", Gender: "男"}})
	}
	text, args, err := db.SubmitManyStatement(rows, "draft", "submitted")
	if err != nil {
		t.Fatal(err)
	}
	for _, alias := range []string{"r", "c"} {
		explainRanges(t, db, "submit many", alias, "PRIMARY", text, args...)
	}
	explainNoSort(t, db, "submit many", "r", text, args...)
}
