package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/internal/testenv"
	"skillcert/wechat/fake"
)

// browser is a plain HTTP client with a cookie jar that does not follow
// redirects, so each step of a sign-in can be checked.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func fetch(t *testing.T, c *http.Client, method, u, ua string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, u, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if ua != "" {
		req.Header.Set("User-Agent", ua)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

const weChatUA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.50"

// TestSignInInsideWeChatAndAcrossDoors: inside WeChat's browser the sign-in page
// goes through web authorization (snsapi_base) of the stand-in; the same person
// later scanning a QR code in another browser, and signing in to the
// mini-program, is the same candidate (by unionid).
func TestSignInInsideWeChatAndAcrossDoors(t *testing.T) {
	app := startApp(t, false)
	c := browser(t)

	res, _ := fetch(t, c, http.MethodGet, app.URL+"/web/login?next=/web/registrations", weChatUA, nil)
	if res.StatusCode != http.StatusFound {
		t.Fatalf("inside WeChat: %d, want a redirect to web authorization", res.StatusCode)
	}
	auth, _ := url.Parse(res.Header.Get("Location"))
	q := auth.Query()
	if auth.Path != fake.PathOAuthAuthorize || q.Get("appid") != fake.DefaultOAAppID || q.Get("scope") != "snsapi_base" ||
		q.Get("state") == "" || q.Get("redirect_uri") != app.URL+"/web/oauth/callback" {
		t.Fatalf("authorization URL %s", auth)
	}
	// A forged state is refused.
	res, _ = fetch(t, c, http.MethodGet, app.URL+"/web/oauth/callback?code=x&state=forged", weChatUA, nil)
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("forged state: %d", res.StatusCode)
	}
	// The stand-in's authorization page sends the browser back with a code.
	q.Set("fake_user", "across-doors")
	auth.RawQuery = q.Encode()
	res, _ = fetch(t, c, http.MethodGet, auth.String(), weChatUA, nil)
	back := res.Header.Get("Location")
	if res.StatusCode != http.StatusFound || !strings.HasPrefix(back, app.URL+"/web/oauth/callback?") {
		t.Fatalf("authorize: %d %s", res.StatusCode, back)
	}
	res, _ = fetch(t, c, http.MethodGet, back, weChatUA, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/web/registrations?ok=signedin" {
		t.Fatalf("callback: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// A code is good once.
	res, page := fetch(t, c, http.MethodGet, back, weChatUA, nil)
	if res.Header.Get("Location") == "/web/registrations?ok=signedin" {
		t.Fatalf("a reused code signed in again: %d", res.StatusCode)
	}
	var webCand int64
	if err := app.DB.R.Get(&webCand, "SELECT id FROM candidates WHERE openid = ?", "oa:"+fake.DevOpenID(fake.DefaultOAAppID, "across-doors")); err != nil {
		t.Fatalf("web candidate: %v", err)
	}
	res, page = fetch(t, c, http.MethodGet, app.URL+"/web/registrations", weChatUA, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "暂无报名记录") {
		t.Fatalf("records after sign-in: %d", res.StatusCode)
	}

	// Another browser, QR code: the same person is the same candidate.
	c2 := browser(t)
	res, page = fetch(t, c2, http.MethodGet, app.URL+"/web/login", "", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "showqrcode?ticket=") {
		t.Fatalf("QR page: %d", res.StatusCode)
	}
	ticket := between(page, "showqrcode?ticket=", `"`)
	ticket, _ = url.QueryUnescape(strings.ReplaceAll(ticket, "&amp;", "&"))
	reply, err := testenv.WeChat(t).ScanQRTo(context.Background(), app.URL+"/wechat/callback", oaToken, ticket, "across-doors")
	if err != nil || !strings.Contains(reply, "网页登录成功") {
		t.Fatalf("scan: %q %v", reply, err)
	}
	_, status := fetch(t, c2, http.MethodGet, app.URL+"/web/login/status", "", nil)
	if !strings.Contains(status, `"done"`) {
		t.Fatalf("status after the scan: %s", status)
	}
	_, status = fetch(t, c2, http.MethodGet, app.URL+"/web/login/status", "", nil)
	if strings.Contains(status, `"done"`) {
		t.Fatal("the scan signed in twice")
	}
	var linked int64
	if err := app.DB.R.Get(&linked, "SELECT candidate_id FROM oa_followers WHERE oa_openid = ?", fake.DevOpenID(fake.DefaultOAAppID, "across-doors")); err != nil || linked != webCand {
		t.Fatalf("follower bound to %d (%v), want %d", linked, err, webCand)
	}
	// A second scan of a used code changes nothing.
	if reply, err := testenv.WeChat(t).ScanQRTo(context.Background(), app.URL+"/wechat/callback", oaToken, ticket, "someone-else"); err != nil || !strings.Contains(reply, "已过期或已使用") {
		t.Fatalf("second scan: %q %v", reply, err)
	}

	// The mini-program, same unionid: the same candidate takes its openid.
	code := testenv.NewCode()
	testenv.WeChat(t).RegisterCode(code, fake.DevOpenID(fake.DefaultMPAppID, "across-doors"), fake.DevUnionID("across-doors"))
	out := app.Client().Do(t, http.MethodPost, "/api/v1/auth/login", map[string]string{"code": code})
	var login core.LoginResult
	out.JSON(t, &login)
	if login.Candidate.ID != webCand {
		t.Fatalf("mini-program sign-in is candidate %d, want the web's %d", login.Candidate.ID, webCand)
	}
}

// TestQRExpiresAndCSRF: a code not scanned in time is expired; forms without
// the token, or from another site, are refused; demo mode's one-click scan
// signs in.
func TestQRExpiresAndCSRF(t *testing.T) {
	app := startApp(t, true)
	c := browser(t)
	_, page := fetch(t, c, http.MethodGet, app.URL+"/web/login", "", nil)
	ticket, _ := url.QueryUnescape(between(page, "showqrcode?ticket=", `"`))
	app.Clock.Set(time.Now().Add(core.WebQRTTL + time.Minute))
	_, status := fetch(t, c, http.MethodGet, app.URL+"/web/login/status", "", nil)
	if !strings.Contains(status, `"expired"`) {
		t.Fatalf("status of an old code: %s", status)
	}
	app.Clock.Set(time.Time{})

	// Forms: no token → refused; a cross-site POST → refused even with a token.
	res, page := fetch(t, c, http.MethodPost, app.URL+"/web/login/demo", "", url.Values{"next": {"/web/"}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(page, "页面已过期或请求来源无效") {
		t.Fatalf("POST without token: %d", res.StatusCode)
	}
	_, page = fetch(t, c, http.MethodGet, app.URL+"/web/login", "", nil)
	token := between(page, `name="csrf" value="`, `"`)
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/web/login/demo", strings.NewReader(url.Values{"csrf": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res2, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res2.Body.Close()
	if res2.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d", res2.StatusCode)
	}
	// With the token, same-origin: demo mode's one-click scan signs in.
	res, _ = fetch(t, c, http.MethodPost, app.URL+"/web/login/demo", "", url.Values{"csrf": {token}, "next": {"/web/me"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/web/me?ok=signedin" {
		t.Fatalf("demo sign-in: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res, page = fetch(t, c, http.MethodGet, app.URL+"/web/me", "", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "退出登录") {
		t.Fatalf("signed in by the demo scan: %d", res.StatusCode)
	}
	if ticket == "" {
		t.Fatal("no ticket on the page")
	}
	// Cookies are HttpOnly, SameSite=Lax, on /web.
	res, _ = fetch(t, browser(t), http.MethodGet, app.URL+"/web/login", "", nil)
	for _, ck := range res.Cookies() {
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/web" {
			t.Fatalf("cookie %s: %+v", ck.Name, ck)
		}
	}
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i+len(from):]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j]
	}
	return s
}
