package handlers_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/repo"
)

// planFixture is a small, fully known set of plans around a fixed "today"
// (2026-03-10, Beijing).
type planFixture struct {
	app *testenv.App
	ids map[string]int64
}

var fixtureNow = time.Date(2026, 3, 10, 10, 0, 0, 0, domain.Beijing)

func newPlanFixture(t *testing.T, dsn string) *planFixture {
	t.Helper()
	app := testenv.Start(t, dsn, testenv.Options{})
	app.Clock.Set(fixtureNow)
	ctx := context.Background()
	db := app.DB
	ts := fixtureNow.UTC()
	inst := repo.Institution{Name: "广东岭南现代技师学院", CreatedAt: ts, UpdatedAt: ts}
	if err := db.InsertInstitution(ctx, db.W, &inst); err != nil {
		t.Fatal(err)
	}
	mk := func(no, occ, wt string, level int, city, start, deadline, evalStart, state string, seats, taken int) repo.Plan {
		pub := sql.NullTime{Time: ts, Valid: state != repo.PlanDraft}
		return repo.Plan{PlanNo: no, PlanName: no + " " + occ, InstitutionID: inst.ID, OccupationName: occ, WorkType: wt,
			Level: level, SeatsTotal: seats, SeatsTaken: taken, City: city, District: "某区", Address: "某路1号",
			RegStart: start, RegDeadline: deadline, EvalStart: evalStart, EvalEnd: evalStart,
			ContactName: "林老师", ContactPhone: "020-1234567", SupervisionRegion: "广东省（省本级）",
			State: state, PublishedAt: pub, CreatedAt: ts, UpdatedAt: ts}
	}
	plans := []repo.Plan{
		mk("A", "电工", "无", 2, "广州市", "2026-03-01", "2026-03-10", "2026-03-20", repo.PlanPublished, 10, 0),
		mk("B", "焊工", "电焊工", 3, "深圳市", "2026-03-11", "2026-03-20", "2026-03-25", repo.PlanPublished, 10, 0),
		mk("C", "育婴员", "无", 2, "广州市", "2026-02-01", "2026-03-09", "2026-03-15", repo.PlanPublished, 10, 3),
		mk("D", "电工", "无", 5, "佛山市", "2026-03-01", "2026-03-30", "2026-04-05", repo.PlanPublished, 5, 5),
		mk("E", "美容师", "无", 4, "广州市", "2026-03-01", "2026-03-30", "2026-04-05", repo.PlanDraft, 5, 0),
		mk("F", "中式烹调师", "无", 1, "广州市", "2026-03-01", "2026-03-30", "2026-04-06", repo.PlanClosed, 5, 0),
	}
	// 45 open plans for paging: 育婴员 in 珠海市, deadlines spread over 45 days.
	for i := 0; i < 45; i++ {
		d := fixtureNow.AddDate(0, 0, i+1).Format("2006-01-02")
		plans = append(plans, mk(fmt.Sprintf("P%02d", i), "保育师", "无", 5, "珠海市", "2026-03-01", d, d, repo.PlanPublished, 30, 0))
	}
	f := &planFixture{app: app, ids: map[string]int64{}}
	for i := range plans {
		// Publication order: later plans are newer.
		plans[i].PublishedAt.Time = ts.Add(time.Duration(i) * time.Minute)
		if err := db.InsertPlan(ctx, db.W, &plans[i]); err != nil {
			t.Fatal(err)
		}
		f.ids[plans[i].PlanNo] = plans[i].ID
	}
	if err := app.Core.Plans.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	return f
}

type planPage struct {
	Items    []core.PlanView `json:"items"`
	Total    int             `json:"total"`
	Page     int             `json:"page"`
	PageSize int             `json:"page_size"`
}

func (f *planFixture) search(t *testing.T, q url.Values) planPage {
	t.Helper()
	res := f.app.Client().Get(t, "/api/v1/plans?"+q.Encode())
	if res.Status != 200 {
		t.Fatalf("search %v: %d %s", q, res.Status, res.Body)
	}
	var p planPage
	res.JSON(t, &p)
	return p
}

func nos(p planPage) []string {
	out := make([]string, len(p.Items))
	for i, it := range p.Items {
		out[i] = it.PlanNo
	}
	return out
}

func sameSet(got []string, want ...string) bool {
	if len(got) != len(want) {
		return false
	}
	m := map[string]int{}
	for _, g := range got {
		m[g]++
	}
	for _, w := range want {
		m[w]--
	}
	for _, v := range m {
		if v != 0 {
			return false
		}
	}
	return true
}

func TestPlanSearchFilters(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		f := newPlanFixture(t, dsn)
		cases := []struct {
			name  string
			q     url.Values
			total int
			want  []string // exact set when not nil
		}{
			{"all published, draft hidden", url.Values{}, 50, nil},
			{"level 2", url.Values{"level": {"2"}}, 2, []string{"A", "C"}},
			{"level 1 includes institution-closed plan", url.Values{"level": {"1"}}, 1, []string{"F"}},
			{"city", url.Values{"city": {"广州市"}}, 3, []string{"A", "C", "F"}},
			{"city and level", url.Values{"city": {"广州市"}, "level": {"2"}}, 2, []string{"A", "C"}},
			{"city unknown", url.Values{"city": {"拉萨市"}}, 0, []string{}},
			{"occupation substring matches occupation and work type", url.Values{"occupation": {"电"}}, 3, []string{"A", "B", "D"}},
			{"occupation by work type only", url.Values{"occupation": {"电焊"}}, 1, []string{"B"}},
			{"occupation with level", url.Values{"occupation": {"电"}, "level": {"5"}}, 1, []string{"D"}},
			{"occupation matching most plans (bucket walk)", url.Values{"occupation": {"师"}}, 46, nil},
			{"occupation matching most plans with a level", url.Values{"occupation": {"师"}, "level": {"1"}}, 1, []string{"F"}},
			{"occupation no match", url.Values{"occupation": {"飞行员"}}, 0, []string{}},
			{"status open (deadline day itself is open)", url.Values{"status": {"open"}, "city": {"广州市"}}, 1, []string{"A"}},
			{"status upcoming", url.Values{"status": {"upcoming"}}, 1, []string{"B"}},
			{"status closed", url.Values{"status": {"closed"}}, 2, []string{"C", "F"}},
			{"status full", url.Values{"status": {"full"}}, 1, []string{"D"}},
			{"status open total", url.Values{"status": {"open"}, "page_size": {"100"}}, 46, nil},
		}
		for _, tc := range cases {
			p := f.search(t, tc.q)
			if p.Total != tc.total {
				t.Errorf("%s: total %d, want %d (%v)", tc.name, p.Total, tc.total, nos(p))
			}
			if tc.want != nil && !sameSet(nos(p), tc.want...) {
				t.Errorf("%s: got %v, want %v", tc.name, nos(p), tc.want)
			}
		}
		// Statuses and names as shown.
		p := f.search(t, url.Values{"occupation": {"电"}})
		for _, it := range p.Items {
			want := map[string]string{"A": "报名中", "B": "未开始", "D": "已满"}[it.PlanNo]
			if it.StatusName != want {
				t.Errorf("%s status %q, want %q", it.PlanNo, it.StatusName, want)
			}
			if it.PlanNo == "D" && it.SeatsLeft != 0 {
				t.Errorf("D seats_left %d", it.SeatsLeft)
			}
			if it.PlanNo == "A" && (it.LevelName != "二级/技师" || it.Location.City != "广州市" || it.InstitutionName != "广东岭南现代技师学院") {
				t.Errorf("A fields wrong: %+v", it)
			}
		}
	})
}

func TestPlanSearchSortAndPaging(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		f := newPlanFixture(t, dsn)
		// Default sort: deadlines from today on, soonest first; then past ones, latest first.
		p := f.search(t, url.Values{"page_size": {"100"}})
		got := nos(p)
		if len(got) != 50 || got[0] != "A" || got[1] != "P00" || got[len(got)-1] != "C" {
			t.Fatalf("deadline order wrong: %v", got)
		}
		for i := 1; i < len(p.Items); i++ {
			a, b := p.Items[i-1], p.Items[i]
			if a.RegDeadline >= "2026-03-10" && b.RegDeadline >= "2026-03-10" && a.RegDeadline > b.RegDeadline {
				t.Fatalf("not ascending at %d: %s > %s", i, a.RegDeadline, b.RegDeadline)
			}
		}
		// eval_start: from today on, soonest first.
		p = f.search(t, url.Values{"sort": {"eval_start"}, "city": {"广州市"}})
		if !equal(nos(p), []string{"C", "A", "F"}) {
			t.Fatalf("eval_start order: %v", nos(p))
		}
		// newest: latest published first.
		p = f.search(t, url.Values{"sort": {"newest"}, "page_size": {"3"}})
		if !equal(nos(p), []string{"P44", "P43", "P42"}) {
			t.Fatalf("newest order: %v", nos(p))
		}
		// Paging: pages cover the list exactly once, the total stays, a page past the end is empty.
		seen := map[string]bool{}
		for page := 1; page <= 3; page++ {
			p = f.search(t, url.Values{"city": {"珠海市"}, "page": {fmt.Sprint(page)}, "page_size": {"20"}})
			if p.Total != 45 || p.Page != page || p.PageSize != 20 {
				t.Fatalf("page %d: total %d page %d size %d", page, p.Total, p.Page, p.PageSize)
			}
			wantLen := map[int]int{1: 20, 2: 20, 3: 5}[page]
			if len(p.Items) != wantLen {
				t.Fatalf("page %d has %d items, want %d", page, len(p.Items), wantLen)
			}
			for _, n := range nos(p) {
				if seen[n] {
					t.Fatalf("%s on two pages", n)
				}
				seen[n] = true
			}
		}
		p = f.search(t, url.Values{"city": {"珠海市"}, "page": {"4"}, "page_size": {"20"}})
		if len(p.Items) != 0 || p.Total != 45 {
			t.Fatalf("past the end: %d items, total %d", len(p.Items), p.Total)
		}
		p = f.search(t, url.Values{"page_size": {"1"}, "occupation": {"电"}, "page": {"3"}})
		if p.Total != 3 || len(p.Items) != 1 {
			t.Fatalf("multi-term paging: %+v", p)
		}
		p = f.search(t, url.Values{})
		if p.PageSize != 20 || p.Page != 1 || len(p.Items) != 20 {
			t.Fatalf("defaults: page %d size %d items %d", p.Page, p.PageSize, len(p.Items))
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPlanSearchBadInput(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		f := newPlanFixture(t, dsn)
		c := f.app.Client()
		cases := []struct{ path, field string }{
			{"/api/v1/plans?level=9", "level"},
			{"/api/v1/plans?level=0", "level"},
			{"/api/v1/plans?level=abc", "level"},
			{"/api/v1/plans?page=0", "page"},
			{"/api/v1/plans?page=-1", "page"},
			{"/api/v1/plans?page_size=500", "page_size"},
			{"/api/v1/plans?page_size=0", "page_size"},
			{"/api/v1/plans?sort=price", "sort"},
			{"/api/v1/plans?status=soon", "status"},
			{"/api/v1/plans/abc", "id"},
		}
		for _, tc := range cases {
			res := c.Get(t, tc.path)
			if res.Status != 400 || res.ErrorField() != tc.field {
				t.Errorf("%s: %d field %q: %s", tc.path, res.Status, res.ErrorField(), res.Body)
				continue
			}
			var e struct {
				Error struct{ Code, Message, Field string } `json:"error"`
			}
			res.JSON(t, &e)
			if e.Error.Code == "" || !hasHan(e.Error.Message) {
				t.Errorf("%s: error must have a code and a Chinese message: %s", tc.path, res.Body)
			}
		}
		// One plan; unknown and unpublished are 404 in the error shape.
		res := c.Get(t, fmt.Sprintf("/api/v1/plans/%d", f.ids["A"]))
		if res.Status != 200 {
			t.Fatalf("get A: %d %s", res.Status, res.Body)
		}
		for _, id := range []int64{f.ids["E"], 999999} {
			res = c.Get(t, fmt.Sprintf("/api/v1/plans/%d", id))
			if res.Status != 404 || res.ErrorCode() != "plan_not_found" {
				t.Errorf("plan %d: %d %s", id, res.Status, res.Body)
			}
		}
		res = c.Get(t, "/api/v1/nothing-here")
		if res.Status != 404 || res.ErrorCode() != "not_found" {
			t.Errorf("unknown route: %d %s", res.Status, res.Body)
		}
	})
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func TestPlanIndexFollowsChanges(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		f := newPlanFixture(t, dsn)
		ctx := context.Background()
		db := f.app.DB
		later := fixtureNow.UTC().Add(time.Second)
		// Another replica fills plan A and publishes E, recording both in the
		// change feed as the repo's writes do: a refresh (the poll) picks both up.
		if _, err := db.W.ExecContext(ctx, `UPDATE plans SET seats_taken = seats_total, updated_at = ? WHERE id = ?`, later, f.ids["A"]); err != nil {
			t.Fatal(err)
		}
		if _, err := db.W.ExecContext(ctx, `UPDATE plans SET state = 'published', published_at = ?, updated_at = ? WHERE id = ?`, later, later, f.ids["E"]); err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{f.ids["A"], f.ids["E"]} {
			if err := db.RecordPlanChange(ctx, db.W, id, later); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.app.Core.Plans.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		p := f.search(t, url.Values{"city": {"广州市"}, "status": {"full"}})
		if !equal(nos(p), []string{"A"}) {
			t.Fatalf("A should be full: %v", nos(p))
		}
		if p := f.search(t, url.Values{"city": {"广州市"}}); p.Total != 4 {
			t.Fatalf("E should be visible after publishing: total %d", p.Total)
		}
		// A local seat change shows at once.
		f.app.Core.Plans.SetSeatsTaken(f.ids["A"], 1)
		res := f.app.Client().Get(t, fmt.Sprintf("/api/v1/plans/%d", f.ids["A"]))
		var v core.PlanView
		res.JSON(t, &v)
		if v.SeatsLeft != 9 || v.Status != "open" {
			t.Fatalf("after SetSeatsTaken: %+v", v)
		}
		// Unpublishing hides it again.
		if _, err := db.W.ExecContext(ctx, `UPDATE plans SET state = 'draft', updated_at = ? WHERE id = ?`, later.Add(time.Second), f.ids["E"]); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordPlanChange(ctx, db.W, f.ids["E"], later); err != nil {
			t.Fatal(err)
		}
		if err := f.app.Core.Plans.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if res := f.app.Client().Get(t, fmt.Sprintf("/api/v1/plans/%d", f.ids["E"])); res.Status != 404 {
			t.Fatalf("unpublished E: %d", res.Status)
		}
		// A write that goes around the feed (by hand) is not seen by the poll,
		// but the reconciliation finds it: the seat count and the publication.
		if _, err := db.W.ExecContext(ctx, `UPDATE plans SET state = 'published', seats_taken = 3, updated_at = ? WHERE id = ?`, later.Add(2*time.Second), f.ids["E"]); err != nil {
			t.Fatal(err)
		}
		if _, err := db.W.ExecContext(ctx, `UPDATE plans SET seats_taken = 4, updated_at = ? WHERE id = ?`, later.Add(2*time.Second), f.ids["A"]); err != nil {
			t.Fatal(err)
		}
		if err := f.app.Core.Plans.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if res := f.app.Client().Get(t, fmt.Sprintf("/api/v1/plans/%d", f.ids["E"])); res.Status != 404 {
			t.Fatalf("E published around the feed is visible before reconciliation: %d", res.Status)
		}
		if err := f.app.Core.Plans.Reconcile(ctx); err != nil {
			t.Fatal(err)
		}
		f.app.Client().Get(t, fmt.Sprintf("/api/v1/plans/%d", f.ids["E"])).JSON(t, &v)
		if v.SeatsLeft != v.SeatsTotal-3 {
			t.Fatalf("E after reconciliation: %+v", v)
		}
		f.app.Client().Get(t, fmt.Sprintf("/api/v1/plans/%d", f.ids["A"])).JSON(t, &v)
		if v.SeatsLeft != 6 {
			t.Fatalf("A after reconciliation: %+v", v)
		}
	})
}

func TestMeta(t *testing.T) {
	f := newPlanFixture(t, testenv.NewDSN(t, "sqlite"))
	res := f.app.Client().Get(t, "/api/v1/meta")
	m := res.Map(t)
	for _, k := range []string{"levels", "cities", "occupations", "sorts", "statuses", "id_types", "education", "candidate_sources", "labor_relations", "bases"} {
		l, ok := m[k].([]any)
		if !ok || len(l) == 0 {
			t.Errorf("meta %s missing or empty: %v", k, m[k])
		}
	}
	if len(m["levels"].([]any)) != 5 {
		t.Errorf("levels: %v", m["levels"])
	}
	cities := fmt.Sprint(m["cities"])
	if !contains(cities, "珠海市") || contains(cities, "拉萨市") {
		t.Errorf("cities: %s", cities)
	}
	// A draft plan's occupation (美容师) has no visible plan and is not offered.
	if contains(fmt.Sprint(m["occupations"]), "美容师") {
		t.Errorf("occupations lists a draft-only occupation: %v", m["occupations"])
	}
	checkBasisRulesFixture(t, m["basis_rules"])
}

// basisRulesFixture is the mini-program tests' copy of /meta's basis_rules. The
// mini-program itself keeps no copy (it reads /meta); its tests' fake server
// serves this file, and this test keeps it equal to what the server answers.
const basisRulesFixture = "../miniprogram/test/helpers/basis_rules.json"

func checkBasisRulesFixture(t *testing.T, served any) {
	t.Helper()
	rules, ok := served.([]any)
	if !ok || len(rules) != 4 {
		t.Fatalf("meta basis_rules: %v", served)
	}
	want, err := json.MarshalIndent(served, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if os.Getenv("SKILLCERT_UPDATE_FIXTURES") == "1" {
		if err := os.WriteFile(basisRulesFixture, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(basisRulesFixture)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s is stale (err %v): regenerate it with SKILLCERT_UPDATE_FIXTURES=1 go test -run TestMeta ./handlers/", basisRulesFixture, err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
