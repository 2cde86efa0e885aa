package planindex_test

import (
	"context"
	"testing"
	"time"

	"skillcert/demo"
	"skillcert/repo"
)

// plansDB opens the database at dsn, migrates it and fills it with the demo
// institutions and n generated plans (seed; tweak, when given, edits them
// before the insert). It is closed when the test ends.
func plansDB(t *testing.T, dsn string, opts repo.Options, n int, seed uint64, tweak func([]repo.Plan)) (*repo.DB, time.Time) {
	t.Helper()
	ctx := context.Background()
	db, err := repo.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	insts, err := demo.EnsureInstitutions(ctx, db, now)
	if err != nil {
		t.Fatal(err)
	}
	plans := demo.GenPlans(demo.GenOptions{N: n, Seed: seed, Now: now, Institutions: insts, FirstNo: 1})
	if tweak != nil {
		tweak(plans)
	}
	if err := db.InsertPlansBulk(ctx, plans); err != nil {
		t.Fatal(err)
	}
	return db, now
}
