package console_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"skillcert/core"
	"skillcert/domain"
	"skillcert/internal/testenv"
)

// Texts of the test feedback, to look for in pages and exports.
const (
	anonText  = "考场内有考生使用手机查阅资料，监考老师未制止。"
	namedText = "实操考试设备故障，延误一小时后才开始考试。"
)

// fbWorld is the console world with a published plan of inst-a in 广州市 and
// two feedback on it: one anonymous (with a photo), one named with a phone to
// call back on.
type fbWorld struct {
	*world
	planNo          string
	cand            *testenv.Client
	anonID, namedID int64
}

var pngBytes = testenv.SamplePNG

func newFBWorld(t *testing.T, dsn string) *fbWorld {
	t.Helper()
	w := &fbWorld{world: newWorld(t, dsn, nil), planNo: "FB2601"}
	createPlan(t, w.a, w.planNo, true)
	w.cand = testenv.SignInWithIdentity(t, w.app, "王小明", domain.IDTypeResidentCard, testenv.RandomIDNumber(""))
	w.anonID = w.send(t, map[string]string{"plan_no": w.planNo, "category": "exam_discipline", "content": anonText,
		"anonymous": "true"}, pngBytes)
	w.namedID = w.send(t, map[string]string{"plan_no": w.planNo, "category": "exam_organization", "content": namedText,
		"contact_pref": "phone", "contact_phone": "13711112222"}, nil)
	return w
}

// send posts a feedback through the API (multipart) and returns its id.
func (w *fbWorld) send(t *testing.T, fields map[string]string, image []byte) int64 {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if image != nil {
		fw, _ := mw.CreateFormFile("images", "现场.png")
		fw.Write(image)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, w.cand.Base+"/api/v1/feedback", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res := w.cand.Send(t, req)
	if res.Status != http.StatusCreated {
		t.Fatalf("send feedback: %d %s", res.Status, res.Body)
	}
	var v core.FeedbackView
	res.JSON(t, &v)
	return v.ID
}

// sheetText reads every cell of an .xlsx export as one string per row.
func sheetText(t *testing.T, p *testenv.Page) []string {
	t.Helper()
	if p.Status != 200 || !strings.Contains(p.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("export: %d %s %s", p.Status, p.Header.Get("Content-Type"), excerpt(p.Body))
	}
	x, err := excelize.OpenReader(strings.NewReader(p.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = strings.Join(r, "|")
	}
	return out
}

func rowWith(rows []string, text string) string {
	for _, r := range rows {
		if strings.Contains(r, text) {
			return r
		}
	}
	return ""
}

func TestFeedbackAnonymity(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newFBWorld(t, dsn)
		// The supervisor of 广州市: both feedback, no identity on the anonymous one.
		inbox := w.sup.Get(t, "/console/feedback")
		must(t, inbox, 200, anonText, namedText, "王小明", "匿名")
		if n := strings.Count(inbox.Body, "王小明"); n != 1 {
			t.Fatalf("the sender's name appears %d times in the inbox (want only the named feedback)", n)
		}
		anon := w.sup.Get(t, path("/console/feedback/%d", w.anonID))
		must(t, anon, 200, anonText, "匿名", "/images/")
		for _, s := range []string{"王小明", "137", "考生ID"} {
			if strings.Contains(anon.Body, s) {
				t.Fatalf("anonymous feedback page shows %q", s)
			}
		}
		// The named one shows the sender and the number to call back on.
		must(t, w.sup.Get(t, path("/console/feedback/%d", w.namedID)), 200, "王小明", "13711112222", "电话联系")

		// The export follows the same rules.
		rows := sheetText(t, w.sup.Get(t, "/console/feedback/export.xlsx"))
		if len(rows) != 3 || !strings.HasPrefix(rows[0], "序号|提交时间|反馈类别") {
			t.Fatalf("export rows: %q", rows)
		}
		if r := rowWith(rows, anonText); !strings.Contains(r, "|匿名|") || strings.Contains(r, "王小明") {
			t.Fatalf("anonymous row: %q", r)
		}
		if r := rowWith(rows, namedText); !strings.Contains(r, "|王小明|13711112222|") {
			t.Fatalf("named row: %q", r)
		}

		// The photo is the supervisor's to see, and the export is audited.
		img := w.sup.Get(t, path("/console/feedback/%d/images/1", w.anonID))
		if img.Status != 200 || img.Body != string(pngBytes) {
			t.Fatalf("photo: %d", img.Status)
		}
		must(t, w.admin.Get(t, "/console/audit?action=feedback.export"), 200, "导出督导反馈", "sup-gz")

		// Admins see who sent an anonymous feedback (abuse control), marked as such.
		must(t, w.admin.Get(t, "/console/feedback"), 200, anonText, "王小明")
		must(t, w.admin.Get(t, path("/console/feedback/%d", w.anonID)), 200, "王小明", "匿名反馈，仅管理员可见", "考生ID")
		adminRows := sheetText(t, w.admin.Get(t, "/console/feedback/export.xlsx"))
		if r := rowWith(adminRows, anonText); !strings.Contains(r, "王小明") {
			t.Fatalf("admin export: %q", r)
		}
		must(t, w.admin.Get(t, "/console/audit?action=feedback.view"), 200, "查看匿名反馈人")
	})
}

func TestFeedbackInstitutionAndOtherRegion(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newFBWorld(t, dsn)
		id := w.anonID
		// The institution whose plan it is about never reaches the feedback.
		for _, p := range []string{"/console/feedback", path("/console/feedback/%d", id),
			path("/console/feedback/%d/images/1", id), "/console/feedback/export.xlsx"} {
			page := w.a.Get(t, p)
			if page.Status != http.StatusForbidden || strings.Contains(page.Body, anonText) {
				t.Fatalf("institution %s: %d %s", p, page.Status, excerpt(page.Body))
			}
		}
		w.a.Get(t, "/console/plans")
		if p := w.a.Post(t, path("/console/feedback/%d/reply", id), url.Values{"reply": {"已核实"}}); p.Status != http.StatusForbidden {
			t.Fatalf("institution reply: %d", p.Status)
		}
		// Nor do its plan pages show anything of it.
		plans := w.a.Get(t, "/console/plans")
		for _, s := range []string{anonText, namedText, "王小明", "督导反馈"} {
			if strings.Contains(plans.Body, s) {
				t.Fatalf("institution plans page shows %q", s)
			}
		}

		// Another region's supervisor: not in the inbox, and 404 on the pages and actions.
		must(t, w.other.Get(t, "/console/feedback"), 200, "暂无反馈")
		for _, p := range []string{path("/console/feedback/%d", id), path("/console/feedback/%d/images/1", id)} {
			if page := w.other.Get(t, p); page.Status != http.StatusNotFound || strings.Contains(page.Body, anonText) {
				t.Fatalf("other region %s: %d", p, page.Status)
			}
		}
		if r := sheetText(t, w.other.Get(t, "/console/feedback/export.xlsx")); len(r) != 1 {
			t.Fatalf("other region export: %q", r)
		}
		for _, a := range []struct {
			path string
			form url.Values
		}{{path("/console/feedback/%d/reply", id), url.Values{"reply": {"已核实"}}},
			{path("/console/feedback/%d/status", id), url.Values{"status": {"processing"}}}} {
			if p := w.other.Post(t, a.path, a.form); p.Status != http.StatusNotFound {
				t.Fatalf("other region %s: %d", a.path, p.Status)
			}
		}
		// Admins read but do not act.
		w.admin.Get(t, "/console/feedback")
		if p := w.admin.Post(t, path("/console/feedback/%d/status", id), url.Values{"status": {"processing"}}); p.Status != http.StatusForbidden {
			t.Fatalf("admin acts: %d", p.Status)
		}
	})
}

// outboxRow is the feedback.replied event of a candidate, decoded.
type outboxRow struct {
	Kind        string `db:"event_kind"`
	CandidateID int64  `db:"candidate_id"`
	PlanID      int64  `db:"plan_id"`
	Payload     string `db:"payload"`
}

func TestFeedbackReply(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newFBWorld(t, dsn)
		id := w.namedID
		page := path("/console/feedback/%d", id)
		must(t, w.sup.Get(t, page), 200, "答复考生", "办理状态")

		// 已提交 → 处理中, then a reply that closes it; a reply too long is refused at its field.
		if p := w.sup.Post(t, page+"/status", url.Values{"status": {"processing"}}); p.Status != 303 {
			t.Fatalf("status: %d %s", p.Status, excerpt(p.Body))
		}
		must(t, w.sup.Post(t, page+"/reply", url.Values{"reply": {strings.Repeat("长", 501)}}), 400, "答复内容最多500个字")
		must(t, w.sup.Post(t, page+"/reply", url.Values{"reply": {""}}), 400, "请填写答复内容")
		w.sup.Get(t, page)
		reply := "已责成评价机构整改，并对当日考生安排补考。"
		if p := w.sup.Post(t, page+"/reply", url.Values{"reply": {reply}, "close": {"1"}}); p.Status != 303 {
			t.Fatalf("reply: %d %s", p.Status, excerpt(p.Body))
		}
		must(t, w.sup.Get(t, page), 200, reply, "已办结", "sup-gz")

		// The candidate sees the reply and the status …
		res := w.cand.Get(t, path("/api/v1/feedback/%d", id))
		var v core.FeedbackView
		res.JSON(t, &v)
		if v.Status != "closed" || v.StatusName != "已办结" || v.Reply != reply || v.RepliedAt == nil {
			t.Fatalf("candidate's view: %s", res.Body)
		}
		// … and is told through the outbox, enqueued with the reply.
		var rows []outboxRow
		if err := w.app.DB.R.Select(&rows, `SELECT event_kind, candidate_id, plan_id, payload FROM outbox
			WHERE event_kind = ? ORDER BY id`, domain.EventFeedbackReplied); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].CandidateID != w.cand.CandidateID || rows[0].PlanID == 0 {
			t.Fatalf("outbox: %+v", rows)
		}
		var payload map[string]any
		if err := json.Unmarshal([]byte(rows[0].Payload), &payload); err != nil || payload["note"] != reply ||
			payload["category"] != "考务组织" || strings.Contains(rows[0].Payload, "1371111") {
			t.Fatalf("payload: %s", rows[0].Payload)
		}

		// A closed feedback takes no reply until it is reopened; the status machine refuses a step back.
		if p := w.sup.Post(t, page+"/reply", url.Values{"reply": {"补充说明"}}); p.Status != http.StatusConflict {
			t.Fatalf("reply to a closed feedback: %d", p.Status)
		}
		w.sup.Get(t, page)
		if p := w.sup.Post(t, page+"/status", url.Values{"status": {"submitted"}}); p.Status != http.StatusConflict {
			t.Fatalf("back to submitted: %d", p.Status)
		}
		if p := w.sup.Post(t, page+"/status", url.Values{"status": {"processing"}}); p.Status != 303 {
			t.Fatalf("reopen: %d", p.Status)
		}
		if p := w.sup.Post(t, page+"/reply", url.Values{"reply": {"补充说明：补考时间另行通知。"}}); p.Status != 303 {
			t.Fatalf("second reply: %d", p.Status)
		}
		var n int
		if err := w.app.DB.R.Get(&n, `SELECT COUNT(*) FROM outbox WHERE event_kind = ?`, domain.EventFeedbackReplied); err != nil || n != 2 {
			t.Fatalf("%d reply events (%v), want 2", n, err)
		}
		must(t, w.admin.Get(t, "/console/audit?action=feedback.reply"), 200, "答复督导反馈", "sup-gz")

		// The inbox filters by status.
		must(t, w.sup.Get(t, "/console/feedback?status=submitted"), 200, anonText)
		if p := w.sup.Get(t, "/console/feedback?status=submitted"); strings.Contains(p.Body, namedText) {
			t.Fatal("status filter shows a feedback in another status")
		}
		if p := w.sup.Post(t, page+"/reply", url.Values{"reply": {"x"}, "csrf": {"forged"}}); p.Status == 303 {
			t.Fatal("a reply without a valid CSRF token went through")
		}
	})
}
