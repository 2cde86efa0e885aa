package chatbot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"skillcert/demo"
	"skillcert/domain"
	"skillcert/internal/testenv"
	"skillcert/server"
)

// TestRegistrationByChat walks the whole registration by messages — bind, code,
// confirmation, every form field (each refused once with its reason), summary,
// 提交 refused for missing attachments, uploads through the API, 提交 — in plain
// and safe mode, on both engines.
func TestRegistrationByChat(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := startApp(t, dsn, func(cfg *server.Config) { cfg.SubmitConcurrency, cfg.SubmitWait = 1, 50*time.Millisecond })
		for _, mode := range []struct {
			name string
			safe bool
		}{{"plain", false}, {"aes", true}} {
			t.Run(mode.name, func(t *testing.T) {
				walkRegistration(t, app, mode.safe)
			})
		}
	})
}

func walkRegistration(t *testing.T, app *testenv.App, safe bool) {
	f := newFollower(t, app, safe)
	c := candidate(t, app, f)
	const phone = "13812345678"
	f.secrets = append(f.secrets, phone)
	seatsBefore := planSeatsLeft(t, app)

	// Code: wrong length, unknown, then the demo code typed in lower case.
	f.expect("报名", "8位报名码")
	f.expect("ABC12", "报名码应为8位", "请重新回复")
	f.expect("ZZZZZZZZ", "报名码不存在或已失效")
	f.expect(strings.ToLower(demo.Code), "评价计划编号：2501", "评价机构名称：广东岭南现代技师学院",
		"职业名称：人工智能训练师", "工种名称：无", "评价等级：二级/技师", "最大允许报名人数：60",
		"剩余名额：", "报名截止日期：", "业务监管地：广东省（省本级）", "联系电话：020-87000000", "回复 1 确认报名")

	// Confirmation: a wrong answer, then 1.
	f.expect("5", "请回复 1 确认报名")
	f.expect("1", "已创建报名草稿", "报考依据", "1 报名五级", "3 以工作年限报考")

	// 报考依据: out of range, not allowed for a level-2 plan (core's reason), then 以工作年限报考.
	f.expect("9", "请回复 1 到 4 之间的序号", "报考依据")
	f.expect("1", "仅限五级/初级工", "报考依据")
	f.expect("3", "已保存 报考依据：以工作年限报考", "自动填写：考生来源 本企业职工、劳务关系 本企业职工",
		"文化程度", "2 大学本科")

	// 文化程度.
	f.expect("本科吧", "请回复 1 到 9 之间的序号", "文化程度")
	f.expect("2", "已保存 文化程度：大学本科", "从业年限")

	// 从业年限.
	f.expect("61", "从业年限须为0至60之间的整数", "从业年限")
	f.expect("五年", "从业年限须为0至60之间的整数")
	f.expect("5", "已保存 从业年限：5年", "手机号码")

	// 手机号码: never echoed in full.
	f.expect("123", "手机号码格式不正确", "手机号码")
	f.expect(phone, "已保存 手机号码：138****5678", "所在单位")

	// 所在单位: too long, then a real employer; a command word is an answer here.
	f.expect(strings.Repeat("单", 26), "所在单位须为1至25个字", "所在单位")
	f.expect("广州岭南科技有限公司", "已保存 所在单位：广州岭南科技有限公司", "本人知晓本职业", "回复 1 同意")

	// 本人承诺.
	f.expect("2", "请回复 1 同意本人承诺")
	f.expect("0", "须同意本人承诺才能提交报名")
	sum := f.expect("1", "报名信息汇总", "报考依据：以工作年限报考", "文化程度：大学本科", "从业年限：5年",
		"考生来源：本企业职工", "劳务关系：本企业职工", "手机号码：138****5678", "本人承诺：已同意",
		"毕业证：必传，未上传", "学信网电子注册备案表：必传，未上传", "社保证明：建议上传",
		"/web/h/attachments.", "返回公众号继续", "回复“提交”")
	reg := onlyRegistration(t, c)
	if want := fmt.Sprintf(`<a href="%s/web/h/attachments.%d.`, app.URL, reg.ID); !strings.Contains(sum, want) {
		t.Fatalf("summary lacks the link to the form page %s:\n%s", want, sum)
	}
	if reg.Status != string(domain.StatusDraft) || reg.Employer != "广州岭南科技有限公司" || reg.Phone != phone {
		t.Fatalf("saved through core: %+v", reg)
	}

	// 提交 without the attachments: core's refusal, with the link.
	f.expect("随便说点", "请回复“提交”提交报名")
	f.expect("提交", "报名信息不完整", "毕业证", "学信网电子注册备案表", "点此上传附件")
	upload(t, c, reg.ID, domain.AttachDiploma)
	upload(t, c, reg.ID, domain.AttachCHSIRecord)
	// Every submit slot busy (issue 19): the chat says so and 提交 stays open.
	release, err := app.Core.AdmitSubmit(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	f.expect("提交", "报名人数较多，请稍后重试", "回复“提交”")
	release()
	f.expect("提交", "报名已提交", "已提交（待审核）")

	if got := registration(t, c, reg.ID); got.Status != string(domain.StatusSubmitted) {
		t.Fatalf("status after 提交: %s", got.Status)
	}
	if after := planSeatsLeft(t, app); after != seatsBefore-1 {
		t.Fatalf("seats left %d → %d: submit must take one seat", seatsBefore, after)
	}
	f.expect("提交", "当前没有待提交的报名")
	f.expect("记录", "报名记录（共1条）", "2501 人工智能训练师 二级/技师", "已提交（待审核）")
	// The same code again: the registration is shown, not made twice.
	f.expect("报名 "+demo.Code, "您已报名该评价计划，当前状态：已提交（待审核）")
}

// planSeatsLeft reads the demo plan's seats from the database.
func planSeatsLeft(t *testing.T, app *testenv.App) int {
	t.Helper()
	p, err := app.DB.GetPlanByNo(t.Context(), app.DB.R, demo.PlanNo)
	if err != nil {
		t.Fatal(err)
	}
	return p.SeatsTotal - p.SeatsTaken
}

// TestBasisFillsTheGuideDefaults: on a level-5 plan, 报名五级 fills 从业年限 0,
// 考生来源 其他, 所在单位 无 and 劳务关系 其他, so only 文化程度, 手机号码 and the
// commitment are asked; 以学历报考 is refused there with core's reason.
func TestBasisFillsTheGuideDefaults(t *testing.T) {
	app := startApp(t, testenv.NewDSN(t, "sqlite"), nil)
	addPlan(t, app, 5, "2599", "YYWJ5678")
	f := newFollower(t, app, true)
	c := candidate(t, app, f)
	f.expect("报名 yywj5678", "评价计划编号：2599", "评价等级：五级/初级工")
	f.expect("1", "【第1项】报考依据")
	f.expect("2", "仅限三级/高级工、四级/中级工")
	f.expect("1", "自动填写：从业年限 0年、考生来源 其他、劳务关系 其他、所在单位 无", "【第2/4项】文化程度")
	f.expect("9", "已保存 文化程度：其他", "【第3/4项】手机号码")
	f.expect("13700001111", "【第4/4项】本人承诺")
	f.expect("1", "报名信息汇总", "所在单位：无", "毕业证：必传", "学信网电子注册备案表：建议上传")
	reg := onlyRegistration(t, c)
	if reg.Basis != domain.BasisLevel5 || reg.Employer != domain.EmployerNone || reg.YearsInOccupation == nil ||
		*reg.YearsInOccupation != 0 || reg.CandidateSource != domain.SourceOther || reg.LaborRelation != domain.RelationOther {
		t.Fatalf("the basis' values: %+v", reg)
	}
	// 修改 walks again with the current values; 保留 keeps them.
	f.expect("修改", "当前：报名五级")
	f.expect("保留", "当前：其他")
	f.expect("3", "已保存 文化程度：大学专科", "当前：137****1111")
	f.expect("保留", "当前：已同意")
	f.expect("保留", "报名信息汇总", "学信网电子注册备案表：必传")
}
