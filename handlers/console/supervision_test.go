package console_test

import (
	"strings"
	"testing"

	"skillcert/internal/testenv"
)

// Issue 14, finding 1: an institution could take its own plan out of
// supervision by typing any 业务监管地. The region (and the exam city and the
// occupation) come from fixed lists; after publication only an admin changes the
// region; every plan edit records the old and new value of each changed field.
func TestSupervisionRegionIsPickedAndLockedAfterPublication(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)

		// Free text is refused on create: ASCII brackets, a city without 市, an
		// unknown region, an occupation outside the catalogue.
		w.a.Get(t, "/console/plans/new")
		bad := planForm("R-1")
		bad.Set("supervision_region", "广东省(省本级)")
		bad.Set("city", "广州")
		bad.Set("occupation_name", "电工师傅")
		p := w.a.Post(t, "/console/plans", bad)
		must(t, p, 400, "请从列表中选择业务监管地", "请从列表中选择考试地点（市）", "请从列表中选择职业名称")
		// What was typed is still there (a value outside the list stays selected, marked).
		must(t, p, 400, "广东省(省本级)（不在列表中，请重新选择）", "天河区龙洞东路1号实训楼")

		id := createPlan(t, w.a, "R-1", true)
		must(t, w.sup.Get(t, "/console/plans/"+id), 200, "R-1")

		// Published: the institution cannot move it to another region (nor to
		// an unknown one); the supervisor keeps seeing it.
		for _, region := range []string{"深圳市", "某个不存在的地方"} {
			w.a.Get(t, "/console/plans/"+id+"/edit")
			f := planForm("R-1")
			f.Set("supervision_region", region)
			p := w.a.Post(t, "/console/plans/"+id, f)
			if p.Status == 303 {
				t.Fatalf("an institution moved its published plan to %q", region)
			}
			must(t, p, 400)
		}
		var region string
		if err := w.app.DB.R.Get(&region, "SELECT supervision_region FROM plans WHERE id = ?", id); err != nil {
			t.Fatal(err)
		}
		if region != "广州市" {
			t.Fatalf("region is now %q", region)
		}
		must(t, w.sup.Get(t, "/console/plans/"+id), 200, "R-1")
		must(t, w.a.Get(t, "/console/plans/"+id+"/edit"), 200, "业务监管地只能由管理员修改")

		// Other fields still change; the audit names each one with old and new values.
		w.a.Get(t, "/console/plans/"+id+"/edit")
		f := planForm("R-1")
		f.Set("contact_name", "王老师")
		f.Set("seats_total", "40")
		must(t, w.a.Post(t, "/console/plans/"+id, f), 303)
		var detail string
		if err := w.app.DB.R.Get(&detail, "SELECT detail FROM audit_log WHERE action = 'plan.update' AND object_id = ? ORDER BY id DESC LIMIT 1", id); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"评价业务联系人：林老师 → 王老师", "最大允许报名人数：30 → 40"} {
			if !strings.Contains(detail, s) {
				t.Fatalf("audit detail %q lacks %q", detail, s)
			}
		}

		// An admin moves it; the audit has both values; the supervisors follow.
		must(t, w.a.Post(t, "/console/plans/"+id+"/region", map[string][]string{"supervision_region": {"深圳市"}}), 403)
		w.admin.Get(t, "/console/plans/"+id)
		must(t, w.admin.Post(t, "/console/plans/"+id+"/region", map[string][]string{"supervision_region": {"深圳(市)"}}), 400, "请从列表中选择业务监管地")
		must(t, w.admin.Post(t, "/console/plans/"+id+"/region", map[string][]string{"supervision_region": {"深圳市"}}), 303)
		must(t, w.sup.Get(t, "/console/plans/"+id), 404)
		must(t, w.other.Get(t, "/console/plans/"+id), 200, "R-1")
		if err := w.app.DB.R.Get(&detail, "SELECT detail FROM audit_log WHERE action = 'plan.region' AND object_id = ?", id); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(detail, "广州市 → 深圳市") {
			t.Fatalf("region audit %q", detail)
		}
	})
}

// A supervisor account's region is picked from the same list.
func TestSupervisorRegionIsPicked(t *testing.T) {
	w := newWorld(t, "", nil)
	w.admin.Get(t, "/console/users")
	form := map[string][]string{"username": {"sup-x"}, "password": {"a-long-password-1"}, "role": {"supervisor"},
		"region": {"广东省(省本级)"}}
	must(t, w.admin.Post(t, "/console/users", form), 400, "请从列表中选择业务监管地", `value="sup-x"`)
	form["region"] = []string{"广东省（省本级）"}
	must(t, w.admin.Post(t, "/console/users", form), 303)
}
