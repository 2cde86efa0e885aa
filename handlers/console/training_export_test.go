package console_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"skillcert/internal/notifytest"
	"skillcert/internal/testenv"
	"skillcert/repo"
)

// TestTrainingExportHasEveryRow exports 10,001 consenting intentions (past
// the old cap of 10,000): every row is in the sheet, streamed, and the audit
// row says how many went out.
func TestTrainingExportHasEveryRow(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		const n = 10001
		ctx := context.Background()
		w := newWorld(t, dsn, nil)
		setCity(t, w.admin, w.instA, "广州市")
		id := createPlan(t, w.a, "TX-1", false)
		var planID int64
		fmt.Sscan(id, &planID)
		people, err := notifytest.Population(ctx, w.app.DB, planID, "train", "submitted", n)
		if err != nil {
			t.Fatal(err)
		}
		phone, err := w.app.Sealer.Seal("13800138000")
		if err != nil {
			t.Fatal(err)
		}
		now := repo.Now()
		err = w.app.DB.WithSQLTx(ctx, func(tx *sqlx.Tx) error {
			for _, p := range people {
				if _, err := tx.ExecContext(ctx, `INSERT INTO training_intentions (candidate_id, occupation, level, city,
					phone_enc, contact_consent, consent_at, created_at, updated_at) VALUES (?, '电工', 4, '广州市', ?, 1, ?, ?, ?)`,
					p.ID, phone, now, now, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		rows := sheetText(t, w.a.Get(t, "/console/training/contacts.xlsx"))
		if len(rows) != n+1 || !strings.HasPrefix(rows[n], fmt.Sprintf("%d|", n)) || !strings.Contains(rows[1], "13800138000") {
			t.Fatalf("training export: %d rows; %q … %q", len(rows), rows[min(1, len(rows)-1)], rows[len(rows)-1])
		}
		must(t, w.admin.Get(t, "/console/audit?action=training.export"), 200, fmt.Sprintf("城市 广州市，%d 人", n))
	})
}
