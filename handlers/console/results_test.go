package console_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"skillcert/domain"
	"skillcert/internal/testenv"
)

// postFile uploads a results file through the page's form and, when the
// upload started an import job, waits for the job to finish.
func postFile(t *testing.T, c *testenv.ConsoleClient, path, name string, data []byte) *testenv.Page {
	t.Helper()
	p := postFileNoWait(t, c, path, name, data)
	if p.Status == http.StatusSeeOther && strings.Contains(p.Location, "/results/imports/") {
		awaitJob(t, c, p.Location)
	}
	return p
}

// postFileNoWait uploads a file through the page's form.
func postFileNoWait(t *testing.T, c *testenv.ConsoleClient, path, name string, data []byte) *testenv.Page {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", c.CSRF)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.Base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(t, req)
}

// awaitJob reloads a results import's job page until the job has finished
// (the page stops refreshing itself) and returns that last page.
func awaitJob(t *testing.T, c *testenv.ConsoleClient, path string) *testenv.Page {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		p := c.Get(t, path)
		if p.Status != http.StatusOK {
			t.Fatalf("job page %s: %d %s", path, p.Status, excerpt(p.Body))
		}
		running := strings.Contains(p.Body, `data-status="running"`)
		if running != strings.Contains(p.Body, `http-equiv="refresh"`) {
			t.Fatalf("job page %s: running %v but the page's refresh disagrees", path, running)
		}
		if !running {
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s still running after 2 minutes", path)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// xlsxOf builds a one-sheet workbook.
func xlsxOf(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// evaluationStarted moves a plan's registration deadline and evaluation start to
// today: results are refused before the evaluation starts.
func evaluationStarted(t *testing.T, app *testenv.App, planID string) {
	t.Helper()
	today := time.Now().In(domain.Beijing).Format("2006-01-02")
	if _, err := app.DB.W.Exec("UPDATE plans SET reg_deadline = ?, eval_start = ?, eval_end = ? WHERE id = ?",
		today, today, today, planID); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, app *testenv.App, q string, args ...any) int {
	t.Helper()
	var n int
	if err := app.DB.R.Get(&n, q, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestResultsUploadIsValidatedWholeThenAppliedInOneTransaction(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		const id1, id2, id3 = "11010519491231002X", "440524188001010014", "110105200001010011"
		id, regs := openPlan(t, w, "RE-1", testenv.Registrant{Name: "王小明", IDNumber: id1},
			testenv.Registrant{Name: "李大华", IDNumber: id2}, testenv.Registrant{Name: "未审核", IDNumber: testenv.CompleteIDNumber("11010520000101001")})
		for _, r := range regs[:2] {
			w.a.Get(t, "/console/plans/"+id+"/registrations/"+r)
			must(t, w.a.Post(t, "/console/plans/"+id+"/registrations/"+r+"/review", url.Values{"action": {"approve"}}), 303)
		}
		page := "/console/plans/" + id + "/results"
		// Before the evaluation starts, no result can be recorded: the date is named.
		early := postFile(t, w.a, page, "成绩.csv", []byte("证件号码,姓名,理论\n"+id1+",王小明,合格\n"))
		must(t, early, 409, "评价开始前不能录入成绩", "评价开始日期为")
		w.a.Get(t, page+"/"+regs[0])
		must(t, w.a.Post(t, page+"/"+regs[0], url.Values{"theory": {"合格"}}), 409, "评价开始前不能录入成绩")
		evaluationStarted(t, w.app, id)
		must(t, w.a.Get(t, page), 200, "王小明", "未录入", "校验并导入")

		// One good row, four bad ones (GB18030, as Excel saves CSV on Chinese Windows).
		csv := "证件号码,姓名,理论,实操,证书编号,证书进度\n" +
			id1 + ",王小明,合格,85,,\n" +
			id2 + ",李小华,合格,合格,,\n" +
			id3 + ",某某,合格,,,\n" +
			strings.ToLower(id1) + ",王小明,,,,\n" +
			"440524188001010014,李大华,101,及格,Y12345,证书丢失\n"
		gbk, _ := simplifiedchinese.GB18030.NewEncoder().String(csv)
		p := postFile(t, w.a, page, "成绩.csv", []byte(gbk))
		must(t, p, 422, "未导入任何数据", "第 3 行", "姓名与证件号码对应的考生（李大华）不符", "第 4 行", "本评价计划中没有该证件号码的报名",
			"第 5 行", "与第2行是同一考生", "第 6 行", "成绩应为0至100之间的分数", "证书编号应为Y或S加21位数字", "证书进度应为")
		if n := count(t, w.app, "SELECT COUNT(*) FROM exam_results"); n != 0 {
			t.Fatalf("%d results applied from a bad file", n)
		}
		// A registration that is not approved cannot get results.
		p = postFile(t, w.a, page, "r.csv", []byte("证件号码,姓名,理论\n"+testenv.CompleteIDNumber("11010520000101001")+",未审核,合格\n"))
		must(t, p, 422, "只有审核通过的考生可以录入成绩")

		// The good file (xlsx): results, certificate numbers, stages.
		good := xlsxOf(t, [][]any{
			{"序号", "证件号码", "姓名", "理论成绩", "实操成绩", "综合", "证书编号", "证书进度"},
			{1, id1, "王小明", "合格", "85.5", "", "", "成绩公示"},
			{2, id2, "李大华", "不合格", "59", "", "", ""},
		})
		must(t, postFile(t, w.a, page, "成绩.xlsx", good), 303)
		must(t, w.a.Get(t, page+"?ok=results"), 200, "成绩与证书进度已导入", "85.5分（合格）", "59分（不合格）", "成绩公示", "成绩录入")
		if n := count(t, w.app, "SELECT COUNT(*) FROM exam_results"); n != 4 {
			t.Fatalf("%d results, want 4", n)
		}
		if n := count(t, w.app, "SELECT COUNT(*) FROM certificate_events"); n != 2 {
			t.Fatalf("%d certificate events, want 2", n)
		}
		if n := count(t, w.app, "SELECT COUNT(*) FROM outbox WHERE event_kind = 'certificate.stage'"); n != 2 {
			t.Fatalf("%d outbox rows, want 2", n)
		}
		// Stage 证书制作 needs a number; the number must encode the plan's level (4).
		good2 := xlsxOf(t, [][]any{{"证件号码", "姓名", "证书编号", "证书进度"}, {id1, "王小明", "", "证书制作"}})
		must(t, postFile(t, w.a, page, "b.xlsx", good2), 422, "须填写证书编号")
		good3 := xlsxOf(t, [][]any{{"证件号码", "姓名", "证书编号", "证书进度"}, {id1, "王小明", "Y202644000000005400001", "证书制作"}})
		must(t, postFile(t, w.a, page, "c.xlsx", good3), 422, "第16位为评价等级（本计划为4）")
		good4 := xlsxOf(t, [][]any{{"证件号码", "姓名", "证书编号", "证书进度"}, {id1, "王小明", "Y202644000000004400001", "证书制作（赋码）"}})
		must(t, postFile(t, w.a, page, "d.xlsx", good4), 303)

		// Edit one row in the page: stages cannot go back.
		edit := page + "/" + regs[0]
		must(t, w.a.Get(t, edit), 200, "Y202644000000004400001", "85.5")
		must(t, w.a.Post(t, edit, url.Values{"stage": {"score_published"}}), 400, "证书进度不能回退")
		must(t, w.a.Post(t, edit, url.Values{"stage": {"reported_national"}, "comprehensive": {"合格"}}), 303)
		must(t, w.a.Get(t, page), 200, "已上报全国联网")
		if n := count(t, w.app, "SELECT COUNT(*) FROM certificate_events WHERE registration_id = ?", regs[0]); n != 3 {
			t.Fatalf("%d events of the edited registration, want 3", n)
		}
		must(t, w.admin.Get(t, "/console/audit"), 200, "导入成绩与证书进度", "修改成绩与证书进度", "成绩文件校验未通过")

		// Read-only for the supervisor, 404 for another institution.
		must(t, w.sup.Get(t, page), 200, "王小明")
		if strings.Contains(w.sup.Get(t, page).Body, "校验并导入") {
			t.Fatal("the supervisor is offered the upload")
		}
		must(t, postFile(t, w.sup, page, "e.xlsx", good), 403)
		w.b.Get(t, "/console/plans")
		must(t, postFile(t, w.b, page, "e.xlsx", good), 404)
		must(t, w.b.Get(t, page), 404)
		must(t, w.b.Get(t, edit), 404)
	})
}
