package console_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/repo"
)

// Issue 21 item 5: admins export the audit log for a date range (Beijing days,
// both ends included) as xlsx or JSON Lines; a bad range names its field and
// exports nothing; the export is audited with its range and count.
func TestAuditExportDateRangeAndJSONLines(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		ctx := context.Background()
		// Three days of entries, in id order as they were written: 2 on 11-30,
		// 3 on 12-01 (one at 23:59:59 Beijing), 4 on 12-02 (one at 00:00:00).
		day := func(d, hh, mm, ss int) time.Time {
			return time.Date(2026, 11, d, hh, mm, ss, 0, domain.Beijing).UTC()
		}
		var es []repo.AuditEntry
		for i, at := range []time.Time{day(30, 9, 0, 0), day(30, 18, 0, 0),
			day(31, 8, 0, 0), day(31, 12, 0, 0), day(31, 23, 59, 59),
			day(32, 0, 0, 0), day(32, 9, 0, 0), day(32, 10, 0, 0), day(32, 11, 0, 0)} {
			es = append(es, repo.AuditEntry{ActorKind: "staff", ActorID: sql.NullInt64{Int64: 1, Valid: true},
				Action: "registration.view", ObjectKind: "registration", ObjectID: sql.NullInt64{Int64: int64(i + 1), Valid: true},
				Detail: "查看 " + at.In(domain.Beijing).Format("01-02 15:04:05"), CreatedAt: at})
		}
		if err := w.app.DB.InsertAuditMany(ctx, w.app.DB.W, es); err != nil {
			t.Fatal(err)
		}

		// JSON Lines: one object a line, keyed by the column heads, newest first.
		p := w.admin.Get(t, "/console/audit/export.jsonl?action=registration.view&from=2026-12-01&to=2026-12-01")
		if p.Status != 200 || !strings.HasPrefix(p.Header.Get("Content-Type"), "application/jsonl") ||
			!strings.Contains(p.Header.Get("Content-Disposition"), ".jsonl") {
			t.Fatalf("jsonl export: %d %v", p.Status, p.Header)
		}
		var details []string
		sc := bufio.NewScanner(strings.NewReader(p.Body))
		for sc.Scan() {
			var row map[string]any
			if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
				t.Fatalf("not JSON: %q", sc.Text())
			}
			if row["操作"] != "查看报名详情" && row["操作"] == nil {
				t.Fatalf("row keys: %v", row)
			}
			details = append(details, row["说明"].(string))
		}
		if got := strings.Join(details, "|"); got != "查看 12-01 23:59:59|查看 12-01 12:00:00|查看 12-01 08:00:00" {
			t.Fatalf("12-01 only, newest first: %q", got)
		}
		if !strings.HasPrefix(strings.SplitN(p.Body, "\n", 2)[0], `{"序号":1,"时间":`) {
			t.Fatalf("keys not in column order: %s", strings.SplitN(p.Body, "\n", 2)[0])
		}

		// xlsx with an open start: everything up to 12-01.
		rows := sheetText(t, w.admin.Get(t, "/console/audit/export.xlsx?action=registration.view&to=2026-12-01"))
		if len(rows) != 1+5 {
			t.Fatalf("xlsx up to 12-01: %d rows", len(rows)-1)
		}
		// From 12-02 on: the four of that day.
		if rows := sheetText(t, w.admin.Get(t, "/console/audit/export.xlsx?action=registration.view&from=2026-12-02")); len(rows) != 1+4 {
			t.Fatalf("xlsx from 12-02: %d rows", len(rows)-1)
		}

		// Bad ranges name their field; nothing is exported or audited.
		must(t, w.admin.Get(t, "/console/audit/export.xlsx?from=2026-13-01"), 400, "开始日期格式应为")
		must(t, w.admin.Get(t, "/console/audit/export.jsonl?from=2026-12-02&to=2026-12-01"), 400, "结束日期不能早于开始日期")
		must(t, w.a.Get(t, "/console/audit/export.jsonl"), 403)
		must(t, w.admin.Get(t, "/console/audit?action=audit.export"), 200,
			"查看报名详情，2026-12-01 至 2026-12-01，3 条（JSON Lines）", "查看报名详情，不限 至 2026-12-01，5 条")
	})
}
