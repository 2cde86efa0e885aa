package console_test

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"skillcert/internal/testenv"
)

// Issue 15 point 9: the results template has the header row the import reads
// (one column definition for both), and a template filled in imports as it is.
func TestResultsTemplateImportsAsItIs(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		const idNo = "440524188001010014"
		id, regs := openPlan(t, w, "TPL-1", testenv.Registrant{Name: "王小明", IDNumber: idNo})
		w.a.Get(t, "/console/plans/"+id+"/registrations/"+regs[0])
		must(t, w.a.Post(t, "/console/plans/"+id+"/registrations/"+regs[0]+"/review", url.Values{"action": {"approve"}}), 303)
		evaluationStarted(t, w.app, id)

		must(t, w.a.Get(t, "/console/plans/"+id+"/results"), 200, "下载成绩导入模板")
		res := w.a.Get(t, "/console/plans/"+id+"/results/template.xlsx")
		if res.Status != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("template: %d %v", res.Status, res.Header)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		want := "证件号码 姓名 理论 实操 综合 证书编号 证书进度"
		if len(rows) != 1 || strings.Join(rows[0], " ") != want {
			t.Fatalf("template rows %q, want the header %q", rows, want)
		}
		// Filled in by the institution and uploaded back.
		row := []any{idNo, "王小明", "合格", "85", "", "", "成绩录入"}
		if err := f.SetSheetRow(f.GetSheetName(0), "A2", &row); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		p := postFile(t, w.a, "/console/plans/"+id+"/results", "模板.xlsx", buf.Bytes())
		if p.Status != 303 {
			t.Fatalf("import of the filled template: %d %s", p.Status, excerpt(p.Body))
		}
		if n := count(t, w.app, "SELECT COUNT(*) FROM exam_results"); n != 2 {
			t.Fatalf("%d results, want 2", n)
		}
		// Others cannot download it.
		if p := w.b.Get(t, "/console/plans/"+id+"/results/template.xlsx"); p.Status != 404 {
			t.Fatalf("another institution: %d", p.Status)
		}
	})
}

// Issue 15 point 9: a plan's codes export as xlsx with their states, audited.
func TestCodesExportXLSX(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		id := createPlan(t, w.a, "CX-1", true)
		must(t, w.a.Get(t, "/console/plans/"+id+"/codes"), 200, "导出报名码（Excel）", "打印报名码")
		must(t, w.a.Post(t, "/console/plans/"+id+"/codes", url.Values{"count": {"3"}}), 303)
		var codeID, code string
		if err := w.app.DB.R.QueryRow("SELECT id, code FROM registration_codes WHERE plan_id = ? ORDER BY id LIMIT 1", id).Scan(&codeID, &code); err != nil {
			t.Fatal(err)
		}
		w.a.Get(t, "/console/plans/"+id+"/codes")
		must(t, w.a.Post(t, "/console/plans/"+id+"/codes/"+codeID+"/revoke", nil), 303)

		res := w.a.Get(t, "/console/plans/"+id+"/codes.xlsx")
		if res.Status != 200 || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("codes.xlsx: %d %v", res.Status, res.Header)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 || strings.Join(rows[0], " ") != "报名码 状态 已使用次数 有效期至 生成时间" {
			t.Fatalf("rows %q", rows)
		}
		found := false
		for _, r := range rows[1:] {
			if r[0] == code {
				found = r[1] == "已作废"
			}
		}
		if !found {
			t.Fatalf("revoked code %s not 已作废 in %q", code, rows)
		}
		if n := count(t, w.app, "SELECT COUNT(*) FROM audit_log WHERE action = 'codes.export'"); n != 1 {
			t.Fatalf("audited %d times", n)
		}
		if p := w.b.Get(t, "/console/plans/"+id+"/codes.xlsx"); p.Status != 404 {
			t.Fatalf("another institution: %d", p.Status)
		}
	})
}
