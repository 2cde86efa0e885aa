package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"skillcert/domain"
	"skillcert/internal/testenv"
)

// intend registers a training intention for a new candidate named name.
func intend(t *testing.T, app *testenv.App, name, city, phone string, level int, consent bool) *testenv.Client {
	t.Helper()
	c := testenv.SignInWithIdentity(t, app, name, domain.IDTypeResidentCard, testenv.RandomIDNumber(""))
	res := c.Do(t, http.MethodPost, "/api/v1/training-intentions", map[string]any{"occupation": "养老护理员",
		"level": level, "city": city, "preferred_time": "工作日晚上", "phone": phone, "note": "有护理经验",
		"contact_consent": consent})
	if res.Status != http.StatusCreated {
		t.Fatalf("intention: %d %s", res.Status, res.Body)
	}
	return c
}

// setCity sets an institution's city through the admin page.
func setCity(t *testing.T, admin *testenv.ConsoleClient, institutionID int64, city string) {
	t.Helper()
	admin.Get(t, "/console/institution-cities")
	if p := admin.Post(t, path("/console/institution-cities/%d", institutionID), url.Values{"city": {city}}); p.Status != 303 {
		t.Fatalf("set city: %d %s", p.Status, excerpt(p.Body))
	}
}

func TestTrainingConsole(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		consenting := intend(t, w.app, "陈同意", "广州市", "13800000001", 4, true)
		intend(t, w.app, "林不同意", "广州市", "13800000002", 4, false)
		intend(t, w.app, "黄深圳", "深圳市", "13800000003", 3, true)

		// No city yet: nothing to see, and nothing in the export.
		must(t, w.a.Get(t, "/console/training"), 200, "尚未设置所在城市")
		if rows := sheetText(t, w.a.Get(t, "/console/training/contacts.xlsx")); len(rows) != 1 {
			t.Fatalf("export without a city: %q", rows)
		}

		setCity(t, w.admin, w.instA, "广州市")
		setCity(t, w.admin, w.instB, "深圳市")
		must(t, w.admin.Get(t, "/console/institution-cities"), 200, "广州市第一技师学院", `value="广州市" selected`)
		must(t, w.admin.Get(t, "/console/audit?action=institution.city"), 200, "设置评价机构所在城市")

		// Institution A (广州市): counts of its city, and only the candidate who agreed.
		page := w.a.Get(t, "/console/training")
		must(t, page, 200, "养老护理员", "四级/中级工", "陈同意", "138****0001")
		for _, s := range []string{"林不同意", "138****0002", "黄深圳", "13800000001"} {
			if strings.Contains(page.Body, s) {
				t.Fatalf("institution page shows %q", s)
			}
		}
		rows := sheetText(t, w.a.Get(t, "/console/training/contacts.xlsx"))
		if len(rows) != 2 || !strings.HasPrefix(rows[0], "序号|姓名|职业") ||
			!strings.Contains(rows[1], "陈同意|养老护理员|四级/中级工|广州市|工作日晚上|13800000001") {
			t.Fatalf("export: %q", rows)
		}
		must(t, w.admin.Get(t, "/console/audit?action=training.export"), 200, "导出培训意向联系人", "inst-a", "城市 广州市，1 人")

		// Institution B (深圳市) sees its own city only.
		rows = sheetText(t, w.b.Get(t, "/console/training/contacts.xlsx"))
		if len(rows) != 2 || !strings.Contains(rows[1], "黄深圳") {
			t.Fatalf("other city's export: %q", rows)
		}
		// Filters narrow the list and the export.
		if rows := sheetText(t, w.a.Get(t, "/console/training/contacts.xlsx?level=3")); len(rows) != 1 {
			t.Fatalf("level filter: %q", rows)
		}

		// Admins see counts of every city, no contacts; supervisors nothing.
		adm := w.admin.Get(t, "/console/training")
		must(t, adm, 200, "广州市", "深圳市", "养老护理员")
		if strings.Contains(adm.Body, "陈同意") || strings.Contains(adm.Body, "138") {
			t.Fatal("admin page lists contacts")
		}
		if p := w.admin.Get(t, "/console/training/contacts.xlsx"); p.Status != http.StatusForbidden {
			t.Fatalf("admin export: %d", p.Status)
		}
		if p := w.sup.Get(t, "/console/training"); p.Status != http.StatusForbidden {
			t.Fatalf("supervisor: %d", p.Status)
		}

		// A withdrawn intention leaves the list at once.
		var list struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		consenting.Get(t, "/api/v1/training-intentions").JSON(t, &list)
		if res := consenting.Do(t, http.MethodDelete, path("/api/v1/training-intentions/%d", list.Items[0].ID), nil); res.Status != 204 {
			t.Fatalf("withdraw: %d", res.Status)
		}
		if rows := sheetText(t, w.a.Get(t, "/console/training/contacts.xlsx")); len(rows) != 1 {
			t.Fatalf("export after withdrawal: %q", rows)
		}
	})
}
