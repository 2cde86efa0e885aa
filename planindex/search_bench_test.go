package planindex_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/demo"
	"skillcert/repo"
)

// BenchmarkSearchPlans measures each query shape of the bench mix in process,
// without HTTP, on 100,000 generated plans.
func BenchmarkSearchPlans(b *testing.B) {
	ctx := context.Background()
	db, err := repo.Open(ctx, filepath.Join(b.TempDir(), "b.db"), repo.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, nil); err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	insts, err := demo.EnsureInstitutions(ctx, db, now)
	if err != nil {
		b.Fatal(err)
	}
	if err := db.InsertPlansBulk(ctx, demo.GenPlans(demo.GenOptions{N: 100000, Seed: 42, Now: now, Institutions: insts, FirstNo: 1})); err != nil {
		b.Fatal(err)
	}
	c := core.New(core.Deps{DB: db, Now: func() time.Time { return now }})
	if err := c.Plans.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	cases := map[string]core.PlanQuery{
		"all":              {},
		"level":            {Level: 2},
		"level-open":       {Level: 5, Status: "open"},
		"city":             {City: "广州市"},
		"city-level":       {City: "深圳市", Level: 3},
		"occ-one":          {Occupation: "电工"},
		"occ-many":         {Occupation: "师"},
		"occ-many-open":    {Occupation: "员", Status: "open"},
		"open":             {Status: "open"},
		"closed-deep":      {Status: "closed", Page: 500},
		"deep-all":         {Page: 200, PageSize: 50},
		"newest":           {Sort: "newest"},
		"upcoming-eval":    {Status: "upcoming", Sort: "eval_start"},
		"occ-few-and-city": {Occupation: "焊", City: "佛山市"},
	}
	for name, q := range cases {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := c.SearchPlans(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
