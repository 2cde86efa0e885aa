package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"skillcert/internal/testenv"
	"skillcert/wechat/fake"
)

// signInWeChat signs a new browser in through web authorization inside
// WeChat's browser, as user of the stand-in.
func signInWeChat(t *testing.T, app *testenv.App, user string) *http.Client {
	t.Helper()
	c := browser(t)
	res, _ := fetch(t, c, http.MethodGet, app.URL+"/web/login?next=/web/me", weChatUA, nil)
	auth, err := url.Parse(res.Header.Get("Location"))
	if err != nil || res.StatusCode != http.StatusFound {
		t.Fatalf("login: %d %v", res.StatusCode, err)
	}
	q := auth.Query()
	q.Set("fake_user", user)
	auth.RawQuery = q.Encode()
	res, _ = fetch(t, c, http.MethodGet, auth.String(), weChatUA, nil)
	res, _ = fetch(t, c, http.MethodGet, res.Header.Get("Location"), weChatUA, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("oauth callback: %d", res.StatusCode)
	}
	return c
}

// TestWebPersonalDataRights: 我的 offers 导出我的数据 (JSON and zip, the API's
// export) and 注销账号 (a confirmation page, then the API's deletion): nothing
// happens without the confirmation, and afterwards the browser is signed out
// and the WeChat binding is gone.
func TestWebPersonalDataRights(t *testing.T) {
	app := startApp(t, false)
	c := signInWeChat(t, app, "web-rights")
	_, page := fetch(t, c, http.MethodGet, app.URL+"/web/me", "", nil)
	for _, want := range []string{`href="/web/me/export"`, `href="/web/me/export?format=zip"`, `href="/web/me/delete"`, "导出我的数据", "注销账号"} {
		if !strings.Contains(page, want) {
			t.Fatalf("我的 lacks %q", want)
		}
	}
	idNumber := testenv.RandomIDNumber("01")
	res, page := fetch(t, c, http.MethodPost, app.URL+"/web/me/identity", "", url.Values{
		"csrf": {between(page, `name="csrf" value="`, `"`)}, "name": {"李网页"}, "id_type": {"01"}, "id_number": {idNumber}, "privacy_consent": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("bind identity: %d %s", res.StatusCode, page)
	}

	// The copy: JSON with the full ID number, and the zip holding it.
	res, body := fetch(t, c, http.MethodGet, app.URL+"/web/me/export", "", nil)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	var export map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &export); err != nil {
		t.Fatalf("export JSON: %v", err)
	}
	if acct := string(export["账号与身份信息"]); !strings.Contains(acct, idNumber) || !strings.Contains(acct, "李网页") {
		t.Fatalf("export account: %s", acct)
	}
	res, body = fetch(t, c, http.MethodGet, app.URL+"/web/me/export?format=zip", "", nil)
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	if res.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("zip export: %d %v", res.StatusCode, err)
	}
	if len(zr.File) == 0 || zr.File[0].Name != "我的数据.json" {
		t.Fatalf("zip holds %v", zr.File)
	}
	res, page = fetch(t, c, http.MethodGet, app.URL+"/web/me/export?format=pdf", "", nil)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "导出格式只能是 json 或 zip") {
		t.Fatalf("bad format: %d", res.StatusCode)
	}

	// 注销账号: without the box ticked nothing is deleted and the page says why.
	_, page = fetch(t, c, http.MethodGet, app.URL+"/web/me/delete", "", nil)
	if !strings.Contains(page, "依法保留") || !strings.Contains(page, `name="confirm"`) {
		t.Fatal("the deletion page does not explain what is kept")
	}
	csrf := between(page, `name="csrf" value="`, `"`)
	res, page = fetch(t, c, http.MethodPost, app.URL+"/web/me/delete", "", url.Values{"csrf": {csrf}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, "请确认注销账号") || !strings.Contains(page, `aria-invalid="true"`) {
		t.Fatalf("delete without confirmation: %d", res.StatusCode)
	}
	if _, page = fetch(t, c, http.MethodGet, app.URL+"/web/me", "", nil); !strings.Contains(page, "李网页") {
		t.Fatal("an unconfirmed deletion deleted the identity")
	}
	// Without the CSRF token: refused.
	if res, _ = fetch(t, c, http.MethodPost, app.URL+"/web/me/delete", "", url.Values{"confirm": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("delete without token: %d", res.StatusCode)
	}
	res, page = fetch(t, c, http.MethodPost, app.URL+"/web/me/delete", "", url.Values{"csrf": {csrf}, "confirm": {"1"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "账号已注销") {
		t.Fatalf("delete: %d %s", res.StatusCode, page)
	}
	if res, _ = fetch(t, c, http.MethodGet, app.URL+"/web/me", "", nil); res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusFound {
		t.Fatalf("after deletion /web/me answers %d, want the sign-in page", res.StatusCode)
	}
	var n int
	oaOpenID := fake.DevOpenID(fake.DefaultOAAppID, "web-rights")
	if err := app.DB.R.Get(&n, app.DB.R.Rebind(`SELECT COUNT(*) FROM candidates WHERE openid = ? OR openid = ?`), "oa:"+oaOpenID, oaOpenID); err != nil || n != 0 {
		t.Fatalf("candidates still bound to the WeChat id: %d %v", n, err)
	}
}
