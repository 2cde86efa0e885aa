package console_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/wechat/fake"
)

// ticketWorld is a world whose ticket notices have a subscribe template and
// whose dispatcher runs fast.
func ticketWorld(t *testing.T, dsn string) *world {
	t.Helper()
	file := filepath.Join(t.TempDir(), "templates.json")
	js := `{"events":{"ticket.issued":{"subscribe":{"template_id":"TPL-TICKET"}},"ticket.revoked":{"subscribe":{"template_id":"TPL-TICKET-VOID"}}}}`
	if err := os.WriteFile(file, []byte(js), 0o600); err != nil {
		t.Fatal(err)
	}
	return newWorld(t, dsn, map[string]string{"SKILLCERT_NOTIFY_TEMPLATES": file, "SKILLCERT_PUSH_ENABLED": "true",
		"SKILLCERT_PUSH_POLL": "20ms", "SKILLCERT_REMINDER_POLL": "1h"})
}

// candidateOf signs in again as the candidate of a registration.
func candidateOf(t *testing.T, w *world, regID string) *testenv.Client {
	t.Helper()
	var openID string
	if err := w.app.DB.R.Get(&openID, "SELECT c.openid FROM candidates c JOIN registrations r ON r.candidate_id = c.id WHERE r.id = ?", regID); err != nil {
		t.Fatal(err)
	}
	return testenv.SignInAs(t, w.app, openID)
}

func ticketsSent(wx *fake.Server, openID, tpl string) int {
	n := 0
	for _, m := range wx.Sent() {
		if m.ToOpenID == openID && m.TemplateID == tpl {
			n++
		}
	}
	return n
}

// waitTickets waits until openID has n ticket notices, then a little longer to
// make sure no more arrive.
func waitTickets(t *testing.T, wx *fake.Server, openID, tpl string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for ticketsSent(wx, openID, tpl) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d notices of %s, want %d", openID, ticketsSent(wx, openID, tpl), tpl, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	if got := ticketsSent(wx, openID, tpl); got != n {
		t.Fatalf("%s: %d notices of %s, want exactly %d", openID, got, tpl, n)
	}
}

type ticketJSON struct {
	TicketNo string `json:"ticket_no"`
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	PhotoURL string `json:"photo_url"`
	Plan     struct {
		PlanNo         string `json:"plan_no"`
		OccupationName string `json:"occupation_name"`
		LevelName      string `json:"level_name"`
	} `json:"plan"`
	Sessions []struct {
		SubjectName string `json:"subject_name"`
		Date        string `json:"date"`
		Start       string `json:"start_time"`
		Room        string `json:"room"`
		Venue       string `json:"venue"`
		SeatNo      int    `json:"seat_no"`
	} `json:"sessions"`
	Rules   []string `json:"rules"`
	QRToken string   `json:"qr_token"`
	QRPNG   string   `json:"qr_png"`
}

// The whole way from approval to sitting the exam, over HTTP: approve →
// sessions → arrange (automatically, then by file) → publish → the candidate's
// ticket → one push per candidate → check-in by token → results with one absent.
func TestExamArrangementTicketCheckInAndAbsent(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := ticketWorld(t, dsn)
		wx := testenv.WeChat(t)
		const id1, id2 = "11010519491231002X", "440524188001010014"
		id3 := testenv.CompleteIDNumber("11010520000101001")
		id, regs := openPlan(t, w, "ZK-1", testenv.Registrant{Name: "王小明", IDNumber: id1},
			testenv.Registrant{Name: "李大华", IDNumber: id2}, testenv.Registrant{Name: "张三", IDNumber: id3})
		for _, r := range regs {
			w.a.Get(t, "/console/plans/"+id+"/registrations/"+r)
			must(t, w.a.Post(t, "/console/plans/"+id+"/registrations/"+r+"/review", url.Values{"action": {"approve"}}), 303)
		}
		var planNo, evalStart string
		w.app.DB.R.Get(&planNo, "SELECT plan_no FROM plans WHERE id = ?", id)
		w.app.DB.R.Get(&evalStart, "SELECT eval_start FROM plans WHERE id = ?", id)
		page := "/console/plans/" + id + "/exam"
		must(t, w.a.Get(t, page), 200, "尚未添加考试场次", "王小明")

		// Sessions: bad input names its fields; then two theory rooms and one practical room.
		must(t, w.a.Post(t, page+"/sessions", url.Values{"subject": {"theory"}, "date": {"2001-01-01"}, "start_time": {"25:00"},
			"end_time": {"08:00"}, "venue": {""}, "room": {""}, "seats": {"0"}}), 400,
			"考试日期应在评价时间", "请填写开始时间", "请填写考点地址", "请填写考场名称", "座位数应为1至1000之间的整数")
		add := func(subject, room, start, end, seats string) {
			must(t, w.a.Post(t, page+"/sessions", url.Values{"subject": {subject}, "date": {evalStart}, "start_time": {start},
				"end_time": {end}, "venue": {"天河区龙洞东路1号实训楼"}, "room": {room}, "seats": {seats}}), 303)
		}
		add("theory", "第1考场", "09:00", "10:30", "2")
		add("theory", "第2考场", "09:00", "10:30", "2")
		add("practical", "实训室A", "14:00", "16:00", "3")
		var s1, s2, s3 int64
		w.app.DB.R.Get(&s1, "SELECT id FROM exam_sessions WHERE plan_id = ? AND room = '第1考场'", id)
		w.app.DB.R.Get(&s2, "SELECT id FROM exam_sessions WHERE plan_id = ? AND room = '第2考场'", id)
		w.app.DB.R.Get(&s3, "SELECT id FROM exam_sessions WHERE plan_id = ? AND room = '实训室A'", id)

		// Publishing before everyone has a seat is refused.
		must(t, w.a.Post(t, page+"/publish", nil), 409, "还有3名审核通过的考生未安排考场座位")

		// Automatic, by ID number: 110105194912310… < 110105200001… < 440524….
		must(t, w.a.Post(t, page+"/arrange", url.Values{"order": {"id_number"}}), 303)
		seatOf := func(reg string, subject string) (int64, int) {
			var sid int64
			var seat int
			if err := w.app.DB.R.QueryRow("SELECT session_id, seat_no FROM exam_seats WHERE registration_id = ? AND subject = ?", reg, subject).Scan(&sid, &seat); err != nil {
				t.Fatal(err)
			}
			return sid, seat
		}
		if sid, seat := seatOf(regs[2], "theory"); sid != s1 || seat != 2 {
			t.Fatalf("张三 theory: session %d seat %d, want %d/2", sid, seat, s1)
		}
		if sid, seat := seatOf(regs[1], "theory"); sid != s2 || seat != 1 {
			t.Fatalf("李大华 theory: session %d seat %d, want %d/1 (the next room)", sid, seat, s2)
		}
		var ticket1 string
		w.app.DB.R.Get(&ticket1, "SELECT ticket_no FROM exam_tickets WHERE registration_id = ?", regs[0])
		if ticket1 != planNo+"-00001" {
			t.Fatalf("ticket no %q, want %s-00001", ticket1, planNo)
		}

		// By file: a file with errors changes nothing and names each line.
		bad := xlsxOf(t, [][]any{{"证件号码", "姓名", "理论场次", "理论座位号", "实操场次", "实操座位号"},
			{id1, "王小明", "第2考场", "2", "实训室A", "1"},
			{id2, "李小华", "99", "", "实训室A", "9"},
			{id1, "王小明", "第1考场", "", "实训室A", ""},
			{"110105199001010012", "无此人", "第1考场", "", "实训室A", ""}})
		p := postFile(t, w.a, page+"/import", "编排.xlsx", bad)
		must(t, p, 422, "未导入任何数据", "第 3 行", "姓名与证件号码对应的考生（李大华）不符", "本计划没有编号为99的理论场次",
			"座位号应为1至3的整数", "第 4 行", "与第2行是同一考生", "第 5 行", "本评价计划审核通过的考生中没有该证件号码")
		if sid, seat := seatOf(regs[0], "theory"); sid != s1 || seat != 1 {
			t.Fatalf("a refused file changed a seat: %d/%d", sid, seat)
		}
		good := xlsxOf(t, [][]any{{"证件号码", "姓名", "理论场次", "理论座位号", "实操场次", "实操座位号"},
			{id1, "王小明", "第2考场", "2", "实训室A", "1"},
			{id2, "李大华", s1, "", "实训室A", ""},
			{id3, "张三", "#" + itoa(s1), "", "实训室A", ""}})
		must(t, postFile(t, w.a, page+"/import", "编排.xlsx", good), 303)
		if sid, seat := seatOf(regs[0], "theory"); sid != s2 || seat != 2 {
			t.Fatalf("王小明 after import: %d/%d", sid, seat)
		}
		if sid, seat := seatOf(regs[2], "practical"); sid != s3 || seat != 3 {
			t.Fatalf("张三 practical after import: %d/%d, want the first free seat 3", sid, seat)
		}

		// Before publication there is no ticket.
		cands := []*testenv.Client{candidateOf(t, w, regs[0]), candidateOf(t, w, regs[1]), candidateOf(t, w, regs[2])}
		for _, c := range cands {
			wx.GrantSubscribe(c.OpenID, "TPL-TICKET", 5)
			c.Do(t, http.MethodPost, "/api/v1/me/subscriptions", map[string]any{"results": map[string]string{"TPL-TICKET": "accept"}})
			c.Do(t, http.MethodPost, "/api/v1/me/subscriptions", map[string]any{"results": map[string]string{"TPL-TICKET": "accept"}})
		}
		if res := cands[0].Get(t, "/api/v1/registrations/"+regs[0]+"/ticket"); res.Status != 404 || res.ErrorCode() != "ticket_not_found" {
			t.Fatalf("ticket before publication: %d %s", res.Status, res.Body)
		}

		// Publish: audited, one notice each.
		must(t, w.a.Post(t, page+"/publish", nil), 303)
		must(t, w.a.Get(t, page), 200, "准考证已发布", "已通知")
		for _, c := range cands {
			waitTickets(t, wx, c.OpenID, "TPL-TICKET", 1)
		}
		if n := count(t, w.app, "SELECT COUNT(*) FROM audit_log WHERE action = 'exam.publish'"); n != 1 {
			t.Fatalf("%d publish audits", n)
		}
		// Republishing with no change tells nobody again.
		must(t, w.a.Post(t, page+"/publish", nil), 303)
		// Moving one candidate and republishing tells only that one.
		must(t, w.a.Get(t, page+"/move/"+regs[1]), 200, "调整考场座位", "李大华")
		must(t, w.a.Post(t, page+"/move/"+regs[1], url.Values{"session_id": {itoa(s2)}, "seat_no": {"2"}}), 400, "第2考场 2号座位已安排给王小明")
		must(t, w.a.Post(t, page+"/move/"+regs[1], url.Values{"session_id": {itoa(s2)}, "seat_no": {""}}), 303)
		must(t, w.a.Get(t, page), 200, "待通知")
		must(t, w.a.Post(t, page+"/publish", nil), 303)
		waitTickets(t, wx, cands[1].OpenID, "TPL-TICKET", 2)
		waitTickets(t, wx, cands[0].OpenID, "TPL-TICKET", 1)
		waitTickets(t, wx, cands[2].OpenID, "TPL-TICKET", 1)

		// The ticket: the candidate's own only.
		var tk ticketJSON
		res := cands[0].Get(t, "/api/v1/registrations/"+regs[0]+"/ticket")
		if res.Status != 200 {
			t.Fatalf("ticket: %d %s", res.Status, res.Body)
		}
		res.JSON(t, &tk)
		if tk.TicketNo != ticket1 || tk.Name != "王小明" || tk.IDNumber == id1 || !strings.HasSuffix(tk.IDNumber, "002X") ||
			tk.Plan.OccupationName != "电工" || tk.Plan.LevelName == "" || len(tk.Sessions) != 2 || tk.PhotoURL != "" ||
			!strings.HasPrefix(tk.QRPNG, "data:image/png;base64,") || !strings.Contains(strings.Join(tk.Rules, ""), "居民身份证") {
			t.Fatalf("ticket %s", res.Body)
		}
		if tk.Sessions[0].Room != "第2考场" || tk.Sessions[0].SeatNo != 2 || tk.Sessions[0].Start != "09:00" || tk.Sessions[1].Room != "实训室A" {
			t.Fatalf("sessions %+v", tk.Sessions)
		}
		if strings.Contains(tk.QRToken, id1) || strings.Contains(tk.QRToken, "王小明") {
			t.Fatalf("token holds personal data: %s", tk.QRToken)
		}
		if res := cands[1].Get(t, "/api/v1/registrations/"+regs[0]+"/ticket"); res.Status != 404 {
			t.Fatalf("another candidate's ticket: %d", res.Status)
		}
		if res := w.app.Client().Get(t, "/api/v1/registrations/"+regs[0]+"/ticket"); res.Status != 401 {
			t.Fatalf("signed out: %d", res.Status)
		}

		// Check-in: by token, once; by typed number; not by another institution.
		ci := "/console/plans/" + id + "/checkin"
		must(t, w.a.Get(t, ci+"?session="+itoa(s2)), 200, "准考证二维码或准考证号")
		must(t, w.a.Post(t, ci, url.Values{"session": {itoa(s2)}, "code": {tk.QRToken}}), 200, "签到成功", "王小明", "110105********002X", "第2考场 2号")
		must(t, w.a.Post(t, ci, url.Values{"session": {itoa(s2)}, "code": {tk.QRToken}}), 200, "该考生已于", "无需重复签到")
		must(t, w.a.Post(t, ci, url.Values{"session": {itoa(s2)}, "code": {tk.QRToken[:len(tk.QRToken)-2] + "00"}}), 422, "二维码无效")
		var ticket3 string
		w.app.DB.R.Get(&ticket3, "SELECT ticket_no FROM exam_tickets WHERE registration_id = ?", regs[2])
		must(t, w.a.Post(t, ci, url.Values{"session": {itoa(s2)}, "code": {ticket3}}), 422, "不在本场次", "第1考场")
		must(t, w.a.Post(t, ci, url.Values{"session": {itoa(s1)}, "code": {ticket3}}), 200, "签到成功", "张三")
		w.b.Get(t, "/console/plans")
		if p := w.b.Post(t, ci, url.Values{"session": {itoa(s1)}, "code": {ticket1}}); p.Status != 404 {
			t.Fatalf("another institution checks in: %d", p.Status)
		}
		if p := w.b.Get(t, page); p.Status != 404 {
			t.Fatalf("another institution sees the arrangement: %d", p.Status)
		}
		must(t, w.sup.Get(t, page), 200, "王小明")
		if p := w.sup.Get(t, ci); p.Status != 403 {
			t.Fatalf("supervisor opens check-in: %d", p.Status)
		}

		// After the theory sessions: 李大华 (seated in 第2考场) is absent.
		sessEnd, _ := domain.SessionEnd(evalStart, "10:31")
		w.app.Clock.Set(sessEnd)
		w.a.Login(t, "inst-a", testenv.StaffPassword) // days later: sign in again
		must(t, w.a.Get(t, page+"/sessions/"+itoa(s2)), 200, "已签到", "缺考 1 人", "李大华")
		must(t, w.a.Get(t, page+"/sessions/"+itoa(s1)), 200, "缺考 0 人")
		// The results import marks the absent unless a result is given.
		results := "/console/plans/" + id + "/results"
		w.a.Get(t, results)
		must(t, postFile(t, w.a, results, "成绩.xlsx", xlsxOf(t, [][]any{{"证件号码", "姓名", "理论"}, {id1, "王小明", "85"}, {id3, "张三", "合格"}})), 303)
		var r2 string
		w.app.DB.R.Get(&r2, "SELECT result FROM exam_results WHERE registration_id = ? AND subject = 'theory'", regs[1])
		if r2 != "absent" {
			t.Fatalf("李大华's theory result %q, want absent", r2)
		}
		if n := count(t, w.app, "SELECT COUNT(*) FROM exam_results WHERE subject = 'practical' AND registration_id IN (?, ?, ?)", regs[0], regs[1], regs[2]); n != 0 {
			t.Fatalf("%d practical results before the practical session ended", n)
		}
		must(t, w.a.Get(t, results), 200, "缺考")

		// A registration withdrawn after publication loses its ticket; its candidate is told.
		w.a.Get(t, "/console/plans/"+id+"/registrations/"+regs[2])
		must(t, w.a.Post(t, "/console/plans/"+id+"/registrations/"+regs[2]+"/review", url.Values{"action": {"cancel_by_institution"}, "reason": {"本人申请退出"}}), 303)
		if res := candidateOf(t, w, regs[2]).Get(t, "/api/v1/registrations/"+regs[2]+"/ticket"); res.Status != 404 || res.ErrorCode() != "ticket_revoked" {
			t.Fatalf("withdrawn ticket: %d %s", res.Status, res.Body)
		}
		if n := count(t, w.app, "SELECT COUNT(*) FROM outbox WHERE event_kind = 'ticket.revoked' AND registration_id = ?", regs[2]); n != 1 {
			t.Fatalf("%d revoke notices", n)
		}
		must(t, w.a.Post(t, ci, url.Values{"session": {itoa(s1)}, "code": {ticket3}}), 422, "本评价计划没有该准考证号")
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Many scans of one ticket at once record one arrival; the others are told
// when it was. Moves of two candidates to one seat at once: one wins.
func TestCheckInAndMoveUnderParallelLoad(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		id, regs := openPlan(t, w, "ZK-P", testenv.Registrant{Name: "陈一"}, testenv.Registrant{Name: "李二"})
		for _, r := range regs {
			w.a.Get(t, "/console/plans/"+id+"/registrations/"+r)
			must(t, w.a.Post(t, "/console/plans/"+id+"/registrations/"+r+"/review", url.Values{"action": {"approve"}}), 303)
		}
		var evalStart string
		w.app.DB.R.Get(&evalStart, "SELECT eval_start FROM plans WHERE id = ?", id)
		page := "/console/plans/" + id + "/exam"
		w.a.Get(t, page)
		for _, room := range []string{"第1考场", "第2考场"} {
			must(t, w.a.Post(t, page+"/sessions", url.Values{"subject": {"theory"}, "date": {evalStart}, "start_time": {"09:00"},
				"end_time": {"10:30"}, "venue": {"天河区龙洞东路1号"}, "room": {room}, "seats": {"5"}}), 303)
		}
		must(t, w.a.Post(t, page+"/arrange", url.Values{"order": {"registration"}}), 303)
		must(t, w.a.Post(t, page+"/publish", nil), 303)
		var s1, s2 int64
		w.app.DB.R.Get(&s1, "SELECT id FROM exam_sessions WHERE plan_id = ? AND room = '第1考场'", id)
		w.app.DB.R.Get(&s2, "SELECT id FROM exam_sessions WHERE plan_id = ? AND room = '第2考场'", id)
		var no string
		w.app.DB.R.Get(&no, "SELECT ticket_no FROM exam_tickets WHERE registration_id = ?", regs[0])

		const n = 8
		errs := make(chan string, 2*n)
		var wg sync.WaitGroup
		for _, r := range regs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := w.a.Clone()
				p := c.Post(t, page+"/move/"+r, url.Values{"session_id": {itoa(s2)}, "seat_no": {"3"}})
				if p.Status != 303 && p.Status != 400 && p.Status != 409 {
					errs <- fmt.Sprintf("move: %d %s", p.Status, excerpt(p.Body))
				}
			}()
		}
		wg.Wait()
		var sess int64
		w.app.DB.R.Get(&sess, "SELECT session_id FROM exam_seats WHERE registration_id = ?", regs[0])
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := w.a.Clone()
				p := c.Post(t, "/console/plans/"+id+"/checkin", url.Values{"session": {itoa(sess)}, "code": {no}})
				if p.Status != 200 || !(strings.Contains(p.Body, "签到成功") || strings.Contains(p.Body, "无需重复签到")) {
					errs <- fmt.Sprintf("check-in: %d %s", p.Status, excerpt(p.Body))
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
		if k := count(t, w.app, "SELECT COUNT(*) FROM exam_checkins WHERE registration_id = ?", regs[0]); k != 1 {
			t.Fatalf("%d arrivals recorded, want 1", k)
		}
		if k := count(t, w.app, "SELECT COUNT(*) FROM exam_seats WHERE session_id = ? AND seat_no = 3", s2); k != 1 {
			t.Fatalf("%d candidates on one seat", k)
		}
	})
}
