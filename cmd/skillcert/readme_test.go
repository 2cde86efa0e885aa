package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"skillcert/demo"
	"skillcert/internal/browsertest"
	"skillcert/server"
)

// The README's first command, followed as a newcomer would: `skillcert` on an
// empty data folder starts in demo mode, prints the guide with the console
// passwords once, and then the README's steps work — the chat registration
// typed exactly as the README lists it (`skillcert chat`, no flags), the push
// it causes in `skillcert demo outbox`, the institution's console sign-in with
// the printed password showing and approving that registration, and the
// README's curl block (API sign-in with a dev code, lookup, draft, save,
// upload, submit) run by bash. A restart never shows the passwords again.
func TestREADMEFirstCommand(t *testing.T) {
	readme := readREADME(t)
	dir := t.TempDir()
	clearWeChatEnv(t)
	t.Setenv("SKILLCERT_DATA_DIR", dir)
	t.Setenv("SKILLCERT_DB", "")
	t.Setenv("SKILLCERT_DEMO", "")
	t.Setenv("SKILLCERT_DEMO_PLANS", "40")
	t.Setenv("SKILLCERT_PASSWORD_COST", "4") // the race detector makes bcrypt's default cost slow
	t.Setenv("SKILLCERT_BASE_URL", "")
	t.Setenv("SKILLCERT_ACCESS_LOG", "")

	srv := startServe(t)
	guide := srv.waitGuide(t)
	for _, want := range []string{"演示模式", srv.url + "/", srv.url + "/console/login", demo.Code,
		"go run ./cmd/skillcert chat", "go run ./cmd/skillcert demo outbox", "shown this once only"} {
		if !strings.Contains(guide, want) {
			t.Fatalf("the start-up guide lacks %q:\n%s", want, guide)
		}
	}
	passwords := guidePasswords(t, guide)
	if !strings.Contains(srv.log.String(), "demo mode listens on loopback only") {
		t.Fatalf("no loopback log line:\n%s", srv.log.String())
	}

	// The front page, the API index, readiness and metrics.
	if body := get(t, srv.url+"/", http.StatusOK); !strings.Contains(body, "职业技能等级认定") || !strings.Contains(body, `href="/web/"`) ||
		!strings.Contains(body, `href="/console/"`) || !strings.Contains(body, `href="/docs/API.md"`) || !strings.Contains(body, "演示模式") {
		t.Fatalf("front page:\n%s", body)
	}
	if body := get(t, srv.url+"/api/v1/", http.StatusOK); !strings.Contains(body, `"path":"/api/v1/registration-codes/lookup"`) {
		t.Fatalf("API index: %s", body)
	}
	if body := get(t, srv.url+"/readyz", http.StatusOK); !strings.Contains(body, `"demo_mode":true`) {
		t.Fatalf("readyz: %s", body)
	}
	if body := getMetrics(t, srv.url); !strings.Contains(body, "skillcert_demo_mode 1") {
		t.Fatal("metrics lack skillcert_demo_mode 1")
	}

	// Step 1: the chat, with the README's lines, no flags.
	script := readmeBlock(t, readme, "<!-- demo-chat-script")
	var chatOut bytes.Buffer
	if code := run(context.Background(), []string{"chat"}, strings.NewReader(script), &chatOut, &chatOut); code != 0 {
		t.Fatalf("skillcert chat: exit %d\n%s", code, chatOut.String())
	}
	for _, want := range []string{"关联成功", "评价计划编号：2501", "已创建报名草稿", "已保存 所在单位：广州岭南科技有限公司",
		"已上传示例文件", "报名已提交", "已提交（待审核）", "报名记录（共1条）"} {
		if !strings.Contains(chatOut.String(), want) {
			t.Fatalf("the chat lacks %q:\n%s", want, chatOut.String())
		}
	}
	if !strings.Contains(readme, "报名已提交！…当前状态：已提交（待审核）") {
		t.Fatal("the README no longer says what the chat answers")
	}

	// -bind NAME links another demo candidate, with an identity of its own.
	chatOut.Reset()
	if code := run(context.Background(), []string{"chat", "-bind", "wangwu"}, strings.NewReader("记录\n/quit\n"), &chatOut, &chatOut); code != 0 ||
		!strings.Contains(chatOut.String(), "关联成功") || !strings.Contains(chatOut.String(), "dev-wangwu") ||
		strings.Contains(chatOut.String(), "报名记录（共1条）") {
		t.Fatalf("skillcert chat -bind wangwu: exit %d\n%s", code, chatOut.String())
	}

	// Step 2: the push it caused.
	outbox := waitOutbox(t, "已提交", 1)
	if !strings.Contains(outbox, "公众号模板消息") || !strings.Contains(outbox, "人工智能训练师") || !strings.Contains(outbox, "请等待评价机构审核") {
		t.Fatalf("outbox after submit:\n%s", outbox)
	}

	// Step 3: the institution signs in with the printed password, sees 张三's
	// registration and approves it; the approval is pushed.
	planID := demoPlanID(t, srv.url)
	cc := newConsole(srv.url)
	cc.login(t, demo.InstitutionUser, passwords[demo.InstitutionUser])
	list := cc.get(t, fmt.Sprintf("/console/plans/%d/registrations", planID))
	m := regexp.MustCompile(fmt.Sprintf(`/console/plans/%d/registrations/(\d+)`, planID)).FindStringSubmatch(list)
	if !strings.Contains(list, "张三") || m == nil {
		t.Fatalf("the console does not show the chat's registration:\n%s", list)
	}
	regLink := m[0]
	regPage := cc.get(t, m[0])
	if p := cc.post(t, m[0]+"/review", url.Values{"action": {"approve"}}); p != http.StatusSeeOther {
		t.Fatalf("approve: %d\n%s", p, regPage)
	}
	if outbox := waitOutbox(t, "审核通过", 2); !strings.Contains(outbox, "registration.approved") {
		t.Fatalf("outbox after approval:\n%s", outbox)
	}
	// The other accounts' passwords work too.
	newConsole(srv.url).login(t, demo.AdminUser, passwords[demo.AdminUser])
	newConsole(srv.url).login(t, demo.SupervisorUser, passwords[demo.SupervisorUser])

	// Step 4: the README's curl block, run by bash against this server.
	runCurlBlock(t, readme, srv.url)
	reg := lastRegistrationOf(t, srv.url, "lihua")
	if reg != "submitted" {
		t.Fatalf("the README's API steps left the registration %q", reg)
	}
	// The institution sees that one too.
	list = cc.get(t, fmt.Sprintf("/console/plans/%d/registrations", planID))
	if !strings.Contains(list, "李华") {
		t.Fatalf("the console does not show the API's registration:\n%s", list)
	}
	// A mini-program candidate who allowed the subscribe message gets the
	// approval as one, through the stand-in.
	lihua := signIn(t, srv.url, "lihua")
	var meta struct {
		Templates []struct {
			Event      string `json:"event"`
			TemplateID string `json:"template_id"`
		} `json:"subscribe_templates"`
	}
	if err := apiCall(context.Background(), srv.url, "", http.MethodGet, "/api/v1/meta", nil, &meta); err != nil {
		t.Fatal(err)
	}
	tmpl := ""
	for _, m := range meta.Templates {
		if m.Event == "registration.approved" {
			tmpl = m.TemplateID
		}
	}
	if tmpl == "" {
		t.Fatalf("no subscribe template for registration.approved: %+v", meta)
	}
	if err := apiCall(context.Background(), srv.url, lihua, http.MethodPost, "/api/v1/me/subscriptions",
		map[string]any{"results": map[string]string{tmpl: "accept"}}, nil); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, m := range regexp.MustCompile(fmt.Sprintf(`/console/plans/%d/registrations/\d+`, planID)).FindAllString(list, -1) {
		if m != regLink {
			ids = append(ids, m)
		}
	}
	if len(ids) == 0 {
		t.Fatalf("no second registration in the console:\n%s", list)
	}
	cc.get(t, ids[0])
	if p := cc.post(t, ids[0]+"/review", url.Values{"action": {"approve"}}); p != http.StatusSeeOther {
		t.Fatalf("approve the API's registration: %d", p)
	}
	if outbox := waitOutbox(t, "小程序订阅消息", 3); !strings.Contains(outbox, tmpl) {
		t.Fatalf("outbox after the second approval:\n%s", outbox)
	}

	// The front page and the outbox as a newcomer sees them, on a phone and a
	// laptop: accessible, screenshots in $SKILLCERT_SCREENSHOTS (else a temp dir).
	shots := os.Getenv("SKILLCERT_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	for _, size := range []browsertest.Size{browsertest.Phone, browsertest.Laptop} {
		ctx := browsertest.New(t, size)
		for _, page := range []struct{ path, name, want string }{
			{"/", "front", "演示模式"}, {"/demo/outbox", "outbox", "审核通过"},
		} {
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.url+page.path)); err != nil {
				t.Fatal(err)
			}
			text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text, page.want) {
				t.Fatalf("%s lacks %q:\n%s", page.path, page.want, text)
			}
			browsertest.RequireAccessible(t, ctx, page.path)
			browsertest.Screenshot(t, ctx, shots, page.name+"-"+size.String())
		}
	}

	// A restart keeps the accounts but never shows their passwords again.
	srv.stop(t)
	srv2 := startServe(t)
	guide2 := srv2.waitGuide(t)
	for _, pw := range passwords {
		if strings.Contains(guide2, pw) || strings.Contains(srv2.log.String(), pw) {
			t.Fatal("a password was shown again on restart")
		}
	}
	if !strings.Contains(guide2, "shown on the first start only") {
		t.Fatalf("second guide:\n%s", guide2)
	}
	newConsole(srv2.url).login(t, demo.InstitutionUser, passwords[demo.InstitutionUser])
	// The passwords are stored hashed, never in clear.
	for _, name := range []string{"skillcert.db", server.DemoFileName} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, pw := range passwords {
			if bytes.Contains(b, []byte(pw)) {
				t.Fatalf("%s holds a password in clear", name)
			}
		}
	}
	srv2.stop(t)
}

// TestDemoModeIsOffWithWeChatSettings: with a WECHAT_* variable set the same
// first command is not in demo mode (no stand-in, no accounts, no guide).
func TestDemoModeIsOffWithWeChatSettings(t *testing.T) {
	dir := t.TempDir()
	clearWeChatEnv(t)
	t.Setenv("SKILLCERT_DATA_DIR", dir)
	t.Setenv("SKILLCERT_DB", "")
	t.Setenv("SKILLCERT_DEMO_PLANS", "5")
	t.Setenv("SKILLCERT_ACCESS_LOG", "false")
	t.Setenv("WECHAT_OA_TOKEN", "a-real-token")
	srv := startServe(t)
	waitReady(t, srv.url)
	get(t, srv.url+"/metrics", http.StatusNotFound) // not public: only behind the token
	if body := getMetrics(t, srv.url); !strings.Contains(body, "skillcert_demo_mode 0") {
		t.Fatal("metrics lack skillcert_demo_mode 0")
	}
	if body := get(t, srv.url+"/readyz", http.StatusOK); !strings.Contains(body, `"demo_mode":false`) {
		t.Fatalf("readyz: %s", body)
	}
	get(t, srv.url+"/demo/outbox", http.StatusNotFound)
	if body := get(t, srv.url+"/", http.StatusOK); strings.Contains(body, "演示模式") {
		t.Fatal("the front page claims demo mode")
	}
	if _, err := os.Stat(filepath.Join(dir, server.DemoFileName)); !os.IsNotExist(err) {
		t.Fatalf("demo.json written outside demo mode: %v", err)
	}
	srv.stop(t)
	if strings.Contains(srv.log.String(), "演示模式") || strings.Contains(srv.log.String(), "密码") {
		t.Fatalf("a demo guide was printed:\n%s", srv.log.String())
	}
	var chatOut bytes.Buffer
	t.Setenv("WECHAT_OA_TOKEN", "")
	if code := run(context.Background(), []string{"chat"}, strings.NewReader("/quit\n"), &chatOut, &chatOut); code == 0 ||
		!strings.Contains(chatOut.String(), "start the demo server first") {
		t.Fatalf("chat without a demo server: exit %d %s", code, chatOut.String())
	}
}

// clearWeChatEnv unsets every WECHAT_* variable for the test.
func clearWeChatEnv(t *testing.T) {
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "WECHAT_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
}

// syncBuffer is a bytes.Buffer for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveProc is `skillcert` (serve) running in the test.
type serveProc struct {
	url    string
	log    *syncBuffer
	cancel context.CancelFunc
	done   chan int
}

// startServe runs `skillcert` on a free loopback port.
func startServe(t *testing.T) *serveProc {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	t.Setenv("SKILLCERT_ADDR", addr)
	// /metrics: no listener on the fixed default port in tests; on the service's
	// address behind a token instead (getMetrics).
	t.Setenv("SKILLCERT_METRICS_ADDR", "off")
	t.Setenv("SKILLCERT_METRICS_TOKEN", testMetricsToken)
	ctx, cancel := context.WithCancel(context.Background())
	p := &serveProc{url: "http://" + addr, log: &syncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	go func() { p.done <- run(ctx, nil, nil, p.log, p.log) }()
	t.Cleanup(func() { p.cancel(); <-p.done })
	return p
}

func (p *serveProc) stop(t *testing.T) {
	t.Helper()
	p.cancel()
	select {
	case code := <-p.done:
		p.done <- code
		if code != 0 {
			t.Fatalf("serve exit %d:\n%s", code, p.log.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// waitGuide waits for the demo guide's closing rule and returns the guide.
func (p *serveProc) waitGuide(t *testing.T) string {
	t.Helper()
	rule := strings.Repeat("=", 72)
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		s := p.log.String()
		if i := strings.Index(s, rule); i >= 0 && strings.Count(s[i:], rule) >= 3 {
			return s[i:]
		}
		select {
		case code := <-p.done:
			p.done <- code
			t.Fatalf("serve exited %d:\n%s", code, s)
		default:
		}
	}
	t.Fatalf("no demo guide:\n%s", p.log.String())
	return ""
}

var passwordLine = regexp.MustCompile(`(?m)^\s+(\w+)\s+密码 password\s+(\S+)`)

// guidePasswords reads the accounts' passwords from the guide.
func guidePasswords(t *testing.T, guide string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range passwordLine.FindAllStringSubmatch(guide, -1) {
		out[m[1]] = m[2]
	}
	for _, u := range server.DemoStaffUsernames {
		if out[u] == "" {
			t.Fatalf("no password for %s in the guide:\n%s", u, guide)
		}
	}
	return out
}

func get(t *testing.T, u string, want int) string {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d: %s", u, res.StatusCode, want, b)
	}
	return string(b)
}

func waitReady(t *testing.T, base string) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
	}
	t.Fatal("the server did not get ready")
}

// readREADME reads the repository's README.md.
func readREADME(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// readmeBlock returns the first fenced block after marker, without its fences
// and with the README's list indentation removed.
func readmeBlock(t *testing.T, readme, marker string) string {
	t.Helper()
	i := strings.Index(readme, marker)
	if i < 0 {
		t.Fatalf("README lacks %q", marker)
	}
	rest := readme[i:]
	start := strings.Index(rest, "```")
	if start < 0 {
		t.Fatalf("no block after %q", marker)
	}
	rest = rest[start:]
	rest = rest[strings.Index(rest, "\n")+1:]
	end := strings.Index(rest, "```")
	var lines []string
	for _, l := range strings.Split(rest[:end], "\n") {
		lines = append(lines, strings.TrimPrefix(l, "   "))
	}
	return strings.Join(lines, "\n")
}

// waitOutbox runs `skillcert demo outbox` until it lists n messages and the
// text want.
func waitOutbox(t *testing.T, want string, n int) string {
	t.Helper()
	var out bytes.Buffer
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		out.Reset()
		if code := run(context.Background(), []string{"demo", "outbox"}, nil, &out, &out); code != 0 {
			t.Fatalf("skillcert demo outbox: exit %d: %s", code, out.String())
		}
		if strings.Contains(out.String(), fmt.Sprintf("%d 条已推送的消息", n)) && strings.Contains(out.String(), want) {
			return out.String()
		}
	}
	t.Fatalf("the outbox never listed %d messages with %q:\n%s", n, want, out.String())
	return ""
}

// demoPlanID finds plan 2501 through the public API.
func demoPlanID(t *testing.T, base string) int64 {
	t.Helper()
	var page struct {
		Items []struct {
			ID     int64  `json:"id"`
			PlanNo string `json:"plan_no"`
		} `json:"items"`
	}
	body := get(t, base+"/api/v1/plans?occupation="+url.QueryEscape("人工智能训练师")+"&level=2&page_size=100", http.StatusOK)
	if err := json.Unmarshal([]byte(body), &page); err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Items {
		if p.PlanNo == demo.PlanNo {
			return p.ID
		}
	}
	t.Fatalf("plan 2501 not found: %s", body)
	return 0
}

// runCurlBlock runs the README's curl block with bash, its B= line pointed at base.
func runCurlBlock(t *testing.T, readme, base string) {
	t.Helper()
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is needed to run the README's curl steps", tool)
			}
			t.Skipf("%s not installed: the README's curl steps are not run", tool)
		}
	}
	block := readmeBlock(t, readme, "**The same through the API**")
	if !strings.Contains(block, "B=http://127.0.0.1:8080") {
		t.Fatalf("the README's curl block no longer sets B:\n%s", block)
	}
	block = strings.Replace(block, "B=http://127.0.0.1:8080", "B="+base, 1)
	block = strings.ReplaceAll(block, "/tmp/sample.pdf", filepath.Join(t.TempDir(), "sample.pdf"))
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", block)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README's curl steps: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), `"已提交（待审核）"`) {
		t.Fatalf("the README's curl steps did not end submitted:\n%s", out)
	}
}

// signIn signs dev user name in through the API and returns the session token.
func signIn(t *testing.T, base, name string) string {
	t.Helper()
	var login struct {
		Token string `json:"token"`
	}
	if err := apiCall(context.Background(), base, "", http.MethodPost, "/api/v1/auth/login", map[string]string{"code": "dev-" + name}, &login); err != nil {
		t.Fatal(err)
	}
	return login.Token
}

// lastRegistrationOf signs dev user name in again and returns the status of its
// newest registration.
func lastRegistrationOf(t *testing.T, base, name string) string {
	t.Helper()
	token := signIn(t, base, name)
	var regs struct {
		Items []struct {
			Status string `json:"status"`
		} `json:"items"`
	}
	if err := apiCall(context.Background(), base, token, http.MethodGet, "/api/v1/registrations", nil, &regs); err != nil {
		t.Fatal(err)
	}
	if len(regs.Items) == 0 {
		t.Fatalf("dev-%s has no registration", name)
	}
	return regs.Items[0].Status
}

// console is a browser-like console client: cookies, CSRF token, no redirects.
type console struct {
	base    string
	jar     map[string]string
	csrf    string
	noRedir *http.Client
}

func newConsole(base string) *console {
	return &console{base: base, jar: map[string]string{}, noRedir: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *console) do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	for k, v := range c.jar {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := c.noRedir.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	for _, ck := range res.Cookies() {
		c.jar[ck.Name] = ck.Value
	}
	if m := csrfRe.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return res.StatusCode, string(b)
}

func (c *console) get(t *testing.T, path string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	code, body := c.do(t, req)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, code, body)
	}
	return body
}

func (c *console) post(t *testing.T, path string, form url.Values) int {
	t.Helper()
	form.Set("csrf", c.csrf)
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	code, _ := c.do(t, req)
	return code
}

// login signs in through the form, as a browser on plain HTTP would (the demo's
// session cookie is not Secure, or the browser would not send it back).
func (c *console) login(t *testing.T, user, password string) {
	t.Helper()
	c.get(t, "/console/login")
	req, _ := http.NewRequest(http.MethodPost, c.base+"/console/login",
		strings.NewReader(url.Values{"username": {user}, "password": {password}, "csrf": {c.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range c.jar {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := c.noRedir.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("console sign-in as %s: %d", user, res.StatusCode)
	}
	for _, ck := range res.Cookies() {
		if ck.Secure {
			t.Fatalf("cookie %s is Secure: a browser on http://127.0.0.1 drops it", ck.Name)
		}
		c.jar[ck.Name] = ck.Value
	}
	c.get(t, res.Header.Get("Location"))
}

const testMetricsToken = "readme-test-metrics-token-0123"

// getMetrics reads /metrics with the test's token.
func getMetrics(t *testing.T, base string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+testMetricsToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("metrics: %d %s", res.StatusCode, b)
	}
	return string(b)
}
