package console_test

import (
	"net/url"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/internal/testenv"
)

// TestConsoleShowsVerification: every registration row and the detail say
// 已核验/未核验, a claimed registration is flagged, and the plan's institution
// can require verified identities.
func TestConsoleShowsVerification(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		id, regs := openPlan(t, w, "FV-1", testenv.Registrant{Name: "王小明"}, testenv.Registrant{Name: "李大华"})
		db := w.app.DB.W
		if _, err := db.Exec(`UPDATE candidates SET verify_state = 'verified'
			WHERE id = (SELECT candidate_id FROM registrations WHERE id = ?)`, regs[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO registration_flags (registration_id, kind, detail, created_at) VALUES (?, ?, ?, ?)`,
			regs[1], core.RegistrationFlagIDClaimed, "报名时姓名：李大华。请核实考生身份", time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		must(t, w.a.Get(t, "/console/plans/"+id+"/registrations"), 200, "实名核验", "已核验", "未核验", "身份待核实")
		must(t, w.sup.Get(t, "/console/plans/"+id+"/registrations"), 200, "已核验", "未核验")
		must(t, w.a.Get(t, "/console/plans/"+id+"/registrations/"+regs[0]), 200, "实名核验", "已核验")
		must(t, w.a.Get(t, "/console/plans/"+id+"/registrations/"+regs[1]), 200, "未核验", "身份待核实：报名时姓名：李大华")
		rows := roster(t, w.a, "/console/plans/"+id+"/roster.xlsx")
		if len(rows) != 3 || rows[1][14] != "已核验" || rows[2][14] != "未核验" {
			t.Fatalf("roster %v", rows)
		}

		// The plan setting: the owner switches it; others may not.
		must(t, w.a.Get(t, "/console/plans/"+id), 200, "未开启", "要求实名核验后方可提交")
		must(t, w.sup.Post(t, "/console/plans/"+id+"/require-verified", url.Values{"on": {"1"}}), 403)
		must(t, w.b.Post(t, "/console/plans/"+id+"/require-verified", url.Values{"on": {"1"}}), 404)
		must(t, w.a.Post(t, "/console/plans/"+id+"/require-verified", url.Values{"on": {"1"}}), 303)
		must(t, w.a.Get(t, "/console/plans/"+id), 200, "已开启", "取消实名核验要求")
		var n int
		w.app.DB.R.Get(&n, "SELECT COUNT(*) FROM audit_log WHERE action = ?", core.AuditPlanRequireVerif)
		if n != 1 {
			t.Fatalf("%d audit entries for the setting, want 1", n)
		}
	})
}
