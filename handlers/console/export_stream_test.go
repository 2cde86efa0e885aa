package console_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"skillcert/internal/notifytest"
	"skillcert/internal/testenv"
)

// TestExportsPastTheOldCap exports more rows than the feedback export's old cap
// of 10,000: every row comes out, streamed, and the audit entry records the
// real count; the roster of a 12,000-registration plan likewise.
func TestExportsPastTheOldCap(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		const extra = 10050
		w := newFBWorld(t, dsn)
		var planID, candID int64
		if err := w.app.DB.R.QueryRow("SELECT plan_id, candidate_id FROM feedback WHERE id = ?", w.namedID).Scan(&planID, &candID); err != nil {
			t.Fatal(err)
		}
		for start := 0; start < extra; start += 500 {
			var b strings.Builder
			var args []any
			b.WriteString(`INSERT INTO feedback (candidate_id, plan_id, category, content, contact_pref, anonymous, status,
				reply, created_at, updated_at) VALUES `)
			for i := start; i < min(extra, start+500); i++ {
				if i > start {
					b.WriteString(", ")
				}
				b.WriteString("(?, ?, 'exam_organization', ?, 'in_app', 0, 'submitted', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')")
				args = append(args, candID, planID, fmt.Sprintf("第%d条反馈", i+1))
			}
			if _, err := w.app.DB.W.Exec(b.String(), args...); err != nil {
				t.Fatal(err)
			}
		}
		rows := sheetText(t, w.sup.Get(t, "/console/feedback/export.xlsx"))
		if len(rows) != extra+3 || !strings.HasPrefix(rows[len(rows)-1], fmt.Sprintf("%d|", extra+2)) {
			t.Fatalf("feedback export: %d rows (want %d and a header), last %q", len(rows)-1, extra+2, rows[len(rows)-1])
		}
		must(t, w.admin.Get(t, "/console/audit?action=feedback.export"), 200, fmt.Sprintf("广州市，%d 条", extra+2))

		// The roster of a large plan.
		const regs = 12000
		id := createPlan(t, w.a, "EX-1", true)
		var pid int64
		fmt.Sscan(id, &pid)
		if _, err := notifytest.Population(context.Background(), w.app.DB, pid, "ex", "submitted", regs); err != nil {
			t.Fatal(err)
		}
		r := roster(t, w.a, "/console/plans/"+id+"/roster.xlsx")
		if len(r) != regs+1 || r[regs][0] != fmt.Sprint(regs) {
			t.Fatalf("roster: %d rows (want %d and a header)", len(r)-1, regs)
		}
		must(t, w.admin.Get(t, "/console/audit?action=roster.export"), 200, fmt.Sprintf("计划编号 EX-1，%d 人，含完整证件号码", regs))
	})
}
