package chatbot_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"skillcert/chatbot"
	"skillcert/core"
	"skillcert/demo"
	"skillcert/domain"
	"skillcert/internal/testenv"
)

// TestStatusCommands covers 帮助, 查询, 记录 and 进度, before and after binding,
// and the menu's click events.
func TestStatusCommands(t *testing.T) {
	app := startApp(t, testenv.NewDSN(t, "sqlite"), nil)
	f := newFollower(t, app, false)

	// Anyone: the menu and plan search.
	f.expect("帮助", "报名 — 用报名码报名", "记录 — 查看报名记录", "进度 — 查询证书进度", "查询 职业名称 城市")
	f.expect("你好", "请回复以下文字办理")
	f.expect("？", "请回复以下文字办理")
	f.expect("查询", "请发送：查询 职业名称 城市")
	f.expect("查询 人工智能训练师 广州", "正在报名的评价计划共1条", "1. 2501 人工智能训练师 二级/技师",
		"广东岭南现代技师学院", "报名截止：", "报名码请向评价机构联系人获取")
	f.expect("查询 人工智能训练师 深圳 二级", "没有找到正在报名的评价计划")
	many := f.expect("查询 师", "正在报名的评价计划共")
	if strings.Contains(many, "\n6. ") {
		t.Fatalf("at most 5 plans:\n%s", many)
	}
	f.expect("查询 "+strings.Repeat("长", 60), "职业名称最多 50 个字")

	// No account: the personal queries say there is nothing yet and how to
	// bind a mini-program account; name + ID number never binds.
	for _, cmd := range []string{"记录", "进度", "证书"} {
		f.expect(cmd, "您还没有报名记录", "绑定 6位绑定码", "仅凭姓名和证件号码不能关联")
	}
	f.expect("张三 11010519491231002X", "请回复以下文字办理")
	f.expect("记录", "您还没有报名记录")

	// Bound, nothing yet.
	c := candidate(t, app, f)
	f.expect("记录", "您还没有报名记录")
	f.expect("进度", "暂无证书进度")

	// A registration submitted through the API.
	id := submitByAPI(t, app, c)
	f.expect("记录", "报名记录（共1条）", "2501 人工智能训练师 二级/技师", "状态：已提交（待审核）", "提交时间：",
		`/web/h/records.0.`)

	// Approved, evaluated, certificate made: 进度 reads core's certificate progress.
	db := app.DB.W
	exec := func(q string, args ...any) {
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().UTC()
	exec(`UPDATE registrations SET status = 'approved', cert_stage = 'reported_national', cert_no = ? WHERE id = ?`,
		"Y440000000000000200001", id)
	exec(`INSERT INTO exam_results (registration_id, subject, result, score, recorded_at) VALUES (?, 'theory', 'pass', 82, ?)`, id, now)
	exec(`INSERT INTO exam_results (registration_id, subject, result, score, recorded_at) VALUES (?, 'practical', 'pass', 75, ?)`, id, now)
	f.expect("证书", "您的证书进度", "2501 人工智能训练师 二级/技师", "理论：合格", "实操：合格",
		"进度：已上报全国联网（第5步，共7步）", "证书编号：Y440000000000000200001", "全国联网查询",
		`/web/h/certificates.0.`)
	f.expect("记录", "状态：审核通过")

	// Menu clicks are the same commands.
	f.push(eventClick(chatbot.MenuKeyRecords)).mustContain(t, "状态：审核通过")
	f.push(eventClick(chatbot.MenuKeyProgress)).mustContain(t, "证书编号")
	f.push(eventClick(chatbot.MenuKeySearch)).mustContain(t, "请发送：查询 职业名称 城市")
	f.push(eventClick(chatbot.MenuKeyBind)).mustContain(t, "获取绑定码")
	f.push(eventClick(chatbot.MenuKeyHelp)).mustContain(t, "请回复以下文字办理")
	f.push(eventClick("NO_SUCH_KEY")).mustContain(t, "请回复以下文字办理")
	f.push(eventClick(chatbot.MenuKeyRegister)).mustContain(t, "8位报名码")
	f.expect("取消", "已退出报名。")
	f.expect(demo.Code, "评价计划编号：2501", "您已报名该评价计划") // a code on its own starts 报名
	f.expect("取消", "当前没有进行中的办理")
}

// TestFollowEvents covers subscribe (welcome, menu, binding by UnionID),
// unsubscribe and other message types.
func TestFollowEvents(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := startApp(t, dsn, nil)
		f := newFollower(t, app, true)
		f.push(event(chatbot.EventSubscribe)).mustContain(t, "欢迎关注", "无需下载或打开小程序", "绑定 6位绑定码", "报名 — 用报名码报名")
		if r := f.push(event(chatbot.EventUnsubscribe)); !r.Success {
			t.Fatalf("unsubscribe gets no reply: %q", r.Content)
		}
		if r := f.push(event("VIEW")); !r.Success {
			t.Fatalf("a VIEW event gets no reply: %q", r.Content)
		}
		img := f.push(messageOfType("image"))
		img.mustContain(t, "暂时只能识别文字消息", "请回复以下文字办理")

		// A candidate signed in with a unionid; the follower shares it: bound at once.
		union := testenv.NewOpenID()
		code := testenv.NewCode()
		testenv.WeChat(t).RegisterCode(code, testenv.NewOpenID(), union)
		res := app.Client().Do(t, http.MethodPost, "/api/v1/auth/login", map[string]string{"code": code})
		if res.Status != http.StatusOK {
			t.Fatalf("login: %d %s", res.Status, res.Body)
		}
		g := newFollower(t, app, false)
		g.unionID = union
		g.push(event(chatbot.EventSubscribe)).mustContain(t, "欢迎关注", "您的小程序账号已关联")
		g.expect("记录", "您还没有报名记录")
	})
}

// submitByAPI registers the candidate for plan 2501 and submits, as the
// mini-program does; it returns the registration id.
func submitByAPI(t *testing.T, app *testenv.App, c *testenv.Client) int64 {
	t.Helper()
	res := c.Do(t, http.MethodPost, "/api/v1/registrations", map[string]string{"code": demo.Code})
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	var v core.RegistrationView
	res.JSON(t, &v)
	res = c.Do(t, http.MethodPut, fmt.Sprintf("/api/v1/registrations/%d", v.ID), map[string]any{
		"basis": domain.BasisWorkYears, "education": "21", "years_in_occupation": "3", "phone": "13900002222",
		"employer": "广州某公司", "commitment_accepted": true})
	if res.Status != http.StatusOK {
		t.Fatalf("save: %d %s", res.Status, res.Body)
	}
	upload(t, c, v.ID, domain.AttachDiploma)
	upload(t, c, v.ID, domain.AttachCHSIRecord)
	if res = c.Do(t, http.MethodPost, fmt.Sprintf("/api/v1/registrations/%d/submit", v.ID), nil); res.Status != http.StatusOK {
		t.Fatalf("submit: %d %s", res.Status, res.Body)
	}
	return v.ID
}
