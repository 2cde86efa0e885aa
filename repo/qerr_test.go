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
		db, err := repo.Open(ctx, dsn, repo.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		_, err = db.GetPlan(ctx, db.R, 424242)
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
