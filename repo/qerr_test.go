package repo_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"skillcert/internal/testenv"
	"skillcert/repo"
)

// A failed named query says which query it was, and the driver's error is still
// recognised through the wrapping: no rows, a unique violation.
func TestErrorsNameTheirQuery(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openMigrated(t, dsn)
		_, err := db.GetPlan(ctx, db.R, 424242)
		var qe *repo.QueryError
		if !errors.As(err, &qe) || qe.Query != "plan-get" || !repo.IsNoRows(err) {
			t.Fatalf("GetPlan of an unknown id: %v (QueryError %v, no rows %v)", err, qe, repo.IsNoRows(err))
		}
		if !strings.HasPrefix(err.Error(), "query plan-get: ") {
			t.Errorf("message %q does not name the query", err)
		}
		now := repo.Now()
		in := repo.Institution{Name: "测试评价机构", CreatedAt: now, UpdatedAt: now}
		if err := db.InsertInstitution(ctx, db.W, &in); err != nil {
			t.Fatal(err)
		}
		dup := in
		err = db.InsertInstitution(ctx, db.W, &dup)
		if !errors.As(err, &qe) || qe.Query != "institution-insert" || !repo.IsUniqueViolation(err) {
			t.Fatalf("a second institution of the same name: %v", err)
		}
	})
}

// The paths that do not go through get/sel/exec name their query too: a list
// expanded by sqlx.In, and a walk over rows. A cancelled context makes each fail.
func TestExpandedAndWalkedErrorsNameTheirQuery(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openMigrated(t, dsn)
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		_, err := db.AttachmentKeys(cancelled, []int64{1, 2})
		if err == nil || !strings.HasPrefix(err.Error(), "query console-attachment-keys: ") {
			t.Errorf("AttachmentKeys: %v does not name the query", err)
		}
		err = db.EachReviewRow(cancelled, repo.ReviewFilter{PlanID: 1}, func(repo.ReviewRow) error { return nil })
		var qe *repo.QueryError
		if !errors.As(err, &qe) || qe.Query != "console-reg-all" {
			t.Errorf("EachReviewRow: %v does not name the query", err)
		}
		// fn's own error is passed through as it is.
		stop := errors.New("stop")
		if err := db.EachReviewRow(ctx, repo.ReviewFilter{PlanID: 1}, func(repo.ReviewRow) error { return stop }); err != nil && err != stop {
			t.Errorf("EachReviewRow wrapped fn's error: %v", err)
		}
	})
}
