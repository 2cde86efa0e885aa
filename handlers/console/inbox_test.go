package console_test

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"

	"skillcert/internal/testenv"
)

// registerIn issues one code for a plan and registers the names through it.
func registerIn(t *testing.T, w *world, planID string, names ...string) []int64 {
	t.Helper()
	w.a.Get(t, "/console/plans/"+planID+"/codes")
	must(t, w.a.Post(t, "/console/plans/"+planID+"/codes", map[string][]string{"count": {"1"}}), 303)
	var code string
	if err := w.app.DB.R.Get(&code, "SELECT code FROM registration_codes WHERE plan_id = ?", planID); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, n := range names {
		ids = append(ids, testenv.Register(t, w.app, code, testenv.Registrant{Name: n}))
	}
	return ids
}

var inboxNext = regexp.MustCompile(`^/console/plans/(\d+)/registrations/(\d+)\?from=inbox&ok=(\w+)$`)

// Issue 15 point 9: the 待审核 inbox spans the institution's plans, oldest
// first, with each plan's name and whether the materials are complete; a
// decision taken from it goes on to the inbox's next entry, in another plan if
// that is older; other institutions see none of it.
func TestInboxAcrossPlans(t *testing.T) {
	for _, engine := range []string{"sqlite", "mysql"} {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, testenv.NewDSN(t, engine), nil)
			p1 := createPlan(t, w.a, "IN-1", true)
			p2 := createPlan(t, w.a, "IN-2", true)
			a := registerIn(t, w, p1, "甲一")
			b := registerIn(t, w, p2, "乙二")
			c := registerIn(t, w, p1, "丙三")
			// 丙三's 毕业证 is gone: 缺材料.
			if _, err := w.app.DB.W.Exec("DELETE FROM attachments WHERE registration_id = ? AND item_key = 'diploma'", c[0]); err != nil {
				t.Fatal(err)
			}

			page := w.a.Get(t, "/console/inbox")
			must(t, page, 200, "待审核", "甲一", "乙二", "丙三", "IN-1", "缺材料", `aria-current="page">待审核`)
			if i, j, k := strings.Index(page.Body, "甲一"), strings.Index(page.Body, "乙二"), strings.Index(page.Body, "丙三"); !(i < j && j < k) {
				t.Fatalf("inbox not oldest first: %d %d %d", i, j, k)
			}
			if n := strings.Count(page.Body, "齐全"); n < 2 {
				t.Fatalf("材料齐全 shown %d times", n)
			}
			// The plan's own list has the column too.
			must(t, w.a.Get(t, "/console/plans/"+p1+"/registrations"), 200, "材料齐全", "缺材料", "下载全部附件")

			// From the inbox: approve 甲一 (plan 1), on to 乙二 (plan 2).
			reg := path("/console/plans/%s/registrations/%d", p1, a[0])
			must(t, w.a.Get(t, reg+"?from=inbox"), 200, `name="from" value="inbox"`)
			res := w.a.Post(t, reg+"/review", map[string][]string{"action": {"approve"}, "from": {"inbox"}})
			m := inboxNext.FindStringSubmatch(res.Location)
			if res.Status != 303 || m == nil || m[1] != p2 || m[2] != path("%d", b[0]) || m[3] != "approved_next" {
				t.Fatalf("after 甲一: %d %q", res.Status, res.Location)
			}
			must(t, w.a.Get(t, res.Location), 200, "以下是下一条待审核的报名", "乙二", `name="from" value="inbox"`)
			res = w.a.Post(t, path("/console/plans/%s/registrations/%d/review", p2, b[0]),
				map[string][]string{"action": {"reject"}, "reason": {"证件照片不清晰"}, "from": {"inbox"}})
			if m := inboxNext.FindStringSubmatch(res.Location); res.Status != 303 || m == nil || m[2] != path("%d", c[0]) {
				t.Fatalf("after 乙二: %d %q", res.Status, res.Location)
			}
			res = w.a.Post(t, path("/console/plans/%s/registrations/%d/review", p1, c[0]),
				map[string][]string{"action": {"approve"}, "from": {"inbox"}})
			if res.Status != 303 || res.Location != "/console/inbox?ok=approved" {
				t.Fatalf("after the last: %d %q", res.Status, res.Location)
			}
			must(t, w.a.Get(t, res.Location), 200, "暂无待审核的报名")

			// Another institution's inbox is its own; supervisors have none.
			registerIn(t, w, p2, "丁四")
			if p := w.b.Get(t, "/console/inbox"); p.Status != 200 || strings.Contains(p.Body, "丁四") {
				t.Fatalf("institution B sees A's inbox: %d", p.Status)
			}
			if p := w.sup.Get(t, "/console/inbox"); p.Status != 403 {
				t.Fatalf("supervisor inbox: %d", p.Status)
			}
		})
	}
}

// Issue 15 point 9: a plan's attachments download as one zip, a folder per
// registration, audited; only the plan's own institution may.
func TestPlanAttachmentsZip(t *testing.T) {
	for _, engine := range []string{"sqlite", "mysql"} {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, testenv.NewDSN(t, engine), nil)
			p1 := createPlan(t, w.a, "ZIP-1", true)
			ids := registerIn(t, w, p1, "张一", "李二")
			var want int
			if err := w.app.DB.R.Get(&want, "SELECT COUNT(*) FROM attachments WHERE registration_id IN (?, ?)", ids[0], ids[1]); err != nil {
				t.Fatal(err)
			}

			res := w.a.Get(t, "/console/plans/"+p1+"/attachments.zip")
			if res.Status != 200 || res.Header.Get("Content-Type") != "application/zip" ||
				!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("zip: %d %v", res.Status, res.Header)
			}
			zr, err := zip.NewReader(bytes.NewReader([]byte(res.Body)), int64(len(res.Body)))
			if err != nil {
				t.Fatal(err)
			}
			if len(zr.File) != want || want == 0 {
				t.Fatalf("zip has %d files, plan has %d attachments", len(zr.File), want)
			}
			folders := map[string]bool{}
			for _, f := range zr.File {
				folders[strings.SplitN(f.Name, "/", 2)[0]] = true
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(rc)
				rc.Close()
				if err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
					t.Fatalf("%s: %v %q", f.Name, err, b[:min(len(b), 8)])
				}
			}
			if !folders[path("%d_张一", ids[0])] || !folders[path("%d_李二", ids[1])] {
				t.Fatalf("folders %v", folders)
			}
			var audited int
			if err := w.app.DB.R.Get(&audited, "SELECT COUNT(*) FROM audit_log WHERE action = 'attachments.zip' AND object_id = ?", p1); err != nil {
				t.Fatal(err)
			}
			if audited != 1 {
				t.Fatalf("audited %d times", audited)
			}
			for _, c := range []*testenv.ConsoleClient{w.b, w.sup} {
				if p := c.Get(t, "/console/plans/"+p1+"/attachments.zip"); p.Status != 404 && p.Status != 403 {
					t.Fatalf("someone else downloads: %d", p.Status)
				}
			}
		})
	}
}
