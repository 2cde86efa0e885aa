package repo_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"skillcert/internal/testenv"
	"skillcert/repo"
)

// TestListCountExactThenEstimated fills the audit log with 6,000 entries whose
// actions come in blocks (one in six is "b", the newest 500 all "a") and counts
// them as the console does: exactly up to the bound, estimated beyond it within
// a tenth of the truth, on both engines.
func TestListCountExactThenEstimated(t *testing.T) {
	for _, engine := range []string{"sqlite", "mysql"} {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := openMigrated(t, testenv.NewDSN(t, engine))
			const n = 6000
			es := make([]repo.AuditEntry, n)
			now := repo.Now()
			wantB := 0
			for i := range es {
				action := "a"
				if i < n-500 && i%6 == 0 {
					action, wantB = "b", wantB+1
				}
				es[i] = repo.AuditEntry{ActorKind: "staff", ActorID: sql.NullInt64{Int64: int64(i%3 + 1), Valid: true},
					Action: action, ObjectKind: "plan", Detail: "x", CreatedAt: now}
			}
			if err := db.InsertAuditMany(ctx, db.W, es); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				f     repo.AuditFilter
				exact int
				want  int
				close bool // an estimate: within 10%
			}{
				{repo.AuditFilter{}, 10000, n, false},
				{repo.AuditFilter{}, n, n, false},
				{repo.AuditFilter{}, 1000, n, true},
				{repo.AuditFilter{Action: "b"}, 1000, wantB, false},
				{repo.AuditFilter{Action: "b"}, 300, wantB, true},
				{repo.AuditFilter{ActorID: 2}, 500, n / 3, true},
				{repo.AuditFilter{Action: "none"}, 1000, 0, false},
			} {
				got, err := db.CountAudit(ctx, c.f, c.exact)
				if err != nil {
					t.Fatal(err)
				}
				what := fmt.Sprintf("%+v exact up to %d", c.f, c.exact)
				if got.Approx != c.close {
					t.Errorf("%s: approx = %v, want %v (%+v)", what, got.Approx, c.close, got)
				}
				if !c.close && got.N != c.want {
					t.Errorf("%s: %d, want exactly %d", what, got.N, c.want)
				}
				if c.close && (got.N < c.want*9/10 || got.N > c.want*11/10) {
					t.Errorf("%s: about %d, want within 10%% of %d", what, got.N, c.want)
				}
			}
		})
	}
}

func TestEstimateCountExtrapolatesTheDensity(t *testing.T) {
	for _, c := range []struct {
		n               int
		high, low, from int64
		want            int
	}{
		{1001, 100000, 99000, 1, 100000},   // every id matches: all of them
		{1001, 100000, 90000, 1, 10009},    // one in ten
		{1001, 100000, 90000, 95000, 1001}, // the oldest counted is older than "the oldest": what was counted
		{1001, 100000, 90000, 0, 1001},     // no oldest found (rows went meanwhile)
		{1001, 1000, 2000, 1, 1001},        // low above high cannot happen: what was counted
	} {
		if got := repo.EstimateCount(c.n, c.high, c.low, c.from); got != c.want {
			t.Errorf("EstimateCount(%d, %d, %d, %d) = %d, want %d", c.n, c.high, c.low, c.from, got, c.want)
		}
	}
}

// checkFeedbackEstimates counts the feedback inbox for each filter exactly
// (a bound above every row) and as the console does beyond a small bound, and
// fails when the estimate is off by more than a tenth.
func checkFeedbackEstimates(t *testing.T, db *repo.DB, filters ...repo.FeedbackFilter) {
	t.Helper()
	ctx := context.Background()
	for _, f := range filters {
		exact, err := db.CountFeedbackInbox(ctx, f, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.CountFeedbackInbox(ctx, f, 100)
		if err != nil {
			t.Fatal(err)
		}
		if exact.Approx || exact.N <= 100 || !got.Approx || got.N < exact.N*9/10 || got.N > exact.N*11/10 {
			t.Errorf("feedback %+v: exact %+v, estimated %+v: want an estimate within 10%% of the exact count (> 100)", f, exact, got)
		}
	}
}
