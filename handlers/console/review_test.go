package console_test

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"skillcert/internal/testenv"
)

// openPlan creates and publishes a plan of inst-a with one code, and registers
// the candidates through the API; it returns the plan id and registration ids.
func openPlan(t *testing.T, w *world, no string, people ...testenv.Registrant) (string, []string) {
	t.Helper()
	id := createPlan(t, w.a, no, true)
	w.a.Get(t, "/console/plans/"+id+"/codes")
	must(t, w.a.Post(t, "/console/plans/"+id+"/codes", url.Values{"count": {"1"}}), 303)
	var code string
	if err := w.app.DB.R.Get(&code, "SELECT code FROM registration_codes WHERE plan_id = ?", id); err != nil {
		t.Fatal(err)
	}
	var regs []string
	for _, p := range people {
		regs = append(regs, path("%d", testenv.Register(t, w.app, code, p)))
	}
	return id, regs
}

func TestReviewApproveReturnRejectBulkAndSeats(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn, nil)
		id, regs := openPlan(t, w, "RV-1", testenv.Registrant{Name: "陈一"}, testenv.Registrant{Name: "李二"},
			testenv.Registrant{Name: "张三"}, testenv.Registrant{Name: "黄四"}, testenv.Registrant{Name: "林五"})
		base := "/console/plans/" + id + "/registrations/"
		must(t, w.a.Get(t, "/console/plans/"+id+"/registrations"), 200, "陈一", "黄四", "已提交（待审核）", "批量审核通过")

		// Approve.
		must(t, w.a.Get(t, base+regs[0]), 200, "附件清单", "毕业证", "已上传", "审核通过", "退回修改")
		must(t, w.a.Post(t, base+regs[0]+"/review", url.Values{"action": {"approve"}}), 303)
		if p := w.a.Get(t, base+regs[0]); !strings.Contains(p.Body, "由机构撤销") || strings.Contains(p.Body, ">退回修改</button>") {
			t.Fatalf("approved registration offers the wrong actions: %s", excerpt(p.Body))
		}
		// Return: a reason and the fields are required.
		w.a.Get(t, base+regs[1])
		must(t, w.a.Post(t, base+regs[1]+"/review", url.Values{"action": {"return"}}), 400, "请勾选需要考生修改的项目", "请填写退回修改的原因")
		must(t, w.a.Post(t, base+regs[1]+"/review", url.Values{"action": {"return"}, "reason": {"所在单位与社保证明不一致"},
			"fields": {"employer", "social_insurance"}}), 303)
		must(t, w.a.Get(t, base+regs[1]), 200, "退回修改", "所在单位与社保证明不一致", "社保证明")
		// Reject frees the seat.
		var before, after int
		w.app.DB.R.Get(&before, "SELECT seats_taken FROM plans WHERE id = ?", id)
		w.a.Get(t, base+regs[2])
		must(t, w.a.Post(t, base+regs[2]+"/review", url.Values{"action": {"reject"}, "reason": {"不符合报考条件"}}), 303)
		w.app.DB.R.Get(&after, "SELECT seats_taken FROM plans WHERE id = ?", id)
		if after != before-1 {
			t.Fatalf("seats %d → %d after a rejection", before, after)
		}
		// A decided registration cannot be decided again.
		must(t, w.a.Post(t, base+regs[2]+"/review", url.Values{"action": {"approve"}}), 409, "不能审核通过")
		// Bulk approve: the two left; the rejected one is skipped.
		w.a.Get(t, "/console/plans/"+id+"/registrations")
		must(t, w.a.Post(t, "/console/plans/"+id+"/registrations/bulk-review", url.Values{"ids": {regs[3], regs[4], regs[2]}}), 303)
		must(t, w.a.Get(t, "/console/plans/"+id+"/registrations?status=approved"), 200, "陈一", "黄四", "林五", "共 3 条")
		// Every decision wrote an outbox row and an audit entry.
		var events int
		w.app.DB.R.Get(&events, "SELECT COUNT(*) FROM outbox WHERE plan_id = ? AND event_kind IN ('registration.approved','registration.returned','registration.rejected')", id)
		if events != 5 {
			t.Fatalf("%d outbox events, want 5", events)
		}
		must(t, w.admin.Get(t, "/console/audit?action=registration.review"), 200, "已提交（待审核） → 审核通过", "原因：不符合报考条件")

		// Others cannot act: another institution gets 404, a supervisor 403.
		must(t, w.b.Post(t, base+regs[1]+"/review", url.Values{"action": {"approve"}}), 404)
		must(t, w.b.Get(t, base+regs[1]), 404)
		must(t, w.sup.Get(t, base+regs[1]), 200, "只读")
		must(t, w.sup.Post(t, base+regs[1]+"/review", url.Values{"action": {"approve"}}), 403)
		must(t, w.sup.Post(t, "/console/plans/"+id+"/registrations/bulk-review", url.Values{"ids": {regs[1]}}), 403)
		// A registration of another plan is not found under this plan.
		other, otherRegs := openPlan(t, w, "RV-2", testenv.Registrant{Name: "周六"})
		must(t, w.a.Get(t, "/console/plans/"+other+"/registrations/"+regs[0]), 404)
		must(t, w.a.Post(t, base+otherRegs[0]+"/review", url.Values{"action": {"approve"}}), 404)
	})
}

func TestSearchAttachmentsAndRosterByRole(t *testing.T) {
	w := newWorld(t, testenv.NewDSN(t, "sqlite"), nil)
	const idA = "11010519491231002X"
	id, regs := openPlan(t, w, "RS-1", testenv.Registrant{Name: "王小明", IDNumber: idA},
		testenv.Registrant{Name: "赵大力", Basis: "education"})
	list := "/console/plans/" + id + "/registrations"
	must(t, w.a.Get(t, list+"?q=小明"), 200, "王小明", "110105********002X")
	if p := w.a.Get(t, list+"?q=小明"); strings.Contains(p.Body, "赵大力") {
		t.Fatal("name search kept another candidate")
	}
	must(t, w.a.Get(t, list+"?q=002x"), 200, "王小明", "共 1 条")
	must(t, w.a.Get(t, list+"?q="+idA), 200, "王小明", "共 1 条")
	must(t, w.a.Get(t, list+"?q=9999"), 200, "暂无报名")
	// The ID-digit rules: 5–14 characters or a masked value match the number's
	// end; fewer than four characters are refused, naming the rule.
	must(t, w.a.Get(t, list+"?q=31002x"), 200, "王小明", "共 1 条")
	must(t, w.a.Get(t, list+"?q=110105********002X"), 200, "王小明", "共 1 条")
	must(t, w.a.Get(t, list+"?q=41002X"), 200, "暂无报名")
	must(t, w.a.Get(t, list+"?q=02X"), 400, "按证件号码查询请至少输入后4位（如 002X），或输入完整证件号码")

	// The employer warning shows on the detail page.
	if _, err := w.app.DB.W.Exec("UPDATE registrations SET employer_mismatch = 1 WHERE id = ?", regs[0]); err != nil {
		t.Fatal(err)
	}
	detail := w.a.Get(t, list+"/"+regs[0])
	must(t, detail, 200, "工作单位预警", "检测所在单位信息与广东省人社系统中的工作单位信息不符", idA, "单位自证材料")
	must(t, w.sup.Get(t, list+"/"+regs[0]), 200, "110105********002X", "仅评价机构可查看")
	if strings.Contains(w.sup.Get(t, list+"/"+regs[0]).Body, idA) {
		t.Fatal("a supervisor sees the full ID number")
	}

	// Attachments: shown inline to the own institution, 404 to everyone else.
	var att string
	if err := w.app.DB.R.Get(&att, "SELECT MIN(id) FROM attachments WHERE registration_id = ?", regs[0]); err != nil {
		t.Fatal(err)
	}
	ap := list + "/" + regs[0] + "/attachments/" + att
	p := w.a.Get(t, ap)
	if p.Status != 200 || p.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(p.Header.Get("Content-Disposition"), "inline") ||
		!strings.HasPrefix(p.Body, "%PDF") {
		t.Fatalf("attachment: %d %v", p.Status, p.Header)
	}
	if d := w.a.Get(t, ap+"?download=1"); !strings.HasPrefix(d.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %v", d.Header)
	}
	must(t, w.b.Get(t, ap), 404)
	must(t, w.sup.Get(t, ap), 403)
	must(t, w.other.Get(t, ap), 403)

	// Roster: full numbers for the own institution, masked for the supervisor,
	// 404 for another institution; every export audited.
	rows := roster(t, w.a, "/console/plans/"+id+"/roster.xlsx")
	if strings.Join(rows[0], ",") != "序号,姓名,证件类型,证件号码,性别,出生日期,文化程度,报考依据,从业年限,考生来源,所在单位,劳务关系,手机号码,状态,实名核验,计划编号,职业（工种）,等级,评价时间" {
		t.Fatalf("header %v", rows[0])
	}
	if len(rows) != 3 || rows[1][1] != "王小明" || rows[1][3] != idA || rows[1][12] != "13800138000" || rows[1][13] != "已提交（待审核）" || rows[1][14] != "未核验" ||
		rows[1][4] != "女" || rows[1][5] != "1949-12-31" || rows[2][7] != "以学历报考" ||
		rows[2][9] != "其他" || rows[2][11] != "其他" || rows[1][15] == "" || !strings.HasPrefix(rows[1][18], "20") {
		t.Fatalf("roster rows %v", rows)
	}
	// From the plan page the roster lists approved candidates unless all are asked for.
	must(t, w.a.Get(t, "/console/plans/"+id), 200, `roster.xlsx?status=approved`, "导出全部报名")
	if approved := roster(t, w.a, "/console/plans/"+id+"/roster.xlsx?status=approved"); len(approved) != 1 {
		t.Fatalf("approved-only roster of a plan with none approved: %v", approved)
	}
	masked := roster(t, w.sup, "/console/plans/"+id+"/roster.xlsx")
	if masked[1][3] != "110105********002X" || masked[1][12] != "138****8000" {
		t.Fatalf("supervisor roster %v", masked[1])
	}
	must(t, w.b.Get(t, "/console/plans/"+id+"/roster.xlsx"), 404)
	must(t, w.admin.Get(t, "/console/audit?action=roster.export"), 200, "含完整证件号码", "inst-a", "sup-gz")
	for _, secret := range []string{idA, "13800138000"} {
		if w.app.Logs.Contains(secret) {
			t.Fatalf("personal data in the logs")
		}
	}
}

// roster downloads a roster and reads its rows with excelize.
func roster(t *testing.T, c *testenv.ConsoleClient, p string) [][]string {
	t.Helper()
	page := c.Get(t, p)
	if page.Status != 200 || !strings.Contains(page.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("roster: %d %v", page.Status, page.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(page.Body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
