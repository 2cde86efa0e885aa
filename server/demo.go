package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"skillcert/demo"
	"skillcert/notify"
	"skillcert/wechat/fake"
)

// Demo mode (Config.DemoMode) runs the whole product on one machine with no
// WeChat account: the WeChat stand-in (wechat/fake) serves on its own loopback
// port inside the process and the WeChat adapter is pointed at it, with demo app
// ids, a demo official-account token and AES key (kept in <data>/demo.json, which
// `skillcert chat` reads) and demo template ids, so sign-in, phone numbers,
// pushes and the official-account chat all go through the real SDK. Its login
// codes "dev-<name>" sign anyone in as anyone: demo mode is never on with a
// WECHAT_* variable, on MySQL or with SKILLCERT_DEMO=false, and listens on
// loopback only unless SKILLCERT_DEMO_PUBLIC.

// DemoFileName is demo mode's file in the data folder.
const DemoFileName = "demo.json"

// DemoFile is <data>/demo.json: the demo official account's message-server
// secrets (made on first start and kept) and where the running demo server and
// its WeChat stand-in listen (rewritten at each start). Readable by its owner only.
type DemoFile struct {
	MPAppID   string `json:"mp_appid"`
	OAAppID   string `json:"oa_appid"`
	OAToken   string `json:"oa_token"`
	OAAESKey  string `json:"oa_aes_key"`
	URL       string `json:"url,omitempty"`        // the server, once listening
	WeChatURL string `json:"wechat_url,omitempty"` // the WeChat stand-in
}

// ReadDemoFile reads <dataDir>/demo.json.
func ReadDemoFile(dataDir string) (DemoFile, error) {
	var f DemoFile
	b, err := os.ReadFile(filepath.Join(dataDir, DemoFileName))
	if err != nil {
		return f, err
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return f, fmt.Errorf("%s: %w", filepath.Join(dataDir, DemoFileName), err)
	}
	return f, nil
}

// The demo apps' ids.
const (
	DemoMPAppID = "wx-demo-miniprogram"
	DemoOAAppID = "wx-demo-officialaccount"
)

// DemoMode is demo mode's running parts (App.DemoMode; nil outside demo mode).
type DemoMode struct {
	// WeChat is the in-process WeChat stand-in; WeChatURL its base URL.
	WeChat    *fake.Server
	WeChatURL string

	dir     string
	file    DemoFile
	srv     *http.Server
	mu      sync.Mutex
	staff   []demo.Account // made at this start, with passwords; cleared once shown
	shown   bool
	stopped sync.Once
}

// startDemo loads or makes the demo secrets and starts the WeChat stand-in on a
// loopback port.
func startDemo(dataDir string, logf func(string, ...any)) (*DemoMode, error) {
	f, err := ReadDemoFile(dataDir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if f.OAToken == "" || len(f.OAAESKey) != 43 {
		f = DemoFile{OAToken: randomHex(16), OAAESKey: randomAESKey()}
	}
	f.MPAppID, f.OAAppID, f.URL = DemoMPAppID, DemoOAAppID, ""
	fk := fake.New(fake.Options{MPAppID: f.MPAppID, MPSecret: randomHex(16), OAAppID: f.OAAppID, OASecret: randomHex(16),
		DevCodes: true, AdminAPI: true, ConsentOnRequest: true, Logf: logf})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo mode: WeChat stand-in: %w", err)
	}
	d := &DemoMode{WeChat: fk, WeChatURL: "http://" + ln.Addr().String(), dir: dataDir, file: f,
		srv: &http.Server{Handler: fk, ReadHeaderTimeout: 5 * time.Second}}
	go func() { _ = d.srv.Serve(ln) }()
	// demo.json is written once the server listens (listening): a start that
	// fails, e.g. on a port in use, leaves a running demo server's file alone.
	d.file.WeChatURL = d.WeChatURL
	return d, nil
}

// weChatConfig is the adapter's configuration for the stand-in.
func (d *DemoMode) weChatConfig() WeChatConfig {
	o := d.WeChat.Options()
	return WeChatConfig{MPAppID: o.MPAppID, MPSecret: o.MPSecret, OAAppID: o.OAAppID, OASecret: o.OASecret,
		OAToken: d.file.OAToken, OAAESKey: d.file.OAAESKey, APIBase: d.WeChatURL}
}

// save writes demo.json (owner-only), atomically.
func (d *DemoMode) save() error {
	if err := os.MkdirAll(d.dir, 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(d.file, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(d.dir, ".demo-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(d.dir, DemoFileName))
}

// listening writes demo.json with the server's URL and the secrets, for
// `skillcert chat` and `skillcert demo outbox`.
func (d *DemoMode) listening(url string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.file.URL = url
	return d.save()
}

// stop closes the stand-in.
func (d *DemoMode) stop() {
	d.stopped.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = d.srv.Shutdown(ctx)
	})
}

// demoTemplates gives every event kind a demo template id on both channels (the
// stand-in accepts any id), over SKILLCERT_NOTIFY_TEMPLATES' field mappings.
func demoTemplates(base *notify.Templates) *notify.Templates {
	for kind, e := range base.Events {
		if e.Subscribe.TemplateID == "" {
			e.Subscribe.TemplateID = "demo-subscribe-" + kind
		}
		if e.Official.TemplateID == "" {
			e.Official.TemplateID = "demo-official-" + kind
		}
		base.Events[kind] = e
	}
	return base
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// randomAESKey is a new EncodingAESKey: 32 random bytes in base64, without the
// trailing "=" (43 characters).
func randomAESKey() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return strings.TrimRight(base64.StdEncoding.EncodeToString(b), "=")
}

// DemoStaffUsernames are the demo console accounts' usernames.
var DemoStaffUsernames = []string{demo.AdminUser, demo.InstitutionUser, demo.SupervisorUser}

// hasRoute tells whether the server serves a route under prefix (the candidate
// web pages at /web/ once they exist).
func (a *App) hasRoute(prefix string) bool {
	for _, r := range a.Echo.Routes() {
		if strings.HasPrefix(r.Path, prefix) {
			return true
		}
	}
	return false
}

// printDemoGuide writes the start-up guide of demo mode: where to go, the demo
// accounts (passwords only on the start that made them; then forgotten), the
// registration code and the chat command. Chinese first, English after.
func (a *App) printDemoGuide(w io.Writer, url string) {
	d := a.DemoMode
	d.mu.Lock()
	staff := d.staff
	d.staff, d.shown = nil, true
	d.mu.Unlock()

	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	rule := strings.Repeat("=", 72)
	line("")
	line(rule)
	line(" skillcert 演示模式 (demo mode)")
	line(rule)
	line(" 微信由进程内的模拟服务代替，登录码 dev-<任意名字> 可以任何身份登录，所以只在本机可访问。")
	line(" WeChat is simulated in-process; login codes dev-<any name> sign anyone in as anyone.")
	line("")
	line(" 首页 Front page          %s/", url)
	if a.hasRoute("/web/") {
		line(" 考生网页版 Candidates     %s/web/", url)
	}
	line(" 接口 API                 %s/api/v1/   (登录 sign in: POST /api/v1/auth/login {\"code\":\"dev-zhangsan\"})", url)
	line(" 演示报名码 Demo code     %s   (评价计划 %s 人工智能训练师 二级/技师，%s)", demo.Code, demo.PlanNo, demo.Institution)
	line("")
	line(" 管理后台 Console         %s/console/login", url)
	if len(staff) > 0 {
		for _, s := range staff {
			line("   %-9s 密码 password  %s   %s（%s）", s.Username, s.Password, s.Role.Name(), s.Scope)
		}
		line("   密码只显示这一次，请现在记下。The passwords are shown this once only: note them now.")
	} else {
		line("   账号 accounts: %s（密码已在首次启动时显示 / shown on the first start only;", strings.Join(DemoStaffUsernames, ", "))
		line("   忘记了可删除数据目录 %s 重新开始 / forgot them? delete that data folder and start again)", a.Cfg.DataDir)
	}
	line("")
	line(" 以考生身份在公众号对话中报名 Register by chat as a candidate (second terminal):")
	line("   go run ./cmd/skillcert chat")
	line("   然后输入 then type: 报名 → %s → 1 → 按提示回答 answer → /upload → 提交", demo.Code)
	line(" 推送的消息 Pushed notifications:  go run ./cmd/skillcert demo outbox   或 or  %s/demo/outbox", url)
	line(rule)
	_, _ = io.WriteString(w, b.String())
}
