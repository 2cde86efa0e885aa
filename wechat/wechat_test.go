package wechat_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"skillcert/wechat"
	"skillcert/wechat/fake"
)

// These tests run the real SDK through the adapter against wechat/fake over real
// HTTP. InstallHTTPClient is process-wide, so they do not run in parallel.

type env struct {
	fake   *fake.Server
	srv    *httptest.Server
	client *wechat.Client
}

func baseConfig(apiBase string) wechat.Config {
	return wechat.Config{
		MPAppID: fake.DefaultMPAppID, MPSecret: fake.DefaultMPSecret,
		OAAppID: fake.DefaultOAAppID, OASecret: fake.DefaultOASecret,
		OAToken: "callback-token",
		APIBase: apiBase, Timeout: 3 * time.Second,
	}
}

func newEnv(t *testing.T, opts fake.Options) *env {
	t.Helper()
	f := fake.New(opts)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := wechat.New(baseConfig(srv.URL), nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &env{fake: f, srv: srv, client: c}
}

// wantErr checks that err is an *wechat.Error of class (and errcode, when code != 0).
func wantErr(t *testing.T, err error, class wechat.Class, code int) *wechat.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s error, got nil", class)
	}
	var e *wechat.Error
	if !errors.As(err, &e) {
		t.Fatalf("want *wechat.Error, got %T: %v", err, err)
	}
	if e.Class != class || wechat.Classify(err) != class {
		t.Fatalf("want class %s, got %s (%v)", class, e.Class, err)
	}
	if code != 0 && e.Code != code {
		t.Fatalf("want errcode %d, got %d (%v)", code, e.Code, err)
	}
	return e
}

func noSecrets(t *testing.T, err error) {
	t.Helper()
	for _, s := range []string{fake.DefaultMPSecret, fake.DefaultOASecret, "FAKE_AT_"} {
		if strings.Contains(err.Error(), s) {
			t.Fatalf("error text leaks %q: %v", s, err)
		}
	}
}

func TestLoginNewInvalidReused(t *testing.T) {
	e := newEnv(t, fake.Options{})
	ctx := context.Background()
	e.fake.RegisterCode("code-1", "o-user-1", "u-user-1")

	s, err := e.client.Code2Session(ctx, "code-1")
	if err != nil {
		t.Fatalf("Code2Session: %v", err)
	}
	if s.OpenID != "o-user-1" || s.UnionID != "u-user-1" || s.SessionKey == "" {
		t.Fatalf("session = %+v", s)
	}
	if strings.Contains(s.String(), s.SessionKey) {
		t.Fatalf("Session.String shows the session key: %s", s)
	}

	_, err = e.client.Code2Session(ctx, "code-1")
	wantErr(t, err, wechat.ClassInvalidCode, 40163)

	_, err = e.client.Code2Session(ctx, "never-issued")
	noSecrets(t, wantErr(t, err, wechat.ClassInvalidCode, 40029))

	calls := e.fake.Calls(fake.PathCode2Session)
	for _, bad := range []string{"", "x&appid=other", "a b", strings.Repeat("a", 300)} {
		_, err = e.client.Code2Session(ctx, bad)
		wantErr(t, err, wechat.ClassInvalidCode, 0)
	}
	if got := e.fake.Calls(fake.PathCode2Session); got != calls {
		t.Fatalf("malformed codes reached WeChat: %d calls, want %d", got, calls)
	}
}

func TestLoginUnionIDOptional(t *testing.T) {
	e := newEnv(t, fake.Options{})
	e.fake.RegisterCode("c", "o-only", "")
	s, err := e.client.Code2Session(context.Background(), "c")
	if err != nil || s.OpenID != "o-only" || s.UnionID != "" {
		t.Fatalf("got %+v, %v", s, err)
	}
}

func TestLoginDevCodes(t *testing.T) {
	e := newEnv(t, fake.Options{DevCodes: true})
	ctx := context.Background()
	a, err := e.client.Code2Session(ctx, "dev-alice")
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.client.Code2Session(ctx, "dev-alice")
	if err != nil {
		t.Fatal(err)
	}
	if a.OpenID != b.OpenID || a.UnionID != b.UnionID {
		t.Fatalf("dev code not stable: %+v vs %+v", a, b)
	}
	if a.OpenID != fake.DevOpenID(fake.DefaultMPAppID, "alice") || a.UnionID != fake.DevUnionID("alice") {
		t.Fatalf("dev ids differ from DevOpenID/DevUnionID: %+v", a)
	}
}

func TestWeChatDown(t *testing.T) {
	f := fake.New(fake.Options{})
	srv := httptest.NewServer(f)
	url := srv.URL
	srv.Close()
	c, err := wechat.New(baseConfig(url), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, err = c.Code2Session(ctx, "code-1")
	noSecrets(t, wantErr(t, err, wechat.ClassRetryLater, 0))
	_, err = c.PhoneNumber(ctx, "phone-code")
	noSecrets(t, wantErr(t, err, wechat.ClassRetryLater, 0))
	err = c.SendSubscribe(ctx, wechat.SubscribeMessage{ToOpenID: "o", TemplateID: "t", Data: map[string]string{"thing1": "x"}})
	noSecrets(t, wantErr(t, err, wechat.ClassRetryLater, 0))
}

func TestTimeoutIsRetryLater(t *testing.T) {
	f := fake.New(fake.Options{})
	srv := httptest.NewServer(f)
	defer srv.Close()
	cfg := baseConfig(srv.URL)
	cfg.Timeout = 150 * time.Millisecond
	c, err := wechat.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.SetLatency(2 * time.Second)
	f.RegisterCode("slow", "o", "")
	start := time.Now()
	_, err = c.Code2Session(context.Background(), "slow")
	wantErr(t, err, wechat.ClassRetryLater, 0)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want errors.Is DeadlineExceeded: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("timeout not applied: took %s", d)
	}
}

func TestCanceledContext(t *testing.T) {
	e := newEnv(t, fake.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.client.Code2Session(ctx, "code")
	wantErr(t, err, wechat.ClassRetryLater, 0)
	err = e.client.SendCustomText(ctx, "o", "hi")
	wantErr(t, err, wechat.ClassRetryLater, 0)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want errors.Is Canceled: %v", err)
	}
}

func TestPhoneNumber(t *testing.T) {
	e := newEnv(t, fake.Options{})
	ctx := context.Background()
	e.fake.RegisterPhoneCode("p1", "13800138000")
	e.fake.RegisterPhoneCode("p2", "13900139000")
	got, err := e.client.PhoneNumber(ctx, "p1")
	if err != nil || got != "13800138000" {
		t.Fatalf("PhoneNumber = %q, %v", got, err)
	}
	got, err = e.client.PhoneNumber(ctx, "p2")
	if err != nil || got != "13900139000" {
		t.Fatalf("PhoneNumber = %q, %v", got, err)
	}
	_, err = e.client.PhoneNumber(ctx, "p1")
	wantErr(t, err, wechat.ClassInvalidCode, 40029)
	if n := e.fake.Calls(fake.PathStableToken); n != 1 {
		t.Fatalf("stable_token fetched %d times, want 1 (cached)", n)
	}
	if n := e.fake.Calls(fake.PathToken); n != 0 {
		t.Fatalf("ordinary token endpoint used %d times: stable tokens expected", n)
	}
}

func subscribeMsg(to string, data map[string]string) wechat.SubscribeMessage {
	return wechat.SubscribeMessage{
		ToOpenID: to, TemplateID: "tpl-review", Page: "pages/reg/detail?id=7", Data: data,
	}
}

var okData = map[string]string{
	"thing1":            "电工四级评价计划",
	"phrase2":           "审核通过",
	"time3":             "2025年11月13日 09:00",
	"character_string4": "2501",
}

func TestSubscribeConsent(t *testing.T) {
	e := newEnv(t, fake.Options{})
	ctx := context.Background()

	err := e.client.SendSubscribe(ctx, subscribeMsg("o-1", okData))
	wantErr(t, err, wechat.ClassNoConsent, 43101)

	e.fake.GrantSubscribe("o-1", "tpl-review", 1)
	if err := e.client.SendSubscribe(ctx, subscribeMsg("o-1", okData)); err != nil {
		t.Fatalf("send with credit: %v", err)
	}
	err = e.client.SendSubscribe(ctx, subscribeMsg("o-1", okData))
	wantErr(t, err, wechat.ClassNoConsent, 43101)

	sent := e.fake.Sent()
	if len(sent) != 1 {
		t.Fatalf("sent %d messages, want 1", len(sent))
	}
	m := sent[0]
	if m.Kind != fake.KindSubscribe || m.ToOpenID != "o-1" || m.TemplateID != "tpl-review" ||
		m.Page != "pages/reg/detail?id=7" || m.MiniprogramState != "formal" || m.Data["time3"] != okData["time3"] {
		t.Fatalf("recorded %+v", m)
	}
}

func TestSubscribeFieldLimit(t *testing.T) {
	e := newEnv(t, fake.Options{})
	ctx := context.Background()
	e.fake.GrantSubscribe("o-1", "tpl-review", 2)

	long := map[string]string{"thing1": strings.Repeat("电", 21), "time3": "2025年11月13日 09:00"}
	err := e.client.SendSubscribe(ctx, subscribeMsg("o-1", long))
	ee := wantErr(t, err, wechat.ClassBadData, 47003)
	if !strings.Contains(ee.Msg, "thing1") {
		t.Fatalf("errmsg does not name the field: %q", ee.Msg)
	}
	if got := e.fake.Credits("o-1", "tpl-review"); got != 2 {
		t.Fatalf("a refused message used a credit: %d left", got)
	}
	ok := map[string]string{"thing1": strings.Repeat("电", 20), "time3": "2025年11月13日 09:00"}
	if err := e.client.SendSubscribe(ctx, subscribeMsg("o-1", ok)); err != nil {
		t.Fatalf("20 characters refused: %v", err)
	}
	badTime := map[string]string{"thing1": "x", "time3": "next Tuesday"}
	err = e.client.SendSubscribe(ctx, subscribeMsg("o-1", badTime))
	wantErr(t, err, wechat.ClassBadData, 47003)
}

func TestTemplateFollowerOnly(t *testing.T) {
	e := newEnv(t, fake.Options{})
	ctx := context.Background()
	msg := wechat.TemplateMessage{
		ToOpenID: "oa-user", TemplateID: "tpl-oa", MiniAppID: fake.DefaultMPAppID,
		MiniPagePath: "pages/cert/index", Data: map[string]string{"thing1": "证书制作", "time2": "2025年11月13日"},
	}
	err := e.client.SendTemplate(ctx, msg)
	wantErr(t, err, wechat.ClassNoConsent, 43004)

	e.fake.AddFollower("oa-user")
	if err := e.client.SendTemplate(ctx, msg); err != nil {
		t.Fatalf("SendTemplate to follower: %v", err)
	}
	sent := e.fake.Sent()
	if len(sent) != 1 || sent[0].Kind != fake.KindTemplate || sent[0].MiniAppID != fake.DefaultMPAppID ||
		sent[0].MiniPagePath != "pages/cert/index" || sent[0].Data["thing1"] != "证书制作" {
		t.Fatalf("recorded %+v", sent)
	}

	msg.ClientMsgID = "event-42"
	for range 3 {
		if err := e.client.SendTemplate(ctx, msg); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(e.fake.Sent()); n != 2 {
		t.Fatalf("client_msg_id repeats sent %d messages in all, want 2", n)
	}
}

func TestCustomText(t *testing.T) {
	e := newEnv(t, fake.Options{})
	ctx := context.Background()
	wantErr(t, e.client.SendCustomText(ctx, "oa-user", "您好"), wechat.ClassNoConsent, 43004)
	e.fake.AddFollower("oa-user")
	if err := e.client.SendCustomText(ctx, "oa-user", "您的报名已提交"); err != nil {
		t.Fatal(err)
	}
	sent := e.fake.Sent()
	if len(sent) != 1 || sent[0].Kind != fake.KindCustom || sent[0].Text != "您的报名已提交" {
		t.Fatalf("recorded %+v", sent)
	}
	wantErr(t, e.client.SendCustomText(ctx, "oa-user", strings.Repeat("字", 700)), wechat.ClassBadRequest, 45002)
}

func TestTokenRefetchAfterExpiry(t *testing.T) {
	e := newEnv(t, fake.Options{})
	ctx := context.Background()
	e.fake.GrantSubscribe("o-1", "tpl-review", 2)
	if err := e.client.SendSubscribe(ctx, subscribeMsg("o-1", okData)); err != nil {
		t.Fatal(err)
	}
	e.fake.ExpireTokens()
	if err := e.client.SendSubscribe(ctx, subscribeMsg("o-1", okData)); err != nil {
		t.Fatalf("send after token expiry: %v", err)
	}
	if n := e.fake.Calls(fake.PathSubscribe); n != 3 {
		t.Fatalf("subscribe/send called %d times, want 3 (ok, 42001, retry ok)", n)
	}
	if n := e.fake.Calls(fake.PathStableToken); n != 2 {
		t.Fatalf("stable_token fetched %d times, want 2", n)
	}
}

func TestTokenRefetchAfterInvalidation(t *testing.T) {
	e := newEnv(t, fake.Options{})
	ctx := context.Background()
	e.fake.AddFollower("oa-user")
	if err := e.client.SendCustomText(ctx, "oa-user", "1"); err != nil {
		t.Fatal(err)
	}
	e.fake.InvalidateTokens() // 40001 from now on for the old token
	if err := e.client.SendCustomText(ctx, "oa-user", "2"); err != nil {
		t.Fatalf("send after token invalidation: %v", err)
	}
	if n := len(e.fake.Sent()); n != 2 {
		t.Fatalf("sent %d, want 2", n)
	}
}

func TestTokenRetriedOnlyOnce(t *testing.T) {
	e := newEnv(t, fake.Options{})
	e.fake.GrantSubscribe("o-1", "tpl-review", 1)
	e.fake.FailNextOn(fake.PathSubscribe, 2, 40001)
	err := e.client.SendSubscribe(context.Background(), subscribeMsg("o-1", okData))
	wantErr(t, err, wechat.ClassTokenInvalid, 40001)
	if n := e.fake.Calls(fake.PathSubscribe); n != 2 {
		t.Fatalf("subscribe/send called %d times, want 2", n)
	}
	if err := e.client.InvalidateToken(context.Background(), wechat.AppMiniProgram); err != nil {
		t.Fatal(err)
	}
}

func TestFailNextRetryLater(t *testing.T) {
	e := newEnv(t, fake.Options{})
	ctx := context.Background()
	e.fake.GrantSubscribe("o-1", "tpl-review", 1)
	for _, code := range []int{-1, 45009, 45011} {
		e.fake.FailNext(1, code)
		err := e.client.SendSubscribe(ctx, subscribeMsg("o-1", okData))
		wantErr(t, err, wechat.ClassRetryLater, code)
	}
	if got := e.fake.Credits("o-1", "tpl-review"); got != 1 {
		t.Fatalf("failed sends used credits: %d left", got)
	}
	if err := e.client.SendSubscribe(ctx, subscribeMsg("o-1", okData)); err != nil {
		t.Fatalf("after failures: %v", err)
	}
	e.fake.RegisterCode("c", "o", "")
	e.fake.FailNext(1, -1)
	_, err := e.client.Code2Session(ctx, "c")
	wantErr(t, err, wechat.ClassRetryLater, -1)
}

func TestHTTPErrorsAreClassified(t *testing.T) {
	e := newEnv(t, fake.Options{})
	ctx := context.Background()
	e.fake.FailNextHTTP("", 1, http.StatusBadGateway)
	_, err := e.client.Code2Session(ctx, "c")
	noSecrets(t, wantErr(t, err, wechat.ClassRetryLater, 0))

	e.fake.AddFollower("oa-user")
	e.fake.FailNextHTTP(fake.PathCustom, 1, http.StatusServiceUnavailable)
	err = e.client.SendCustomText(ctx, "oa-user", "x")
	noSecrets(t, wantErr(t, err, wechat.ClassRetryLater, 0))

	e.fake.FailNextHTTP(fake.PathStableToken, 1, http.StatusInternalServerError)
	e.fake.ExpireTokens()
	err = e.client.SendCustomText(ctx, "oa-user", "x")
	noSecrets(t, wantErr(t, err, wechat.ClassRetryLater, 0))
}

func TestBadCredentials(t *testing.T) {
	f := fake.New(fake.Options{})
	srv := httptest.NewServer(f)
	defer srv.Close()
	ctx := context.Background()

	cfg := baseConfig(srv.URL)
	cfg.MPSecret = "wrong"
	c, err := wechat.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.PhoneNumber(ctx, "p")
	noSecrets(t, wantErr(t, err, wechat.ClassBadRequest, 40125))
	_, err = c.Code2Session(ctx, "p")
	wantErr(t, err, wechat.ClassBadRequest, 40125)

	cfg = baseConfig(srv.URL)
	cfg.OAAppID = "wx-unknown"
	c, err = wechat.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, c.SendCustomText(ctx, "o", "x"), wechat.ClassBadRequest, 40013)
}

func TestUnconfiguredApp(t *testing.T) {
	c, err := wechat.New(wechat.Config{OAAppID: "wx-oa", OASecret: "s", APIBase: "http://127.0.0.1:1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Code2Session(context.Background(), "c")
	wantErr(t, err, wechat.ClassBadRequest, 0)
	if c.OfficialAccount() == nil {
		t.Fatal("OfficialAccount() is nil")
	}
	if err := c.InvalidateToken(context.Background(), wechat.AppMiniProgram); err == nil {
		t.Fatal("InvalidateToken of an unconfigured app succeeded")
	}
}

func TestInstallHTTPClientSwitchesTarget(t *testing.T) {
	fa, fb := fake.New(fake.Options{}), fake.New(fake.Options{})
	sa, sb := httptest.NewServer(fa), httptest.NewServer(fb)
	defer sa.Close()
	defer sb.Close()
	c, err := wechat.New(baseConfig(sa.URL), nil)
	if err != nil {
		t.Fatal(err)
	}
	fa.RegisterCode("c", "o-a", "")
	fb.RegisterCode("c", "o-b", "")
	if s, err := c.Code2Session(context.Background(), "c"); err != nil || s.OpenID != "o-a" {
		t.Fatalf("first target: %+v %v", s, err)
	}
	if err := wechat.InstallHTTPClient(sb.URL, time.Second); err != nil {
		t.Fatal(err)
	}
	if s, err := c.Code2Session(context.Background(), "c"); err != nil || s.OpenID != "o-b" {
		t.Fatalf("second target: %+v %v", s, err)
	}
	if err := wechat.InstallHTTPClient("ftp://x", 0); err == nil {
		t.Fatal("non-http base accepted")
	}
}
