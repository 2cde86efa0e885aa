package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"skillcert/core"
	"skillcert/demo"
	"skillcert/domain"
	"skillcert/internal/browsertest"
	"skillcert/internal/testenv"
)

// screens is where the browser tests save a screenshot of every page (not
// committed: .gitignore).
const screens = "testdata/screens"

const oaToken = "web-test-token"

// startApp starts a server with demo data, its official account pointed at the
// fake WeChat (which posts scans to the server's callback), plain-HTTP cookies,
// and — when demo is true — the one-click demo scan.
func startApp(t *testing.T, demo bool) *testenv.App {
	t.Helper()
	wx := testenv.WeChat(t)
	opt := testenv.Options{Demo: true, DemoPlans: 40, Env: map[string]string{
		"WECHAT_OA_TOKEN": oaToken, "SKILLCERT_WEB_SECURE_COOKIE": "false",
		// One submit slot, a short wait: the journey holds the slot to see
		// the busy answer.
		"SKILLCERT_SUBMIT_CONCURRENCY": "1", "SKILLCERT_SUBMIT_WAIT": "300ms"}}
	var callback string // the server's, once started: tests run side by side on one fake
	if demo {
		opt.WebDemoScan = func(ctx context.Context, scene string) error {
			_, err := wx.ScanQRTo(ctx, callback, oaToken, scene, "web-demo")
			return err
		}
	}
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), opt)
	callback = app.URL + "/wechat/callback"
	return app
}

// b is a browser tab with the test's helpers.
type b struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string
	size browsertest.Size
	shot int
}

func (x *b) do(steps ...chromedp.Action[chromedp.Void]) {
	x.t.Helper()
	if err := chromedp.Do(x.ctx, steps...); err != nil {
		x.t.Fatalf("browser: %v\npage %s:\n%s", err, x.location(), x.text())
	}
}

func (x *b) text() string {
	s, _ := chromedp.Run(x.ctx, chromedp.Text(chromedp.CSS("body")))
	return s
}

func (x *b) location() string {
	s, _ := chromedp.Run(x.ctx, chromedp.Location())
	return s
}

func (x *b) eval(js string) string {
	x.t.Helper()
	s, err := chromedp.Run(x.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		x.t.Fatalf("evaluate %s: %v", js, err)
	}
	return s
}

func (x *b) open(path string) {
	x.t.Helper()
	x.do(chromedp.Navigate(x.base+path), chromedp.WaitVisible(chromedp.CSS("main")))
}

// click clicks and waits for the next page.
func (x *b) click(sel string) {
	x.t.Helper()
	x.t.Logf("%s click %s", time.Now().Format("15:04:05.000"), sel)
	x.center(sel)
	x.do(chromedp.Click(chromedp.CSS(sel)), chromedp.Sleep(200*time.Millisecond), chromedp.WaitVisible(chromedp.CSS("main")))
}

// center scrolls an element to the middle of the window (clear of the tab bar).
func (x *b) center(sel string) {
	x.t.Helper()
	wctx, cancel := context.WithTimeout(x.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(wctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		x.t.Fatalf("%s is not visible: %v\npage %s:\n%s", sel, err, x.location(), x.text())
	}
	b, _ := json.Marshal(sel)
	ectx, cancel2 := context.WithTimeout(x.ctx, 10*time.Second)
	defer cancel2()
	if _, err := chromedp.Run(ectx, chromedp.Evaluate[bool](`(function(){var e=document.querySelector(`+string(b)+`);if(e){e.scrollIntoView({block:'center'})};return true})()`)); err != nil {
		x.t.Logf("scroll %s: %v", sel, err)
	}
}

// waitFor waits up to 10 s for a JavaScript condition to hold.
func (x *b) waitFor(cond string) {
	x.t.Helper()
	for range 100 {
		ok, err := chromedp.Run(x.ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	x.t.Fatalf("waited in vain for %s\npage %s:\n%s", cond, x.location(), x.text())
}

// waitForLong waits up to d for a JavaScript condition to hold, across page
// loads.
func (x *b) waitForLong(cond string, d time.Duration) {
	x.t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		ok, err := chromedp.Run(x.ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
	}
	x.t.Fatalf("waited %v in vain for %s\npage %s:\n%s", d, cond, x.location(), x.text())
}

// tap clicks an element that does not leave the page.
func (x *b) tap(sel string) {
	x.t.Helper()
	x.t.Logf("%s tap %s", time.Now().Format("15:04:05.000"), sel)
	x.center(sel)
	x.do(chromedp.Click(chromedp.CSS(sel)))
}

func (x *b) sees(texts ...string) {
	x.t.Helper()
	body := x.text()
	for _, s := range texts {
		if !strings.Contains(body, s) {
			x.t.Fatalf("page %s does not show %q:\n%s", x.location(), s, body)
		}
	}
}

func (x *b) fill(fields map[string]string) {
	x.t.Helper()
	for name, v := range fields {
		x.do(chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`[name=%q]`, name)), v))
	}
}

// typeInto clears a field and types into it as a person would (input events fire).
func (x *b) typeInto(sel, v string) {
	x.t.Helper()
	b, _ := json.Marshal(sel)
	x.eval(`(function(){document.querySelector(` + string(b) + `).value='';return ''})()`)
	x.do(chromedp.SendKeys(chromedp.CSS(sel), v))
}

func (x *b) value(sel string) string {
	x.t.Helper()
	v, err := chromedp.Run(x.ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		x.t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}

// page checks the page for accessibility and saves its screenshot.
func (x *b) page(name string) {
	x.t.Helper()
	x.t.Logf("%s page %s", time.Now().Format("15:04:05.000"), name)
	browsertest.RequireAccessible(x.t, x.ctx, x.size.String()+" "+name)
	x.shot++
	browsertest.Screenshot(x.t, x.ctx, x.dir, fmt.Sprintf("%02d_%s", x.shot, name))
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := 0; x < 64; x++ {
		for y := 0; y < 48; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var pdfBytes = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// cookie returns the value of a browser cookie.
func (x *b) cookie(name string) string {
	x.t.Helper()
	var val string
	res, err := chromedp.Call(x.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{x.base + "/web/"}})
	if err == nil {
		for _, c := range res.Cookies {
			if c.Name == name {
				val = c.Value
			}
		}
	}
	if err != nil || val == "" {
		x.t.Fatalf("cookie %s: %q %v", name, val, err)
	}
	return val
}

// TestWebJourney walks the whole candidate journey in a real browser at the
// phone size (signing in by scanning the QR code through the WeChat stand-in)
// and at the laptop size (signing in with demo mode's one click), checking
// what each page shows, running axe-core on every page and saving its
// screenshot under testdata/screens/<size>/.
func TestWebJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("browser journey skipped in -short mode")
	}
	for _, tc := range []struct {
		size browsertest.Size
		demo bool
	}{{browsertest.Phone, false}, {browsertest.Laptop, true}} {
		t.Run(tc.size.String(), func(t *testing.T) {
			if !raceEnabled {
				t.Parallel()
			}
			journey(t, tc.size, tc.demo)
		})
	}
}

func journey(t *testing.T, size browsertest.Size, demo bool) {
	ctx := browsertest.New(t, size)
	app := startApp(t, demo)
	x := &b{t: t, ctx: ctx, base: app.URL, dir: filepath.Join(screens, size.String()), size: size}
	_ = os.RemoveAll(x.dir)
	idNumber := testenv.RandomIDNumber("01")
	name := map[bool]string{false: "林小雨", true: "陈大海"}[demo]

	// The employment register knows another employer: the form will warn.
	if _, err := app.Core.ImportEmployment(context.Background(),
		strings.NewReader(idNumber+",广州天河软件园有限公司,2020-01-01\n"), false); err != nil {
		t.Fatal(err)
	}

	// Home, signed out.
	x.open("/web/")
	x.sees("评价计划查询", "报名码报名", "报名记录", "证书进度查询", "外部督导情况反馈", "培训意向登记", "微信扫码登录")
	x.page("home")

	// 评价计划查询: level tabs, occupation, city, sort, 共N条, pages, seats, 温馨提示.
	x.open("/web/plans")
	x.sees("全部", "二级/技师", "温馨提示", "报名码", "剩余名额", "第 1 /")
	total := x.eval(`document.querySelector('.total').textContent`)
	if !strings.HasPrefix(total, "共") || total == "共0条" {
		t.Fatalf("plan total %q", total)
	}
	x.page("plans")
	x.click(".level-tabs a:nth-child(3)") // 二级/技师
	x.typeInto("#occupation", "人工智能")
	x.click("form.search button[type=submit]")
	x.sees("人工智能训练师", "广东岭南现代技师学院", "2501")
	if lvl := x.eval(`new URL(location.href).searchParams.get('level')`); lvl != "2" {
		t.Fatalf("the search lost the level tab: %q", lvl)
	}
	x.page("plans_search")

	// 报名码报名 needs a sign-in: the QR code of the official account.
	x.open("/web/register")
	x.sees("微信扫码登录", "二维码有效期至")
	if !strings.Contains(x.location(), "/web/login?next=") {
		t.Fatalf("not sent to sign in: %s", x.location())
	}
	x.page("login")
	if demo {
		x.click("form.demo button")
	} else {
		src := x.eval(`document.querySelector('#qr img').src`)
		u, err := url.Parse(src)
		if err != nil || u.Query().Get("ticket") == "" {
			t.Fatalf("QR image %q", src)
		}
		res, err := http.Get(src)
		if err != nil || res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("QR image: %v %v", res, err)
		}
		res.Body.Close()
		reply, err := testenv.WeChat(t).ScanQRTo(context.Background(), app.URL+"/wechat/callback", oaToken, u.Query().Get("ticket"), "web-phone")
		if err != nil || !strings.Contains(reply, "网页登录成功") {
			t.Fatalf("scan: %q %v", reply, err)
		}
		// The page polls and goes on by itself.
		x.do(chromedp.WaitVisible(chromedp.CSS("#code")))
	}
	x.sees("登录成功", "报名码", "0/8")

	// Step 1: the code, with its counter.
	x.typeInto("#code", "rgzn25gd")
	if c := x.eval(`document.querySelector('#code-count').textContent`); c != "8/8" {
		t.Fatalf("counter %q", c)
	}
	x.page("register_code")
	x.click("form.code-form button")
	// Step 2: 评价计划确认 with every field.
	x.sees("评价计划确认", "计划编号", "2501", "人工智能训练师", "二级/技师", "广东岭南现代技师学院", "考试地点",
		"报名时间", "评价时间", "联系人", "联系电话", "业务监管地", "剩余名额")
	x.page("confirm")
	x.click("form.confirm-form button[type=submit]")
	// No identity yet: 我的 asks for it, with the privacy consent.
	x.sees("请先绑定本人身份信息", "个人信息保护说明")
	x.fill(map[string]string{"name": name, "id_number": idNumber})
	x.click("form.identity button")
	x.sees("请阅读并同意《个人信息保护说明》后再提交") // consent is required
	if v := x.value("#id_number"); v != idNumber {
		t.Fatalf("the typed ID number was lost: %q", v)
	}
	x.page("me_identity_error")
	x.tap("#privacy_consent")
	x.click("form.identity button")
	x.sees("身份信息已绑定", "报名码")
	x.click("form.code-form button")
	x.click("form.confirm-form button[type=submit]")

	// Step 3: the form.
	x.sees("考生报名", "报考依据", "文化程度", "从业年限", "考生来源", "劳务关系", "手机号码", "所在单位", "0/25", "本人承诺",
		"序号", "文件名称", "上传时间", "操作", name)
	regPath := strings.TrimSuffix(strings.TrimPrefix(x.location(), app.URL), "/form")
	// 以工作年限报考 fills and locks 考生来源/劳务关系.
	x.tap(`label:has(input[name=basis][value=work_years])`)
	if x.eval(`String(document.querySelector('#candidate_source').disabled)+document.querySelector('#candidate_source').value`) != "true"+domain.SourceEmployee {
		t.Fatal("the basis did not fill and lock 考生来源")
	}
	// Bad input first: the same field errors as the API, nothing typed lost.
	x.do(chromedp.SetValue(chromedp.CSS("#education"), "21"))
	x.typeInto("#years_in_occupation", "abc")
	x.typeInto("#phone", "1380013")
	x.typeInto("#employer", "广州市某某科技有限公司")
	if c := x.eval(`document.querySelector('#employer-count').textContent`); c != "11/25" {
		t.Fatalf("employer counter %q", c)
	}
	x.click(`button[value=submit]`)
	webErrs := x.eval(`Array.from(document.querySelectorAll('.field-err')).map(e => e.textContent).join('|')`)
	if x.value("#years_in_occupation") != "abc" || x.value("#phone") != "1380013" || x.value("#employer") != "广州市某某科技有限公司" {
		t.Fatalf("typed values lost: %q %q %q", x.value("#years_in_occupation"), x.value("#phone"), x.value("#employer"))
	}
	// The API, with the same session and the same input, says the same.
	api := &testenv.Client{Base: app.URL, HTTP: http.DefaultClient, Token: x.cookie("skillcert_web")}
	res := api.Do(t, http.MethodPut, "/api/v1"+strings.TrimPrefix(regPath, "/web"), map[string]any{
		"basis": "work_years", "education": "21", "years_in_occupation": "abc", "phone": "1380013", "employer": "广州市某某科技有限公司"})
	var apiErr struct {
		Error struct {
			Fields []domain.FieldError `json:"fields"`
		} `json:"error"`
	}
	res.JSON(t, &apiErr)
	if len(apiErr.Error.Fields) < 2 {
		t.Fatalf("API errors: %s", res.Body)
	}
	for _, f := range apiErr.Error.Fields {
		if !strings.Contains(webErrs, f.Message) {
			t.Errorf("the web form does not show the API's error %s: %q (web: %s)", f.Field, f.Message, webErrs)
		}
	}
	x.page("form_errors")

	// Right input: saved, with the employer warning that does not block.
	x.typeInto("#years_in_occupation", "6")
	x.typeInto("#phone", "13800138000")
	x.click(`button[value=save]`)
	x.sees("已保存", "工作单位预警", "知道了")
	x.page("form_saved")
	x.tap(`[data-dismiss=mismatch]`)
	if x.eval(`String(document.querySelector('#mismatch').hidden)`) != "true" {
		t.Fatal("知道了 did not close the warning")
	}

	// Attachments: a PDF and an image, then the rest of the checklist.
	items := strings.Split(x.eval(`Array.from(document.querySelectorAll('#item option')).map(o => o.value).join(',')`), ",")
	pdf := writeFile(t, "学历证明.pdf", pdfBytes)
	img := writeFile(t, "工作证明.png", pngBytes(t))
	for i, item := range items {
		file := pdf
		if i == 1 {
			file = img
		}
		x.do(chromedp.SetValue(chromedp.CSS("#item"), item), chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}))
		x.click("#upload button[type=submit]")
		x.waitFor(fmt.Sprintf(`document.querySelectorAll('table.files tbody tr td.fname').length === %d`, i+1))
		x.sees("附件已上传")
	}
	x.sees("学历证明.pdf", "工作证明.png", "查看", "删除")
	if n := x.eval(`String(document.querySelectorAll('table.files tbody tr').length)`); n != fmt.Sprint(len(items)) {
		t.Fatalf("%s attachments listed, want %d", n, len(items))
	}
	x.page("form_attachments")
	// 查看 serves the file to its candidate.
	href := x.eval(`document.querySelector('table.files a').href`)
	req, _ := http.NewRequest(http.MethodGet, href, nil)
	req.AddCookie(&http.Cookie{Name: "skillcert_web", Value: x.cookie("skillcert_web")})
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
		t.Fatalf("查看: %v %v", res, err)
	} else {
		res.Body.Close()
	}

	// Commitment and 提交, while the replica's only submit slot is taken
	// (an opening-morning crowd): 报名人数较多 with a 503 and Retry-After, the
	// typed form kept, and the page submits again by itself once a slot frees.
	release, err := app.Core.AdmitSubmit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	x.tap("#commitment_accepted")
	x.click(`button[value=submit]`)
	x.sees("报名人数较多，请稍后重试", "秒后自动重新提交")
	if a := x.eval(`document.querySelector('#busy-retry').getAttribute('data-attempt')`); a != "1" {
		t.Fatalf("busy attempt %q", a)
	}
	if x.eval(`String(document.querySelector('#commitment_accepted').checked)`) != "true" || x.value("#phone") != "13800138000" {
		t.Fatal("the busy answer lost what was typed")
	}
	// The same post, as the page makes it: 503 with a Retry-After of 1–3 s.
	answer := x.eval(`(function(){var f=new FormData(document.querySelector('#regform'));f.set('action','submit');` +
		`var r=new XMLHttpRequest();r.open('POST',document.querySelector('#regform').getAttribute('action'),false);r.send(f);` +
		`return r.status+' '+r.getResponseHeader('Retry-After')})()`)
	if answer != "503 1" && answer != "503 2" && answer != "503 3" {
		t.Fatalf("busy answer %q, want 503 with Retry-After 1–3", answer)
	}
	x.page("form_busy")
	release()
	x.waitForLong(`location.search.indexOf('ok=submitted') >= 0`, 30*time.Second)
	x.do(chromedp.WaitVisible(chromedp.CSS("main")))
	x.sees("报名已提交", "已提交（待审核）", "撤销报名", "人工智能训练师", "学历证明.pdf")
	x.page("record_submitted")

	// 报名记录.
	x.open("/web/registrations")
	x.sees("报名记录", "年人工智能训练师（二级/技师）职业技能等级认定", "已提交（待审核）")
	x.page("records")

	// Another registration, cancelled: a draft on a second plan.
	code2 := secondCode(t, app)
	x.open("/web/register")
	x.typeInto("#code", code2)
	x.click("form.code-form button")
	x.sees("评价计划确认")
	x.click("form.confirm-form button[type=submit]")
	x.sees("考生报名")
	x.open(strings.TrimSuffix(strings.TrimPrefix(x.location(), app.URL), "/form"))
	x.sees("未提交", "撤销报名")
	x.click("form[action$='/cancel'] button")
	x.sees("报名已撤销", "已撤销")
	x.page("record_cancelled")

	// Home shows nothing open now; the tab bar leads to the records.
	x.open("/web/")
	x.sees("待办事项", "暂无待办事项")
	x.page("home_signed_in")

	// 证书进度查询.
	x.open("/web/certificates")
	x.sees("证书进度查询")
	x.page("certificates")

	// 外部督导情况反馈, anonymous, with a photo.
	x.open("/web/feedback")
	x.sees("外部督导情况反馈", "匿名反馈", "现场照片")
	x.do(chromedp.SetValue(chromedp.CSS("#registration_id"), x.eval(`document.querySelector('#registration_id option:nth-child(2)').value`)),
		chromedp.SetValue(chromedp.CSS("#category"), x.eval(`document.querySelector('#category option:nth-child(2)').value`)),
		chromedp.SetUploadFiles(chromedp.CSS("#images"), []string{img}))
	x.typeInto("#content", "考场内有人使用手机，监考人员未制止，希望加强巡查。")
	x.tap("#anonymous")
	x.click("form[action='/web/feedback'] button[type=submit]")
	x.sees("反馈已提交", "考场内有人使用手机", "匿名", "1张照片")
	x.page("feedback")

	// 培训意向登记: a missing field first, then complete.
	x.open("/web/training")
	x.typeInto("#preferred_time", "周末")
	x.click("form[action='/web/training'] button[type=submit]")
	if v := x.value("#preferred_time"); v != "周末" {
		t.Fatalf("typed value lost: %q", v)
	}
	x.sees("请选择")
	x.do(chromedp.SetValue(chromedp.CSS("#occupation"), x.eval(`document.querySelector('#occupation option:nth-child(2)').value`)),
		chromedp.SetValue(chromedp.CSS("#level"), "3"),
		chromedp.SetValue(chromedp.CSS("#city"), x.eval(`document.querySelector('#city option:nth-child(2)').value`)))
	x.typeInto("#phone", "13900139000")
	x.tap("#contact_consent")
	x.click("form[action='/web/training'] button[type=submit]")
	x.sees("培训意向已登记", "三级/高级工", "周末", "同意联系")
	x.page("training")

	// 我的: identity masked, locked after the submit; sign out.
	x.open("/web/me")
	x.sees("身份信息", name, "身份信息已锁定", "退出登录")
	if strings.Contains(x.text(), idNumber) {
		t.Fatal("我的 shows the full ID number")
	}
	x.page("me")
	// 注销账号 is refused while a registration is in review, and says which.
	x.open("/web/me/delete")
	x.sees("注销后将删除", "依法保留", "导出我的数据")
	x.tap("#confirm")
	x.click("form[action='/web/me/delete'] button[type=submit]")
	x.sees("暂不能注销账号", "待审核", "身份信息")
	x.page("me_delete_refused")
	x.open("/web/me")
	x.click("form.logout button")
	x.sees("已退出登录", "微信扫码登录")
	x.open("/web/registrations")
	if !strings.Contains(x.location(), "/web/login") {
		t.Fatalf("signed out, the records still open: %s", x.location())
	}

	// The console would show the registration: core has it submitted.
	var status string
	if err := app.DB.R.Get(&status, "SELECT status FROM registrations WHERE id = ?", lastID(regPath)); err != nil || status != "submitted" {
		t.Fatalf("registration status %q %v", status, err)
	}
}

func lastID(p string) string { return p[strings.LastIndex(p, "/")+1:] }

// secondCode issues a code of another open plan of the demo's institution.
func secondCode(t *testing.T, app *testenv.App) string {
	t.Helper()
	ctx := context.Background()
	// An open plan other than 2501, of whichever institution runs it.
	var owners []int64
	if err := app.DB.R.Select(&owners, `SELECT DISTINCT institution_id FROM plans WHERE state = 'published' AND plan_no <> ?`, demo.PlanNo); err != nil {
		t.Fatal(err)
	}
	for _, inst := range owners {
		st := app.CreateStaff(t, fmt.Sprintf("inst%d", time.Now().UnixNano()%1e9), domain.RoleInstitution, inst, "")
		page, err := app.Core.ListStaffPlans(ctx, &st, core.PlanListQuery{State: "published", PageSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Items {
			if p.PlanNo != demo.PlanNo && p.StatusName == "报名中" {
				codes, err := app.Core.GenerateCodes(ctx, &st, p.ID, 1, "")
				if err != nil {
					t.Fatal(err)
				}
				return codes[0].Code
			}
		}
	}
	t.Fatal("no second open plan")
	return ""
}
