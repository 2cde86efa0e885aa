package console_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"skillcert/internal/notifytest"
	"skillcert/internal/testenv"
)

// TestExportsPastTheOldCap exports more rows than the feedback export's old cap
// of 10,000: every row comes out, streamed, and the audit entry records the
// real count; the roster of a 12,000-registration plan likewise, each row with
// its own decrypted ID number and phone, name and verification state.
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
				reply, created_at, updated_at, supervision_region) VALUES `)
			for i := start; i < min(extra, start+500); i++ {
				if i > start {
					b.WriteString(", ")
				}
				b.WriteString("(?, ?, 'exam_organization', ?, 'in_app', 0, 'submitted', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00', (SELECT supervision_region FROM plans WHERE id = ?))")
				args = append(args, candID, planID, fmt.Sprintf("第%d条反馈", i+1), planID)
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
		people, err := notifytest.Population(context.Background(), w.app.DB, pid, "ex", "submitted", regs)
		if err != nil {
			t.Fatal(err)
		}
		// Each candidate gets a name, ID number and phone of its own, sealed
		// (text that needs escaping among them); every 7th is verified, every
		// 11th registration cancelled (left out of the roster).
		type want struct{ name, id, phone, verify string }
		var wants []want
		for start := 0; start < regs; start += 500 {
			err := w.app.DB.WithSQLTx(context.Background(), func(tx *sqlx.Tx) error {
				for i := start; i < min(regs, start+500); i++ {
					p := people[i]
					v := want{name: fmt.Sprintf("考生%d", i), id: fmt.Sprintf("44010519%010d", i),
						phone: fmt.Sprintf("139%08d", i), verify: "未核验"}
					state := "unverified"
					switch {
					case i%7 == 0:
						state, v.verify = "verified", "已核验"
					case i%13 == 0:
						v.name = fmt.Sprintf(" <&>_x0041_ %d\t", i)
					}
					idEnc, err := w.app.Sealer.Seal(v.id)
					if err != nil {
						return err
					}
					phoneEnc, err := w.app.Sealer.Seal(v.phone)
					if err != nil {
						return err
					}
					if _, err := tx.Exec("UPDATE candidates SET name = ?, id_type = '01', id_number_enc = ?, verify_state = ? WHERE id = ?",
						v.name, idEnc, state, p.ID); err != nil {
						return err
					}
					status := "submitted"
					if i%11 == 0 {
						status = "cancelled"
					}
					if _, err := tx.Exec("UPDATE registrations SET phone_enc = ?, status = ? WHERE id = ?", phoneEnc, status, p.Registration); err != nil {
						return err
					}
					if status != "cancelled" {
						wants = append(wants, v)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		r := roster(t, w.a, "/console/plans/"+id+"/roster.xlsx")
		if len(r) != len(wants)+1 {
			t.Fatalf("roster: %d rows (want %d and a header)", len(r)-1, len(wants))
		}
		for i, v := range wants {
			row := r[i+1]
			if len(row) != 19 || row[0] != fmt.Sprint(i+1) || row[1] != v.name || row[2] != "居民身份证" || row[3] != v.id ||
				row[12] != v.phone || row[13] != "已提交（待审核）" || row[14] != v.verify || row[15] != "EX-1" {
				t.Fatalf("roster row %d: %q, want %+v", i+1, row, v)
			}
		}
		must(t, w.admin.Get(t, "/console/audit?action=roster.export"), 200, fmt.Sprintf("计划编号 EX-1，%d 人，含完整证件号码", len(wants)))
	})
}
