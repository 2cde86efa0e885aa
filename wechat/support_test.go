package wechat_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"
	"github.com/sirupsen/logrus"

	"skillcert/wechat"
	"skillcert/wechat/fake"
)

func TestClassify(t *testing.T) {
	const secret = "S3CRET-VALUE"
	cases := []struct {
		name string
		err  error
		want wechat.Class
		code int
	}{
		{"nil", nil, wechat.ClassNone, 0},
		{"typed 43101", util.NewCommonError("Send", 43101, "user refuse to accept the msg"), wechat.ClassNoConsent, 43101},
		{"typed 47003 wrapped", fmt.Errorf("send: %w", util.NewCommonError("Send", 47003, "argument invalid!")), wechat.ClassBadData, 47003},
		{"typed 40001", util.NewCommonError("phonenumber.getPhoneNumber", 40001, "invalid credential"), wechat.ClassTokenInvalid, 40001},
		{"typed 40014", util.NewCommonError("x", 40014, "invalid access_token"), wechat.ClassTokenInvalid, 40014},
		{"typed 42001", util.NewCommonError("x", 42001, "access_token expired"), wechat.ClassTokenInvalid, 42001},
		{"fmt code2session", errors.New("Code2Session error : errcode=40029 , errmsg=invalid code rid: 1"), wechat.ClassInvalidCode, 40029},
		{"fmt code been used", errors.New("Code2Session error : errcode=40163 , errmsg=code been used"), wechat.ClassInvalidCode, 40163},
		{"fmt stable token busy", errors.New("get stable access_token error : errcode=-1 , errormsg=system error"), wechat.ClassRetryLater, -1},
		{"fmt template follower", errors.New("template msg send error : errcode=43004 , errmsg=require subscribe"), wechat.ClassNoConsent, 43004},
		{"fmt customer window", errors.New("customer msg send error : errcode=45015 , errmsg=response out of time limit"), wechat.ClassNoConsent, 45015},
		{"fmt quota", errors.New("template msg send error : errcode=45009 , errmsg=reach max api daily quota limit"), wechat.ClassRetryLater, 45009},
		{"json text", errors.New(`{"errcode":40003,"errmsg":"invalid openid"}`), wechat.ClassBadData, 40003},
		{"fmt invalid appid", errors.New("get access_token error : errcode=40013 , errormsg=invalid appid"), wechat.ClassBadRequest, 40013},
		{"http 502", fmt.Errorf("http get error : uri=https://api.weixin.qq.com/sns/jscode2session?appid=a&secret=%s&js_code=c , statusCode=502", secret), wechat.ClassRetryLater, 0},
		{"http 429", errors.New("http post error : uri=x , statusCode=429"), wechat.ClassRetryLater, 0},
		{"http 404", errors.New("http post error : uri=x , statusCode=404"), wechat.ClassBadRequest, 0},
		{"url error", &url.Error{Op: "Get", URL: "https://api.weixin.qq.com/sns/jscode2session?appid=a&secret=" + secret + "&js_code=c", Err: syscall.ECONNREFUSED}, wechat.ClassRetryLater, 0},
		{"conn reset", fmt.Errorf("read: %w", syscall.ECONNRESET), wechat.ClassRetryLater, 0},
		{"unexpected EOF", io.ErrUnexpectedEOF, wechat.ClassRetryLater, 0},
		{"deadline", context.DeadlineExceeded, wechat.ClassRetryLater, 0},
		{"canceled", context.Canceled, wechat.ClassRetryLater, 0},
		{"json syntax", json.Unmarshal([]byte("<html>"), &struct{}{}), wechat.ClassRetryLater, 0},
		{"sdk json error", errors.New("json Unmarshal Error, err=invalid character '<'"), wechat.ClassRetryLater, 0},
		{"other", errors.New("boom"), wechat.ClassBadRequest, 0},
		{"own error", &wechat.Error{Class: wechat.ClassBadData, Msg: "x"}, wechat.ClassBadData, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := wechat.Classify(tc.err); got != tc.want {
				t.Fatalf("Classify(%v) = %s, want %s", tc.err, got, tc.want)
			}
			if tc.err == nil {
				return
			}
			if strings.Contains(wechat.AsError(tc.err).Error(), secret) {
				t.Fatalf("described error leaks the secret: %v", wechat.AsError(tc.err))
			}
			if tc.code != 0 && wechat.AsError(tc.err).Code != tc.code {
				t.Fatalf("code = %d, want %d", wechat.AsError(tc.err).Code, tc.code)
			}
		})
	}
	for code, want := range map[int]wechat.Class{
		0: wechat.ClassNone, 40001: wechat.ClassTokenInvalid, 45011: wechat.ClassRetryLater,
		40003: wechat.ClassBadData, 40226: wechat.ClassInvalidCode, 48001: wechat.ClassBadRequest,
	} {
		if got := wechat.ClassOfCode(code); got != want {
			t.Errorf("ClassOfCode(%d) = %s, want %s", code, got, want)
		}
	}
}

func TestMemoryCache(t *testing.T) {
	c := wechat.NewMemoryCache()
	if err := c.Set("k", "v", time.Minute); err != nil {
		t.Fatal(err)
	}
	if c.Get("k") != "v" || !c.IsExist("k") {
		t.Fatal("value not stored")
	}
	_ = c.Set("short", "v", 30*time.Millisecond)
	time.Sleep(60 * time.Millisecond)
	if c.Get("short") != nil || c.IsExist("short") {
		t.Fatal("value did not expire")
	}
	_ = c.Set("k", "v", time.Minute)
	_ = c.Set("k", "w", 0)
	if c.Get("k") != nil {
		t.Fatal("a zero timeout must not store (and must drop the old value)")
	}
	_ = c.Set("k", "v", time.Minute)
	_ = c.Delete("k")
	if c.IsExist("k") {
		t.Fatal("Delete kept the value")
	}
}

func TestMemoryCacheConcurrent(t *testing.T) {
	c := wechat.NewMemoryCache()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				key := fmt.Sprintf("k%d", i%16)
				switch (g + i) % 4 {
				case 0:
					_ = c.Set(key, "v", time.Duration(i%3)*time.Millisecond)
				case 1:
					if v := c.Get(key); v != nil && v != "v" {
						t.Errorf("bad value %v", v)
					}
				case 2:
					c.IsExist(key)
				case 3:
					_ = c.Delete(key)
				}
			}
		}()
	}
	wg.Wait()
}

// Two dispatchers (two Clients, each with its own token cache) send concurrently
// while the tokens expire half-way: every message arrives exactly once.
func TestConcurrentSendsAcrossTokenExpiry(t *testing.T) {
	f := fake.New(fake.Options{})
	srv := httptest.NewServer(f)
	defer srv.Close()
	var clients []*wechat.Client
	for range 2 {
		c, err := wechat.New(baseConfig(srv.URL), nil)
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	const users, workers = 400, 8
	for i := range users {
		f.GrantSubscribe(fmt.Sprintf("o-%d", i), "tpl-review", 1)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []error
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := clients[w%2]
			for i := range jobs {
				if err := c.SendSubscribe(context.Background(), subscribeMsg(fmt.Sprintf("o-%d", i), okData)); err != nil {
					mu.Lock()
					failures = append(failures, err)
					mu.Unlock()
				}
			}
		}()
	}
	for i := range users {
		if i == users/2 {
			f.ExpireTokens()
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d sends failed, first: %v", len(failures), failures[0])
	}
	seen := map[string]bool{}
	for _, m := range f.Sent() {
		if seen[m.ToOpenID] {
			t.Fatalf("%s got two messages", m.ToOpenID)
		}
		seen[m.ToOpenID] = true
	}
	if len(seen) != users {
		t.Fatalf("%d users got a message, want %d", len(seen), users)
	}
}

func TestSDKLoggingQuiet(t *testing.T) {
	logrus.SetLevel(logrus.DebugLevel) // as the SDK's root package would
	defer logrus.SetLevel(logrus.WarnLevel)
	if _, err := wechat.New(baseConfig("http://127.0.0.1:1"), nil); err != nil {
		t.Fatal(err)
	}
	if logrus.IsLevelEnabled(logrus.InfoLevel) {
		t.Fatalf("logrus level is %s after New, want warn", logrus.GetLevel())
	}
}

// The official account object serves the callback: URL verification with a
// valid signature echoes echostr.
func TestOfficialAccountServer(t *testing.T) {
	c, err := wechat.New(baseConfig("http://127.0.0.1:1"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ts, nonce := fmt.Sprint(time.Now().Unix()), "n0nce"
	sig := util.Signature("callback-token", ts, nonce)
	req := httptest.NewRequest("GET", "/wechat/callback?signature="+sig+"&timestamp="+ts+"&nonce="+nonce+"&echostr=hello", nil)
	rec := httptest.NewRecorder()
	if err := c.OfficialAccount().GetServer(req, rec).Serve(); err != nil {
		t.Fatal(err)
	}
	if rec.Body.String() != "hello" {
		t.Fatalf("echostr reply = %q", rec.Body.String())
	}
}

func TestConfig(t *testing.T) {
	env := map[string]string{
		"WECHAT_MP_APPID": "wx-mp", "WECHAT_MP_SECRET": "mp-secret",
		"WECHAT_OA_APPID": "wx-oa", "WECHAT_OA_SECRET": "oa-secret",
		"WECHAT_API_BASE": "http://127.0.0.1:9090", "WECHAT_TIMEOUT": "4s",
	}
	cfg, err := wechat.LoadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MPAppID != "wx-mp" || cfg.OASecret != "oa-secret" || cfg.Timeout != 4*time.Second || cfg.APIBase != "http://127.0.0.1:9090" {
		t.Fatalf("cfg = %#v", cfg)
	}
	if s := fmt.Sprintf("%v %+v", cfg, cfg); strings.Contains(s, "mp-secret") || strings.Contains(s, "oa-secret") {
		t.Fatalf("Config prints its secrets: %s", s)
	}
	env["WECHAT_MP_SECRET"] = ""
	if _, err := wechat.LoadConfig(func(k string) string { return env[k] }); err == nil {
		t.Fatal("missing MP secret accepted")
	}
	env["WECHAT_MP_SECRET"], env["WECHAT_TIMEOUT"] = "x", "soon"
	if _, err := wechat.LoadConfig(func(k string) string { return env[k] }); err == nil {
		t.Fatal("bad timeout accepted")
	}
}
