package console_test

import (
	"net/http"
	"strings"
	"testing"

	"skillcert/internal/testenv"
)

// Counts of fewer than five people in the anonymised training statistics are
// shown as "<5"; a withdrawn contact consent takes the candidate out of every
// later contact list and export, while the intention stays counted.
func TestTrainingStatsHideSmallCountsAndConsentCanBeWithdrawn(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		setCity(t, w.admin, w.instA, "广州市")
		var last *testenv.Client
		for i, name := range []string{"甲", "乙", "丙", "丁", "戊", "己"} {
			last = intend(t, w.app, "陈"+name, "广州市", "1380000000"+string(rune('1'+i)), 4, true)
		}
		intend(t, w.app, "林一", "广州市", "13900000001", 3, true)
		intend(t, w.app, "林二", "广州市", "13900000002", 3, false)

		// Level 4: 6 people (shown); level 3: 2 (shown as <5), one of whom agreed (<5).
		page := w.a.Get(t, "/console/training")
		must(t, page, 200, `<td class="num">6</td>`, `<td class="num">&lt;5</td>`, `<th class="num">8</th>`)
		if strings.Contains(page.Body, `<td class="num">2</td>`) || strings.Contains(page.Body, `<td class="num">1</td>`) {
			t.Fatalf("a count under 5 is shown exactly:\n%s", excerpt(page.Body))
		}
		adm := w.admin.Get(t, "/console/training?city=广州市")
		must(t, adm, 200, `&lt;5`)

		if rows := sheetText(t, w.a.Get(t, "/console/training/contacts.xlsx")); len(rows) != 8 { // header + 7 agreeing
			t.Fatalf("export before: %d rows", len(rows))
		}
		var list struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		last.Get(t, "/api/v1/training-intentions").JSON(t, &list)
		intention := path("/api/v1/training-intentions/%d", list.Items[0].ID)
		if res := last.Do(t, http.MethodPatch, intention, map[string]any{}); res.Status != 400 || res.ErrorField() != "contact_consent" {
			t.Fatalf("no choice: %d %s", res.Status, res.Body)
		}
		if res := testenv.SignIn(t, w.app).Do(t, http.MethodPatch, intention, map[string]any{"contact_consent": false}); res.Status != 404 {
			t.Fatalf("someone else's intention: %d", res.Status)
		}
		res := last.Do(t, http.MethodPatch, intention, map[string]any{"contact_consent": false})
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"contact_consent":false`) {
			t.Fatalf("withdraw consent: %d %s", res.Status, res.Body)
		}
		rows := sheetText(t, w.a.Get(t, "/console/training/contacts.xlsx"))
		if len(rows) != 7 || strings.Contains(strings.Join(rows, "\n"), "陈己") {
			t.Fatalf("export after withdrawal still lists the contact: %q", rows)
		}
		if page := w.a.Get(t, "/console/training"); strings.Contains(page.Body, "陈己") {
			t.Fatal("contact list still shows the candidate")
		}
		must(t, w.a.Get(t, "/console/training"), 200, `<td class="num">6</td>`) // still counted
		// Given again, the contact is back.
		if res := last.Do(t, http.MethodPatch, intention, map[string]any{"contact_consent": true}); res.Status != http.StatusOK {
			t.Fatalf("give consent: %d", res.Status)
		}
		if rows := sheetText(t, w.a.Get(t, "/console/training/contacts.xlsx")); len(rows) != 8 {
			t.Fatalf("export after consent given again: %d rows", len(rows))
		}
	})
}

func TestAdminReopensClosedPlan(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		id := createPlan(t, w.a, "P-R1", true)
		api := w.app.Client()
		w.a.Get(t, "/console/plans/"+id)
		if p := w.a.Post(t, "/console/plans/"+id+"/reopen", nil); p.Status != http.StatusForbidden {
			t.Fatalf("institution reopens: %d", p.Status)
		}
		must(t, w.a.Post(t, "/console/plans/"+id+"/close", nil), 303)
		if r := api.Get(t, "/api/v1/plans/"+id); !strings.Contains(string(r.Body), `"status":"closed"`) {
			t.Fatalf("closed: %s", r.Body)
		}
		if p := w.a.Post(t, "/console/plans/"+id+"/reopen", nil); p.Status != http.StatusForbidden {
			t.Fatalf("institution reopens a closed plan: %d", p.Status)
		}
		must(t, w.admin.Get(t, "/console/plans/"+id), 200, "重新开放报名")
		must(t, w.admin.Post(t, "/console/plans/"+id+"/reopen", nil), 303)
		if r := api.Get(t, "/api/v1/plans/"+id); strings.Contains(string(r.Body), `"status":"closed"`) {
			t.Fatalf("still closed after reopening: %s", r.Body)
		}
		if p := w.admin.Post(t, "/console/plans/"+id+"/reopen", nil); p.Status != http.StatusConflict {
			t.Fatalf("reopen an open plan: %d", p.Status)
		}
		must(t, w.admin.Get(t, "/console/audit?action=plan.reopen"), 200, "重新开放评价计划", "P-R1")
	})
}
