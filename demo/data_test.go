package demo

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/planindex"
	"skillcert/repo"
)

// Issue 15, point 11: the demo looks like Guangdong's real data. Addresses do
// not repeat the city and district (shown before them), institutions' phones
// carry their own city's area code, no seat is taken without a registration,
// plan 2501's name has the year of its dates, and every plan passes the
// console's pickers (region, city, occupation).
func TestDemoDataIsCoherent(t *testing.T) {
	ctx := context.Background()
	db, err := repo.Open(ctx, filepath.Join(t.TempDir(), "demo.db"), repo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 28, 4, 0, 0, 0, time.UTC) // reg start in 2026, evaluation in 2027
	if _, err := Seed(ctx, db, now, 300); err != nil {
		t.Fatal(err)
	}
	var plans []repo.Plan
	if err := db.R.Select(&plans, "SELECT * FROM plan_rows"); err != nil {
		t.Fatal(err)
	}
	ch := domain.PlanChoicesOf(domain.DefaultOptions(), nil)
	for _, p := range plans {
		if strings.HasPrefix(p.Address, p.City) || (p.District != "" && strings.HasPrefix(p.Address, p.District)) {
			t.Fatalf("plan %s: address %q repeats %s%s", p.PlanNo, p.Address, p.City, p.District)
		}
		if p.SeatsTaken != 0 {
			t.Fatalf("plan %s: %d seats taken without registrations", p.PlanNo, p.SeatsTaken)
		}
		cp := core.Plan(p)
		if _, verr := domain.ValidatePlanForm(core.PlanFormOf(&cp), ch); verr != nil {
			t.Fatalf("plan %s fails the console's checks: %v", p.PlanNo, domain.FieldErrorsOf(verr))
		}
		if p.PlanNo == PlanNo && !strings.HasPrefix(p.PlanName, p.RegStart[:4]+"年") {
			t.Fatalf("plan 2501 %q opens on %s", p.PlanName, p.RegStart)
		}
	}
	insts, _, err := db.ListInstitutions(ctx, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range insts {
		city := cityOf(in.Name)
		if code := guangdongAreaCodes[city]; code == "" || !strings.HasPrefix(in.ContactPhone, code+"-") {
			t.Fatalf("%s (%s): phone %s", in.Name, city, in.ContactPhone)
		}
		if !strings.HasPrefix(in.Address, city) || strings.Count(in.Address, city) != 1 {
			t.Fatalf("%s: address %q", in.Name, in.Address)
		}
	}
}

// Issue 15, point 3: the candidates' city filter is in the usual order.
func TestPlanMetaCitiesInUsualOrder(t *testing.T) {
	got := planindex.SortCities([]string{"深圳市", "某新城", "云浮市", "广州市", "广东省（省本级）"}, domain.DefaultOptions().SupervisionRegions)
	if strings.Join(got, ",") != "广东省（省本级）,广州市,深圳市,云浮市,某新城" {
		t.Fatalf("order: %v", got)
	}
}
