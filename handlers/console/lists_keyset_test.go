package console_test

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"slices"
	"testing"

	"skillcert/internal/testenv"
	"skillcert/repo"
)

var (
	feedbackRowID = regexp.MustCompile(`href="/console/feedback/(\d+)"`)
	planRowID     = regexp.MustCompile(`href="/console/plans/(\d+)">查看`)
)

// walkKeyset pages a keyset list from its first page to its last by 下一页,
// then from the last page back by 上一页, and returns the ids seen each way
// (the second in the same newest-first order). Every page must show want.
func walkKeyset(t *testing.T, c *testenv.ConsoleClient, first string, id *regexp.Regexp, want string) (forward, backward []string) {
	t.Helper()
	ids := func(body string) []string {
		var out []string
		for _, m := range id.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	p := c.Get(t, first)
	for range 100 {
		must(t, p, 200, want)
		forward = append(forward, ids(p.Body)...)
		next, ok := links(p.Body)["下一页"]
		if !ok {
			break
		}
		p = c.Get(t, next)
	}
	last, ok := links(c.Get(t, first).Body)["最后一页"]
	if !ok { // the first page is the last
		return forward, ids(c.Get(t, first).Body)
	}
	p = c.Get(t, last)
	var pages [][]string
	for range 100 {
		must(t, p, 200, want)
		pages = append(pages, ids(p.Body))
		prev, ok := links(p.Body)["上一页"]
		if !ok {
			break
		}
		p = c.Get(t, prev)
	}
	slices.Reverse(pages)
	for _, pg := range pages {
		backward = append(backward, pg...)
	}
	return forward, backward
}

func links(body string) map[string]string {
	out := map[string]string{}
	for _, m := range auditLink.FindAllStringSubmatch(body, -1) {
		out[m[2]] = html.UnescapeString(m[1])
	}
	return out
}

// TestFeedbackInboxAndPlanListKeysetPages walks the supervisor's feedback
// inbox and the plan list (institution, supervisor and admin views) page by
// page, first to last and last to first: every row the filter matches is seen
// once, newest first, and the other region's rows never.
func TestFeedbackInboxAndPlanListKeysetPages(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		ctx := context.Background()
		now := repo.Now()
		var plans []repo.Plan
		for i := range 95 {
			inst, region := w.instA, "广州市"
			if i%5 == 4 {
				inst, region = w.instB, "深圳市"
			}
			plans = append(plans, repo.Plan{PlanNo: fmt.Sprintf("K-%03d", i), PlanName: fmt.Sprintf("分页计划%d", i),
				InstitutionID: inst, OccupationName: "电工", Level: 3, SeatsTotal: 30, RegStart: "2026-01-01",
				RegDeadline: "2026-12-31", EvalStart: "2027-01-10", EvalEnd: "2027-01-11", SupervisionRegion: region,
				State: repo.PlanPublished, CreatedAt: now, UpdatedAt: now})
		}
		if err := w.app.DB.InsertPlansBulk(ctx, plans); err != nil {
			t.Fatal(err)
		}
		var gz, all []string
		if err := w.app.DB.R.Select(&gz, `SELECT id FROM plans WHERE supervision_region = '广州市' ORDER BY id DESC`); err != nil {
			t.Fatal(err)
		}
		if err := w.app.DB.R.Select(&all, `SELECT id FROM plans ORDER BY id DESC`); err != nil {
			t.Fatal(err)
		}
		if len(gz) != 76 {
			t.Fatalf("%d plans in 广州市", len(gz))
		}
		for _, c := range []struct {
			who  *testenv.ConsoleClient
			want []string
		}{{w.a, gz}, {w.sup, gz}, {w.admin, all}} {
			fwd, back := walkKeyset(t, c.who, "/console/plans", planRowID, fmt.Sprintf("共 %d 条", len(c.want)))
			if !slices.Equal(fwd, c.want) || !slices.Equal(back, c.want) {
				t.Fatalf("plan list: forward %d, backward %d rows, want %d", len(fwd), len(back), len(c.want))
			}
		}
		fwd, _ := walkKeyset(t, w.a, "/console/plans?q=分页计划1", planRowID, "共 9 条") // 1, 10…18 less 14 (institution B)
		if len(fwd) != 9 {
			t.Fatalf("filtered plan list %v", fwd)
		}
		// The admin's and the supervisor's searches walk the plans holding
		// the text's rarest gram (plan_grams); a plan number matches exactly.
		fwd, back := walkKeyset(t, w.admin, "/console/plans?q=分页计划1", planRowID, "共 11 条")
		if len(fwd) != 11 || !slices.Equal(fwd, back) {
			t.Fatalf("admin's search: forward %v, backward %v", fwd, back)
		}
		fwd, _ = walkKeyset(t, w.sup, "/console/plans?q=分页计划1", planRowID, "共 9 条")
		if len(fwd) != 9 {
			t.Fatalf("supervisor's search %v", fwd)
		}
		fwd, _ = walkKeyset(t, w.admin, "/console/plans?q=K-007", planRowID, "共 1 条")
		if len(fwd) != 1 {
			t.Fatalf("search by plan number %v", fwd)
		}
		// Past 1,000 matches a search's count is an estimate; a text of two
		// characters and no other filter is counted exactly.
		var more []repo.Plan
		for i := range 1100 {
			p := plans[0]
			p.PlanNo, p.PlanName, p.OccupationName = fmt.Sprintf("M-%04d", i), fmt.Sprintf("大批计划%d", i), "焊工"
			more = append(more, p)
		}
		if err := w.app.DB.InsertPlansBulk(ctx, more); err != nil {
			t.Fatal(err)
		}
		must(t, w.admin.Get(t, "/console/plans?q=大批计划"), 200, "共约 1100 条")
		must(t, w.admin.Get(t, "/console/plans?q=大批计划&last=1"), 200, "共约 1100 条", "第一页")
		must(t, w.admin.Get(t, "/console/plans?q=焊工"), 200, "共 1100 条")
		must(t, w.sup.Get(t, "/console/plans?q=焊工"), 200, "共约 1100 条")
		must(t, w.admin.Get(t, "/console/plans?q=大批计划999"), 200, "共 1 条")

		// 80 feedback in 广州市 and 10 in 深圳市, each third in processing; photos on one.
		var cand int64
		res, err := w.app.DB.W.Exec(`INSERT INTO candidates (openid, name, created_at, updated_at) VALUES (?, '王五', ?, ?)`,
			testenv.NewOpenID(), now, now)
		if err != nil {
			t.Fatal(err)
		}
		cand, _ = res.LastInsertId()
		var sz string
		if err := w.app.DB.R.Get(&sz, `SELECT MIN(id) FROM plans WHERE supervision_region = '深圳市'`); err != nil {
			t.Fatal(err)
		}
		for i := range 90 {
			status := "submitted"
			if i%3 == 0 {
				status = "processing"
			}
			plan := gz[i%len(gz)]
			if i%9 == 8 {
				plan = sz // another region's
			}
			if _, err := w.app.DB.W.Exec(`INSERT INTO feedback (candidate_id, plan_id, category, content, contact_pref,
				status, reply, created_at, updated_at, supervision_region) VALUES (?, ?, 'other', ?, 'none', ?, '', ?, ?,
				(SELECT supervision_region FROM plans WHERE id = ?))`,
				cand, plan, fmt.Sprintf("反馈%d", i), status, now, now, plan); err != nil {
				t.Fatal(err)
			}
		}
		var fb, fbReplied []string
		if err := w.app.DB.R.Select(&fb, `SELECT f.id FROM feedback f JOIN plans p ON p.id = f.plan_id
			WHERE p.supervision_region = '广州市' ORDER BY f.id DESC`); err != nil {
			t.Fatal(err)
		}
		if err := w.app.DB.R.Select(&fbReplied, `SELECT f.id FROM feedback f JOIN plans p ON p.id = f.plan_id
			WHERE p.supervision_region = '广州市' AND f.status = 'processing' ORDER BY f.id DESC`); err != nil {
			t.Fatal(err)
		}
		if _, err := w.app.DB.W.Exec(`INSERT INTO feedback_images (feedback_id, file_name, content_type, size, blob_key,
			uploaded_at, check_status) VALUES (?, 'a.jpg', 'image/jpeg', 1, 'k', ?, 'pass'), (?, 'b.jpg', 'image/jpeg', 1, 'k', ?, 'risky')`,
			fb[0], now, fb[0], now); err != nil {
			t.Fatal(err)
		}
		fwd, back = walkKeyset(t, w.sup, "/console/feedback", feedbackRowID, fmt.Sprintf("共 %d 条", len(fb)))
		if len(fb) != 80 || !slices.Equal(fwd, fb) || !slices.Equal(back, fb) {
			t.Fatalf("feedback inbox: forward %d, backward %d rows, want %d", len(fwd), len(back), len(fb))
		}
		fwd, back = walkKeyset(t, w.sup, "/console/feedback?status=processing", feedbackRowID, fmt.Sprintf("共 %d 条", len(fbReplied)))
		if !slices.Equal(fwd, fbReplied) || !slices.Equal(back, fbReplied) {
			t.Fatalf("feedback in processing: forward %v, backward %v, want %v", fwd, back, fbReplied)
		}
		// The photo count shown skips the photo judged risky.
		must(t, w.sup.Get(t, "/console/feedback"), 200, `<td class="num">1</td>`)
	})
}
