package fake_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"skillcert/wechat/fake"
)

// These tests speak raw HTTP to the fake, as WeChat's documentation describes the
// API; the adapter tests in package wechat drive it through the real SDK.

type api struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func start(t *testing.T, opts fake.Options) (*fake.Server, api) {
	t.Helper()
	f := fake.New(opts)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	t.Cleanup(tr.CloseIdleConnections)
	return f, api{t: t, base: srv.URL, hc: &http.Client{Transport: tr, Timeout: 10 * time.Second}}
}

func (a api) do(req *http.Request) map[string]any {
	resp, err := a.hc.Do(req)
	if err != nil {
		a.t.Errorf("%s %s: %v", req.Method, req.URL.Path, err)
		return nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		a.t.Errorf("%s %s: not JSON (%d): %s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	return m
}

func (a api) get(path string, q url.Values) map[string]any {
	req, _ := http.NewRequest(http.MethodGet, a.base+path+"?"+q.Encode(), nil)
	return a.do(req)
}

func (a api) post(path string, q url.Values, body any) map[string]any {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, a.base+path+"?"+q.Encode(), bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	return a.do(req)
}

func errcode(m map[string]any) int {
	if v, ok := m["errcode"].(float64); ok {
		return int(v)
	}
	return 0
}

func wantCode(t *testing.T, m map[string]any, code int) {
	t.Helper()
	if got := errcode(m); got != code {
		t.Fatalf("errcode = %d, want %d (%v)", got, code, m)
	}
	if code != 0 {
		if msg, _ := m["errmsg"].(string); !strings.Contains(msg, "rid:") {
			t.Fatalf("errmsg %q lacks WeChat's rid", msg)
		}
	}
}

func (a api) stableToken(appID, secret string, force bool) (string, map[string]any) {
	m := a.post(fake.PathStableToken, nil, map[string]any{
		"grant_type": "client_credential", "appid": appID, "secret": secret, "force_refresh": force,
	})
	tok, _ := m["access_token"].(string)
	return tok, m
}

func tokenQ(tok string) url.Values { return url.Values{"access_token": {tok}} }

func customText(to string) map[string]any {
	return map[string]any{"touser": to, "msgtype": "text", "text": map[string]any{"content": "hi"}}
}

func TestTokenEndpoints(t *testing.T) {
	f, a := start(t, fake.Options{})
	f.AddFollower("oa-1")
	q := func(appid, secret string) url.Values {
		return url.Values{"grant_type": {"client_credential"}, "appid": {appid}, "secret": {secret}}
	}
	wantCode(t, a.get(fake.PathToken, q("wx-nope", "x")), 40013)
	wantCode(t, a.get(fake.PathToken, q(fake.DefaultOAAppID, "wrong")), 40125)
	wantCode(t, a.get(fake.PathToken, q("", "x")), 41002)
	wantCode(t, a.get(fake.PathToken, url.Values{"appid": {fake.DefaultOAAppID}}), 40002)
	wantCode(t, a.post(fake.PathToken, q(fake.DefaultOAAppID, fake.DefaultOASecret), nil), 43001)

	first := a.get(fake.PathToken, q(fake.DefaultOAAppID, fake.DefaultOASecret))
	wantCode(t, first, 0)
	if first["expires_in"].(float64) != 7200 {
		t.Fatalf("expires_in = %v", first["expires_in"])
	}
	second := a.get(fake.PathToken, q(fake.DefaultOAAppID, fake.DefaultOASecret))
	t1, t2 := first["access_token"].(string), second["access_token"].(string)
	if t1 == t2 {
		t.Fatal("a second fetch returned the same ordinary token")
	}
	wantCode(t, a.post(fake.PathCustom, tokenQ(t1), customText("oa-1")), 40001)
	wantCode(t, a.post(fake.PathCustom, tokenQ(t2), customText("oa-1")), 0)

	// Stable tokens: the same while valid, independent of ordinary tokens.
	s1, m := a.stableToken(fake.DefaultOAAppID, fake.DefaultOASecret, false)
	wantCode(t, m, 0)
	s2, _ := a.stableToken(fake.DefaultOAAppID, fake.DefaultOASecret, false)
	if s1 != s2 || s1 == t2 {
		t.Fatalf("stable tokens %q %q (ordinary %q)", s1, s2, t2)
	}
	wantCode(t, a.post(fake.PathCustom, tokenQ(t2), customText("oa-1")), 0)
	s3, _ := a.stableToken(fake.DefaultOAAppID, fake.DefaultOASecret, true)
	if s3 == s1 {
		t.Fatal("force_refresh returned the same token")
	}
	wantCode(t, a.post(fake.PathCustom, tokenQ(s1), customText("oa-1")), 40001)
	wantCode(t, a.post(fake.PathCustom, tokenQ(s3), customText("oa-1")), 0)
	_, m = a.stableToken(fake.DefaultMPAppID, "wrong", false)
	wantCode(t, m, 40125)

	// Missing, expired, and the other app's token.
	wantCode(t, a.post(fake.PathCustom, nil, customText("oa-1")), 41001)
	mp, _ := a.stableToken(fake.DefaultMPAppID, fake.DefaultMPSecret, false)
	wantCode(t, a.post(fake.PathCustom, tokenQ(mp), customText("oa-1")), 48001)
	f.ExpireTokens()
	wantCode(t, a.post(fake.PathCustom, tokenQ(s3), customText("oa-1")), 42001)
	s4, _ := a.stableToken(fake.DefaultOAAppID, fake.DefaultOASecret, false)
	if s4 == s3 {
		t.Fatal("stable_token returned an expired token")
	}
	wantCode(t, a.post(fake.PathCustom, tokenQ(s4), customText("oa-1")), 0)
}

func TestCodes(t *testing.T) {
	f, a := start(t, fake.Options{})
	login := func(code string) map[string]any {
		return a.get(fake.PathCode2Session, url.Values{
			"appid": {fake.DefaultMPAppID}, "secret": {fake.DefaultMPSecret},
			"js_code": {code}, "grant_type": {"authorization_code"},
		})
	}
	f.RegisterCode("c1", "o-1", "u-1")
	m := login("c1")
	wantCode(t, m, 0)
	if m["openid"] != "o-1" || m["unionid"] != "u-1" || m["session_key"] == "" {
		t.Fatalf("reply %v", m)
	}
	wantCode(t, login("c1"), 40163)
	wantCode(t, login("dev-alice"), 40029) // dev codes are off
	wantCode(t, login(""), 41008)
	wantCode(t, a.get(fake.PathCode2Session, url.Values{
		"appid": {fake.DefaultOAAppID}, "secret": {fake.DefaultOASecret}, "js_code": {"c1"},
	}), 40013)

	mp, _ := a.stableToken(fake.DefaultMPAppID, fake.DefaultMPSecret, false)
	f.RegisterPhoneCode("p1", "13800138000")
	m = a.post(fake.PathPhoneNumber, tokenQ(mp), map[string]string{"code": "p1"})
	wantCode(t, m, 0)
	info := m["phone_info"].(map[string]any)
	if info["phoneNumber"] != "13800138000" || info["purePhoneNumber"] != "13800138000" || info["countryCode"] != "86" {
		t.Fatalf("phone_info %v", info)
	}
	wantCode(t, a.post(fake.PathPhoneNumber, tokenQ(mp), map[string]string{"code": "p1"}), 40029)
	wantCode(t, a.post(fake.PathPhoneNumber, tokenQ(mp), map[string]string{"code": "devphone-13800138000"}), 40029)
}

func TestCodeExpiry(t *testing.T) {
	now := time.Date(2025, 11, 13, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	f, a := start(t, fake.Options{Now: clock})
	f.RegisterCode("c1", "o-1", "")
	mu.Lock()
	now = now.Add(6 * time.Minute)
	mu.Unlock()
	wantCode(t, a.get(fake.PathCode2Session, url.Values{
		"appid": {fake.DefaultMPAppID}, "secret": {fake.DefaultMPSecret}, "js_code": {"c1"},
	}), 40029)
}

func TestDevCodes(t *testing.T) {
	_, a := start(t, fake.Options{DevCodes: true})
	login := func(code string) map[string]any {
		return a.get(fake.PathCode2Session, url.Values{
			"appid": {fake.DefaultMPAppID}, "secret": {fake.DefaultMPSecret}, "js_code": {code},
		})
	}
	m1, m2 := login("dev-alice"), login("dev-alice")
	wantCode(t, m1, 0)
	if m1["openid"] != m2["openid"] || m1["openid"] != fake.DevOpenID(fake.DefaultMPAppID, "alice") ||
		m1["unionid"] != fake.DevUnionID("alice") || len(m1["openid"].(string)) != 28 {
		t.Fatalf("dev logins %v %v", m1, m2)
	}
	if login("dev-bob")["openid"] == m1["openid"] {
		t.Fatal("two dev names share an openid")
	}
	if fake.DevOpenID(fake.DefaultOAAppID, "alice") == m1["openid"] {
		t.Fatal("dev openid is the same in both apps")
	}
	wantCode(t, login("dev-"), 40029)

	mp, _ := a.stableToken(fake.DefaultMPAppID, fake.DefaultMPSecret, false)
	for range 2 {
		m := a.post(fake.PathPhoneNumber, tokenQ(mp), map[string]string{"code": "devphone-13912345678"})
		wantCode(t, m, 0)
		if m["phone_info"].(map[string]any)["phoneNumber"] != "13912345678" {
			t.Fatalf("dev phone %v", m)
		}
	}
	wantCode(t, a.post(fake.PathPhoneNumber, tokenQ(mp), map[string]string{"code": "devphone-1391234567"}), 40029)
}

func TestSendChecks(t *testing.T) {
	f, a := start(t, fake.Options{StrictOpenIDs: true})
	mp, _ := a.stableToken(fake.DefaultMPAppID, fake.DefaultMPSecret, false)
	oa, _ := a.stableToken(fake.DefaultOAAppID, fake.DefaultOASecret, false)
	sub := func(to string, data map[string]any) map[string]any {
		return a.post(fake.PathSubscribe, tokenQ(mp), map[string]any{"touser": to, "template_id": "T", "data": data})
	}
	val := func(v any) map[string]any { return map[string]any{"value": v} }

	wantCode(t, sub("o-stranger", map[string]any{"thing1": val("x")}), 40003)
	f.GrantSubscribe("o-1", "T", 1)
	wantCode(t, sub("o-1", nil), 47003)
	wantCode(t, sub("o-1", map[string]any{"thing1": val(strings.Repeat("x", 21))}), 47003)
	wantCode(t, sub("o-1", map[string]any{"thing1": map[string]any{}}), 47003)
	wantCode(t, a.post(fake.PathSubscribe, tokenQ(mp), map[string]any{"touser": "o-1", "data": map[string]any{"thing1": val("x")}}), 40037)
	m := sub("o-1", map[string]any{"thing1": val("x"), "number2": val(42)})
	wantCode(t, m, 0)
	if _, ok := m["msgid"].(float64); !ok {
		t.Fatalf("no msgid in %v", m)
	}
	wantCode(t, sub("o-1", map[string]any{"thing1": val("x")}), 43101)
	if got := f.Sent(); len(got) != 1 || got[0].Data["number2"] != "42" {
		t.Fatalf("sent %+v", got)
	}

	req, _ := http.NewRequest(http.MethodPost, a.base+fake.PathSubscribe+"?access_token="+mp, strings.NewReader("{not json"))
	wantCode(t, a.do(req), 47001)
	req, _ = http.NewRequest(http.MethodPost, a.base+fake.PathSubscribe+"?access_token="+mp, nil)
	wantCode(t, a.do(req), 44002)
	req, _ = http.NewRequest(http.MethodGet, a.base+fake.PathSubscribe+"?access_token="+mp, nil)
	wantCode(t, a.do(req), 43002)

	f.AddFollower("oa-1")
	tpl := map[string]any{"touser": "oa-1", "template_id": "TT", "data": map[string]any{"first": val("hi")},
		"client_msg_id": strings.Repeat("x", 65)}
	wantCode(t, a.post(fake.PathTemplate, tokenQ(oa), tpl), 45067)
	f.RemoveFollower("oa-1")
	tpl["client_msg_id"] = "e1"
	wantCode(t, a.post(fake.PathTemplate, tokenQ(oa), tpl), 43004)
	wantCode(t, a.post(fake.PathTemplate, tokenQ(mp), tpl), 48001)

	resp, err := a.hc.Get(a.base + "/cgi-bin/nope")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown path: %d", resp.StatusCode)
	}
}

func TestFailuresAndLatency(t *testing.T) {
	f, a := start(t, fake.Options{})
	f.AddFollower("oa-1")
	oa, _ := a.stableToken(fake.DefaultOAAppID, fake.DefaultOASecret, false)

	f.FailNext(2, -1)
	_, m := a.stableToken(fake.DefaultOAAppID, fake.DefaultOASecret, false)
	wantCode(t, m, 0) // token calls are not affected by FailNext
	wantCode(t, a.post(fake.PathCustom, tokenQ(oa), customText("oa-1")), -1)
	wantCode(t, a.post(fake.PathCustom, tokenQ(oa), customText("oa-1")), -1)
	wantCode(t, a.post(fake.PathCustom, tokenQ(oa), customText("oa-1")), 0)

	f.FailNextOn(fake.PathStableToken, 1, 45009)
	_, m = a.stableToken(fake.DefaultOAAppID, fake.DefaultOASecret, false)
	wantCode(t, m, 45009)

	f.FailNextHTTP(fake.PathCustom, 1, http.StatusBadGateway)
	resp, err := a.hc.Post(a.base+fake.PathCustom+"?access_token="+oa, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("status %d, want 502", resp.StatusCode)
	}

	f.SetLatency(100 * time.Millisecond)
	start := time.Now()
	wantCode(t, a.post(fake.PathCustom, tokenQ(oa), customText("oa-1")), 0)
	if time.Since(start) < 100*time.Millisecond {
		t.Fatal("latency not applied")
	}
	f.SetLatency(0)
	if n := f.Calls(fake.PathCustom); n != 5 {
		t.Fatalf("Calls(custom) = %d, want 5", n)
	}
	if n := len(f.Sent()); n != 2 {
		t.Fatalf("Sent() has %d, want 2", n)
	}
}

// Two dispatchers push 10,000 subscribe messages concurrently; the fake accepts
// each exactly once and its records are consistent (run with -race).
func TestTenThousandMessagesFromTwoDispatchers(t *testing.T) {
	f, a := start(t, fake.Options{})
	const total, perDispatcher = 10000, 8
	for i := range total {
		f.GrantSubscribe(fmt.Sprintf("o-%05d", i), "T", 1)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for d := range 2 {
		tok, _ := a.stableToken(fake.DefaultMPAppID, fake.DefaultMPSecret, false)
		for range perDispatcher {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range jobs {
					m := a.post(fake.PathSubscribe, tokenQ(tok), map[string]any{
						"touser": fmt.Sprintf("o-%05d", i), "template_id": "T",
						"data": map[string]any{"thing1": map[string]any{"value": fmt.Sprintf("d%d", d)}},
					})
					if errcode(m) != 0 {
						t.Errorf("message %d: %v", i, m)
					}
				}
			}()
		}
	}
	for i := range total {
		jobs <- i
		if i%2500 == 0 {
			_ = f.Sent() // concurrent readers
		}
	}
	close(jobs)
	wg.Wait()
	sent := f.Sent()
	if len(sent) != total {
		t.Fatalf("accepted %d, want %d", len(sent), total)
	}
	seenUser, seenID := map[string]bool{}, map[int64]bool{}
	for _, m := range sent {
		if seenUser[m.ToOpenID] || seenID[m.MsgID] {
			t.Fatalf("duplicate %+v", m)
		}
		seenUser[m.ToOpenID], seenID[m.MsgID] = true, true
	}
	if n := f.Calls(fake.PathSubscribe); n != total {
		t.Fatalf("Calls = %d", n)
	}
}

func TestAdminAPI(t *testing.T) {
	f, a := start(t, fake.Options{AdminAPI: true})
	post := func(path string, body any) {
		t.Helper()
		b, _ := json.Marshal(body)
		resp, err := a.hc.Post(a.base+path, "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
	}
	post("/_fake/subscriptions", map[string]any{"openid": "o-1", "template_id": "T", "n": 2})
	post("/_fake/followers", map[string]any{"openid": "oa-1"})
	if f.Credits("o-1", "T") != 2 {
		t.Fatal("credits not granted")
	}
	oa, _ := a.stableToken(fake.DefaultOAAppID, fake.DefaultOASecret, false)
	wantCode(t, a.post(fake.PathCustom, tokenQ(oa), customText("oa-1")), 0)
	resp, err := a.hc.Get(a.base + "/_fake/sent")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var sent []fake.SentMessage
	if err := json.NewDecoder(resp.Body).Decode(&sent); err != nil || len(sent) != 1 || sent[0].Kind != fake.KindCustom {
		t.Fatalf("sent %+v %v", sent, err)
	}

	_, plain := start(t, fake.Options{})
	resp, err = plain.hc.Get(plain.base + "/_fake/sent")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("admin API served without AdminAPI: %d", resp.StatusCode)
	}
}

func TestListenAndServe(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- fake.ListenAndServe(ctx, addr, fake.Options{}) }()
	var resp *http.Response
	for i := 0; i < 50; i++ {
		resp, err = http.Get("http://" + addr + fake.PathToken + "?grant_type=client_credential&appid=x&secret=y")
		if err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("ListenAndServe: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ListenAndServe did not stop")
	}
}

// ConsentOnRequest (demo mode) takes a subscribe message without a granted
// consent; granted consents are still counted down first.
func TestConsentOnRequest(t *testing.T) {
	f, a := start(t, fake.Options{ConsentOnRequest: true})
	mp, _ := a.stableToken(fake.DefaultMPAppID, fake.DefaultMPSecret, false)
	send := func() map[string]any {
		return a.post(fake.PathSubscribe, tokenQ(mp), map[string]any{"touser": "o-1", "template_id": "T",
			"data": map[string]any{"thing1": map[string]any{"value": "x"}}})
	}
	f.GrantSubscribe("o-1", "T", 1)
	wantCode(t, send(), 0)
	if f.Credits("o-1", "T") != 0 {
		t.Fatal("a granted consent was not used")
	}
	wantCode(t, send(), 0)
	if f.Credits("o-1", "T") != 0 || len(f.Sent()) != 2 {
		t.Fatalf("credits %d, sent %d", f.Credits("o-1", "T"), len(f.Sent()))
	}
}
