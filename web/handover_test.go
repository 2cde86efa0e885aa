package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/wechat/fake"
)

// TestHandoverLinks: a hand-over link opens only its step's own page (no
// address in the link, so no open redirect), signing in first inside WeChat;
// a forged or altered token is refused, an old one goes home with a notice; a
// browser signed in as someone else signs in again.
func TestHandoverLinks(t *testing.T) {
	app := startApp(t, false)
	ctx := t.Context()
	openID := fake.DevOpenID(fake.DefaultOAAppID, "handover-user")
	cand, err := app.Core.ResolveOAIdentity(ctx, openID, "", true)
	if err != nil {
		t.Fatal(err)
	}
	tok := app.Core.IssueHandoverToken(cand, core.HandoverIdentity, 0)

	// Forged, altered, and a step about a registration without one: refused.
	for _, bad := range []string{"identity.0.1.9999999999.0123456789abcdef0123456789abcdef",
		strings.Replace(tok, "identity", "records", 1), tok + "0", "x",
		app.Core.IssueHandoverToken(cand, core.HandoverAttachments, 0)} {
		res, page := fetch(t, browser(t), http.MethodGet, app.URL+"/web/h/"+url.PathEscape(bad), weChatUA, nil)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(page, "链接无效") {
			t.Fatalf("token %q: %d", bad, res.StatusCode)
		}
	}

	// Inside WeChat: to the sign-in with the step's page as next, then web
	// authorization, then the page, which offers the way back.
	c := browser(t)
	res, _ := fetch(t, c, http.MethodGet, app.URL+"/web/h/"+tok, weChatUA, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/web/login?next=%2Fweb%2Fme" {
		t.Fatalf("hand-over: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res, _ = fetch(t, c, http.MethodGet, app.URL+res.Header.Get("Location"), weChatUA, nil)
	auth, _ := url.Parse(res.Header.Get("Location"))
	q := auth.Query()
	q.Set("fake_user", "handover-user")
	auth.RawQuery = q.Encode()
	res, _ = fetch(t, c, http.MethodGet, auth.String(), weChatUA, nil)
	res, _ = fetch(t, c, http.MethodGet, res.Header.Get("Location"), weChatUA, nil)
	if res.Header.Get("Location") != "/web/me?ok=signedin" {
		t.Fatalf("after authorization: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, page := fetch(t, c, http.MethodGet, app.URL+"/web/me", weChatUA, nil)
	if !strings.Contains(page, "返回公众号继续") || !strings.Contains(page, "个人信息保护说明") {
		t.Fatal("the identity page does not offer the way back to the chat")
	}
	// Signed in as the link's candidate: straight to the step.
	res, _ = fetch(t, c, http.MethodGet, app.URL+"/web/h/"+app.Core.IssueHandoverToken(cand, core.HandoverCertificates, 0), weChatUA, nil)
	if res.Header.Get("Location") != "/web/certificates" {
		t.Fatalf("signed in: %s", res.Header.Get("Location"))
	}
	// 返回公众号继续 without WeChat's bridge: a page that says so; pages stop offering it.
	_, page = fetch(t, c, http.MethodGet, app.URL+"/web/back", weChatUA, nil)
	if !strings.Contains(page, "请关闭本页") {
		t.Fatal("no back page")
	}
	_, page = fetch(t, c, http.MethodGet, app.URL+"/web/me", weChatUA, nil)
	if strings.Contains(page, "data-close-wechat") {
		t.Fatal("still offering the way back after it")
	}
	// A link made for someone else: this browser signs in again.
	other, err := app.Core.ResolveOAIdentity(ctx, fake.DevOpenID(fake.DefaultOAAppID, "someone-else"), "", true)
	if err != nil {
		t.Fatal(err)
	}
	res, _ = fetch(t, c, http.MethodGet, app.URL+"/web/h/"+app.Core.IssueHandoverToken(other, core.HandoverRecords, 0), weChatUA, nil)
	if !strings.HasPrefix(res.Header.Get("Location"), "/web/login?next=") {
		t.Fatalf("someone else's link: %s", res.Header.Get("Location"))
	}

	// Old: home with a notice.
	app.Clock.Set(time.Now().Add(core.HandoverTTL + time.Minute))
	res, _ = fetch(t, browser(t), http.MethodGet, app.URL+"/web/h/"+tok, weChatUA, nil)
	if res.Header.Get("Location") != "/web/?ok=link_expired" {
		t.Fatalf("expired: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	app.Clock.Set(time.Time{})
}
