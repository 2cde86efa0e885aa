package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"skillcert/chatbot"
	"skillcert/core"
	"skillcert/demo"
	"skillcert/domain"
	"skillcert/internal/browsertest"
	"skillcert/internal/testenv"
	"skillcert/wechat/fake"
	"skillcert/wechat/oapush"
)

var followerMsgIDs atomic.Int64

func init() { followerMsgIDs.Store(time.Now().UnixNano() / 1000) }

// oaChat is a follower of the official account talking to the server's
// callback, as WeChat posts the messages (signed pushes).
type oaChat struct {
	t      *testing.T
	app    *testenv.App
	acct   oapush.Account
	openID string
}

func (f *oaChat) push(m oapush.Message, want ...string) string {
	f.t.Helper()
	m.From = f.openID
	r, err := f.acct.Send(context.Background(), http.DefaultClient, f.app.URL+"/wechat/callback", m)
	if err != nil || r.Status != http.StatusOK {
		f.t.Fatalf("push %s %q: %v %d %s", m.MsgType, m.Content+m.Recognition+m.EventKey, err, r.Status, r.Body)
	}
	for _, w := range want {
		if !strings.Contains(r.Content, w) {
			f.t.Fatalf("reply to %s %q lacks %q:\n%s", m.MsgType, m.Content+m.Recognition+m.EventKey, w, r.Content)
		}
	}
	f.t.Logf("chat %s %q → %d bytes", m.MsgType, m.Content+m.Recognition+m.EventKey, len(r.Content))
	return r.Content
}

func (f *oaChat) say(text string, want ...string) string {
	f.t.Helper()
	return f.push(oapush.Text("", followerMsgIDs.Add(1), text), want...)
}

func (f *oaChat) speak(recognition string, want ...string) string {
	f.t.Helper()
	return f.push(oapush.Voice("", followerMsgIDs.Add(1), recognition), want...)
}

// link is the address of the reply's link with the label.
func link(t *testing.T, reply, label string) string {
	t.Helper()
	m := regexp.MustCompile(`<a href="([^"]+)">` + regexp.QuoteMeta(label) + `</a>`).FindStringSubmatch(reply)
	if m == nil {
		t.Fatalf("no link %q in:\n%s", label, reply)
	}
	return html.UnescapeString(m[1])
}

// TestFollowerJourney drives a brand-new follower of the official account —
// who never opens the mini-program — through the whole seed journey by chat
// messages (text, voice, menu clicks) and the web pages the chat links to,
// opened in WeChat's browser (Chromium with WeChat's user agent) and signed in
// silently by the stand-in's web authorization: code, confirmation, identity
// with the privacy consent (web), the form (chat), attachments (web), submit,
// records, certificate progress (web timeline), feedback and training intention
// (menu pages). After each web step the chat goes on from what core has.
func TestFollowerJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	ctx := browsertest.New(t, browsertest.Phone)
	if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: weChatUA}); err != nil {
		t.Fatal(err)
	}
	app := startApp(t, false)
	x := &b{t: t, ctx: ctx, base: app.URL, dir: filepath.Join(screens, "follower"), size: browsertest.Phone}
	user := fmt.Sprintf("follower-%d", time.Now().UnixNano()%1e9)
	f := &oaChat{t: t, app: app, openID: fake.DevOpenID(fake.DefaultOAAppID, user),
		acct: oapush.Account{Token: oaToken, AppID: fake.DefaultOAAppID, Now: app.Clock.Now}}
	idNumber := testenv.RandomIDNumber("01")

	// Follow, tap 报名 in the menu, say the code.
	f.push(oapush.Event("", chatbot.EventSubscribe, ""), "欢迎关注", "无需下载或打开小程序")
	f.push(oapush.Event("", chatbot.EventClick, chatbot.MenuKeyRegister), "8位报名码")
	f.speak("R G Z N 二五 G D。", "评价计划编号：2501", "人工智能训练师", "回复 1 确认报名")
	var created int64
	if err := app.DB.R.Get(&created, "SELECT id FROM candidates WHERE openid = ?", "oa:"+f.openID); err != nil {
		t.Fatalf("no candidate made for the follower on first need: %v", err)
	}

	// 1: no identity yet — the chat hands over to the web.
	reply := f.say("1", "绑定本人身份信息", "个人信息保护说明", "返回公众号继续")
	if strings.Contains(reply, "已创建报名草稿") {
		t.Fatalf("a draft without an identity:\n%s", reply)
	}
	identityURL := link(t, reply, "点此绑定身份信息")
	f.say("继续", "还没有收到您的身份信息", "点此绑定身份信息") // not done yet: the link again

	// WeChat's browser: the link signs in through web authorization (the
	// stand-in asks which user; WeChat knows) and lands on 我的.
	x.do(chromedp.Navigate(identityURL), chromedp.WaitVisible(chromedp.CSS("#u")))
	x.do(chromedp.SetValue(chromedp.CSS("#u"), user), chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.Sleep(200*time.Millisecond), chromedp.WaitVisible(chromedp.CSS("main")))
	if !strings.Contains(x.location(), "/web/me") {
		t.Fatalf("the identity link landed on %s", x.location())
	}
	x.sees("登录成功", "个人信息保护说明", "返回公众号继续")
	x.page("identity")
	x.fill(map[string]string{"name": "周晓雯", "id_number": idNumber})
	x.tap("#privacy_consent")
	x.click("form.identity button")
	x.sees("身份信息已绑定", "返回公众号继续")
	x.page("identity_done")
	x.click("[data-close-wechat]")
	x.sees("请关闭本页", "继续")

	// Back in the chat: 继续 reads the identity from core and makes the draft.
	f.say("继续", "已收到您在网页绑定的身份信息", "已创建报名草稿", "报考依据")
	f.speak("三。", "已保存 报考依据：以工作年限报考", "文化程度")
	f.say("2", "已保存 文化程度：大学本科", "从业年限")
	f.say("5", "从业年限：5年", "手机号码")
	f.say("13812345678", "手机号码：138****5678", "所在单位")
	f.say("广州岭南科技有限公司", "所在单位：广州岭南科技有限公司", "本人知晓本职业")
	sum := f.say("1", "报名信息汇总", "毕业证：必传，未上传", "点此上传附件")
	f.say("提交", "报名信息不完整", "点此上传附件")
	attachURL := link(t, sum, "点此上传附件")

	// The attachments, on the web (signed in already).
	x.do(chromedp.Navigate(attachURL), chromedp.WaitVisible(chromedp.CSS("main")))
	x.sees("考生报名", "返回公众号继续")
	regPath := strings.TrimSuffix(strings.TrimPrefix(x.location(), app.URL), "/form")
	items := strings.Split(x.eval(`Array.from(document.querySelectorAll('#item option')).map(o => o.value).join(',')`), ",")
	pdf := writeFile(t, "毕业证.pdf", pdfBytes)
	for i, item := range items {
		x.do(chromedp.SetValue(chromedp.CSS("#item"), item), chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{pdf}))
		x.click("#upload button[type=submit]")
		x.waitFor(fmt.Sprintf(`document.querySelectorAll('table.files tbody tr td.fname').length === %d`, i+1))
	}
	x.sees("附件已上传", "返回公众号继续")
	x.page("attachments")

	// 继续: the summary reads the uploads from core; 提交 submits.
	f.say("继续", "已读取最新的报名情况", "毕业证：必传，已上传", "学信网电子注册备案表：必传，已上传")
	f.say("提交", "报名已提交", "已提交（待审核）")

	// 记录 by voice, 进度 once there is a certificate: the timeline on the web.
	f.speak("记录。", "报名记录（共1条）", "状态：已提交（待审核）", "查看报名详情")
	id := lastID(regPath)
	if _, err := app.DB.W.Exec(`UPDATE registrations SET status = 'approved', cert_stage = 'reported_national', cert_no = ? WHERE id = ?`,
		"Y440000000000000200023", id); err != nil {
		t.Fatal(err)
	}
	prog := f.speak("进度", "证书编号：Y440000000000000200023", "查看证书进度时间轴")
	x.do(chromedp.Navigate(link(t, prog, "查看证书进度时间轴")), chromedp.WaitVisible(chromedp.CSS("main")))
	x.sees("证书进度查询", "Y440000000000000200023", "返回公众号继续")
	x.page("certificates")

	// 准考证: once the institution publishes the tickets, the chat links to the
	// web ticket with its check-in QR code.
	ctx0 := context.Background()
	f.say("准考证", "准考证尚未发放")
	plan, err := app.DB.GetPlanByNo(ctx0, app.DB.R, demo.PlanNo)
	if err != nil {
		t.Fatal(err)
	}
	st := app.CreateStaff(t, "inst-follower", domain.RoleInstitution, plan.InstitutionID, "")
	app.PublishTickets(t, &st, plan.ID, plan.EvalStart)
	tk := f.say("准考证", "准考证号："+plan.PlanNo+"-", "第3考场", "打开准考证（含签到二维码）")
	x.do(chromedp.Navigate(link(t, tk, "打开准考证（含签到二维码）")), chromedp.WaitVisible(chromedp.CSS("img.ticket-qr")))
	if !strings.HasSuffix(x.location(), "/web/registrations/"+id+"/ticket") {
		t.Fatalf("the ticket link landed on %s", x.location())
	}
	x.sees("准考证号", "周晓雯", "人工智能训练师", "广州市天河区龙洞东路1号 第3考场", "返回公众号继续")
	if strings.Contains(x.text(), idNumber) {
		t.Fatal("the web ticket shows the full ID number")
	}
	x.waitFor(`document.querySelector('img.ticket-qr').complete && document.querySelector('img.ticket-qr').naturalWidth >= 100`)
	x.page("ticket")

	// 更多 in the menu: feedback and training intention are web pages.
	pages := map[string]string{}
	for _, b := range chatbot.Menu(app.URL)[2].Sub {
		pages[b.Name] = b.URL
	}
	x.do(chromedp.Navigate(pages["外部督导反馈"]), chromedp.WaitVisible(chromedp.CSS("#content")))
	x.do(chromedp.SetValue(chromedp.CSS("#registration_id"), x.eval(`document.querySelector('#registration_id option:nth-child(2)').value`)),
		chromedp.SetValue(chromedp.CSS("#category"), x.eval(`document.querySelector('#category option:nth-child(2)').value`)))
	x.typeInto("#content", "考点指引不清楚，希望在门口张贴考场示意图。")
	x.click("form[action='/web/feedback'] button[type=submit]")
	x.sees("反馈已提交", "考点指引不清楚")
	x.do(chromedp.Navigate(pages["培训意向登记"]), chromedp.WaitVisible(chromedp.CSS("#preferred_time")))
	x.do(chromedp.SetValue(chromedp.CSS("#occupation"), x.eval(`document.querySelector('#occupation option:nth-child(2)').value`)),
		chromedp.SetValue(chromedp.CSS("#level"), "3"),
		chromedp.SetValue(chromedp.CSS("#city"), x.eval(`document.querySelector('#city option:nth-child(2)').value`)))
	x.typeInto("#preferred_time", "周末")
	x.typeInto("#phone", "13900139000")
	x.tap("#contact_consent")
	x.click("form[action='/web/training'] button[type=submit]")
	x.sees("培训意向已登记")

	// One candidate throughout, made by the chat, never by the mini-program.
	var owner int64
	if err := app.DB.R.Get(&owner, "SELECT candidate_id FROM registrations WHERE id = ?", id); err != nil || owner != created {
		t.Fatalf("registration of candidate %d (%v), want the chat's %d", owner, err, created)
	}
	var n int
	if err := app.DB.R.Get(&n, "SELECT COUNT(*) FROM feedback WHERE candidate_id = ?", created); err != nil || n != 1 {
		t.Fatalf("feedback of the follower: %d %v", n, err)
	}
	if me, err := app.Core.GetMe(context.Background(), created); err != nil || !me.HasIdentity || me.Name != "周晓雯" {
		t.Fatalf("identity %+v %v", me, err)
	}
	_ = core.HandoverTTL
}
