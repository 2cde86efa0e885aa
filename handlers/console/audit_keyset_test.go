package console_test

import (
	"context"
	"database/sql"
	"html"
	"regexp"
	"strings"
	"testing"

	"skillcert/internal/testenv"
	"skillcert/repo"
)

var auditLink = regexp.MustCompile(`<a class="btn" href="([^"]+)">(第一页|上一页|下一页|最后一页)</a>`)
var auditID = regexp.MustCompile(`>报名 #(\d+)`)

// TestAuditLogKeysetPages walks the audit log page by page both ways: every
// entry is seen once, in order; the total is exact up to 10,000 and capped above.
func TestAuditLogKeysetPages(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		ctx := context.Background()
		add := func(n int, action string) {
			es := make([]repo.AuditEntry, n)
			for i := range es {
				es[i] = repo.AuditEntry{ActorKind: "staff", ActorID: sql.NullInt64{Int64: 1, Valid: true}, Action: action,
					ObjectKind: "registration", ObjectID: sql.NullInt64{Int64: int64(i + 1), Valid: true}, CreatedAt: repo.Now()}
			}
			if err := w.app.DB.InsertAuditMany(ctx, w.app.DB.W, es); err != nil {
				t.Fatal(err)
			}
		}
		add(130, "registration.view")
		links := func(body string) map[string]string {
			out := map[string]string{}
			for _, m := range auditLink.FindAllStringSubmatch(body, -1) {
				out[m[2]] = html.UnescapeString(m[1])
			}
			return out
		}
		ids := func(body string) []string {
			var out []string
			for _, m := range auditID.FindAllStringSubmatch(body, -1) {
				out = append(out, m[1])
			}
			return out
		}
		base := "/console/audit?action=registration.view"
		p := w.admin.Get(t, base)
		must(t, p, 200, "共 130 条")
		var seen []string
		for range 10 {
			seen = append(seen, ids(p.Body)...)
			next, ok := links(p.Body)["下一页"]
			if !ok {
				break
			}
			p = w.admin.Get(t, next)
			must(t, p, 200, "共 130 条", "第一页", "上一页")
		}
		if len(seen) != 130 || seen[0] != "130" || seen[129] != "1" {
			t.Fatalf("walked %d entries: %v … %v", len(seen), seen[:min(3, len(seen))], seen[max(0, len(seen)-3):])
		}
		// The last page, then back towards the newest.
		last := w.admin.Get(t, links(w.admin.Get(t, base).Body)["最后一页"])
		if got := ids(last.Body); len(got) != 50 || got[0] != "50" || got[49] != "1" {
			t.Fatalf("last page %v", got)
		}
		if _, ok := links(last.Body)["下一页"]; ok {
			t.Fatal("the last page links to an older one")
		}
		newer := w.admin.Get(t, links(last.Body)["上一页"])
		if got := ids(newer.Body); len(got) != 50 || got[0] != "100" || got[49] != "51" {
			t.Fatalf("page newer than the last %v", got)
		}
		first := w.admin.Get(t, links(newer.Body)["上一页"])
		if got := ids(first.Body); len(got) != 30 || got[0] != "130" {
			t.Fatalf("newest page reached backwards %v", got)
		}
		if _, ok := links(first.Body)["上一页"]; ok {
			t.Fatal("the newest page links to a newer one")
		}

		// Counted exactly up to 1,000 (core.ExactCount), about how many beyond.
		add(1000, "attachment.view")
		must(t, w.admin.Get(t, "/console/audit?action=attachment.view"), 200, "共 1000 条")
		add(9001, "attachment.view")
		must(t, w.admin.Get(t, "/console/audit?action=attachment.view"), 200, "共约 1 万条")
		must(t, w.admin.Get(t, "/console/audit?action=attachment.view&last=1"), 200, "共约 1 万条", "第一页")

		// The export holds every matching entry, past the page's cap, and says how many.
		rows := sheetText(t, w.admin.Get(t, "/console/audit/export.xlsx?action=attachment.view"))
		if len(rows) != 10002 || rows[0] != "序号|时间|操作人|操作|对象|说明|IP" || !strings.HasPrefix(rows[1], "1|") ||
			!strings.HasSuffix(rows[10001], "|查看附件|报名 #1") {
			t.Fatalf("audit export: %d rows; %q … %q", len(rows), rows[0], rows[len(rows)-1])
		}
		must(t, w.admin.Get(t, "/console/audit?action=audit.export"), 200, "导出审计日志", "查看附件，10001 条")
		must(t, w.a.Get(t, "/console/audit/export.xlsx"), 403)
	})
}
