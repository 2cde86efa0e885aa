package main

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"skillcert/chatbot"
	"skillcert/wechat"
	"skillcert/wechat/fake"
)

// TestOAMenuCommand: `skillcert oa-menu` creates the custom menu through the
// SDK on the stand-in, which records it after WeChat's checks: 报名 (a click
// the chat answers), 我的报名 (a web page) and 更多 (four web pages and help).
func TestOAMenuCommand(t *testing.T) {
	wx := fake.New(fake.Options{})
	srv := httptest.NewServer(wx)
	defer srv.Close()
	t.Setenv("WECHAT_API_BASE", srv.URL)
	t.Setenv("WECHAT_OA_APPID", fake.DefaultOAAppID)
	t.Setenv("WECHAT_OA_SECRET", fake.DefaultOASecret)
	t.Setenv("SKILLCERT_BASE_URL", "")

	var out bytes.Buffer
	if code := run(context.Background(), []string{"oa-menu"}, nil, &out, &out); code == 0 {
		t.Fatalf("no base URL: exit 0\n%s", out.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"oa-menu", "--base-url", "https://skillcert.example.cn"}, nil, &out, &out); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "menu created") || !strings.Contains(out.String(), "我的报名 → https://skillcert.example.cn/web/registrations") {
		t.Fatalf("output:\n%s", out.String())
	}
	menu := wx.Menu()
	if len(menu) != 3 {
		t.Fatalf("menu %+v", menu)
	}
	if b := menu[0]; b.Type != "click" || b.Name != "报名" || b.Key != chatbot.MenuKeyRegister {
		t.Fatalf("报名: %+v", b)
	}
	if b := menu[1]; b.Type != "view" || b.Name != "我的报名" || b.URL != "https://skillcert.example.cn/web/registrations" {
		t.Fatalf("我的报名: %+v", b)
	}
	more := menu[2]
	var names []string
	for _, s := range more.SubButton {
		names = append(names, s.Name+"="+s.URL+s.Key)
	}
	want := []string{"评价计划查询=https://skillcert.example.cn/web/plans", "证书进度查询=https://skillcert.example.cn/web/certificates",
		"外部督导反馈=https://skillcert.example.cn/web/feedback", "培训意向登记=https://skillcert.example.cn/web/training",
		"使用帮助=" + chatbot.MenuKeyHelp}
	if more.Name != "更多" || strings.Join(names, " ") != strings.Join(want, " ") {
		t.Fatalf("更多: %s %v", more.Name, names)
	}
}

// TestMenuChecks: the stand-in refuses a menu as WeChat does, with its
// errcodes, through the SDK.
func TestMenuChecks(t *testing.T) {
	wx := fake.New(fake.Options{})
	srv := httptest.NewServer(wx)
	defer srv.Close()
	c, err := wechat.New(wechat.Config{OAAppID: fake.DefaultOAAppID, OASecret: fake.DefaultOASecret, APIBase: srv.URL}, wechat.NewMemoryCache())
	if err != nil {
		t.Fatal(err)
	}
	click := func(name string) wechat.MenuButton { return wechat.MenuButton{Type: "click", Name: name, Key: "K"} }
	for _, tc := range []struct {
		name string
		menu []wechat.MenuButton
		code int
	}{
		{"no buttons", nil, 40016},
		{"four buttons", []wechat.MenuButton{click("一"), click("二"), click("三"), click("四")}, 40016},
		{"top name over 16 bytes", []wechat.MenuButton{click("报名报名报名")}, 40018},
		{"click without key", []wechat.MenuButton{{Type: "click", Name: "报名"}}, 40019},
		{"unknown type", []wechat.MenuButton{{Type: "dance", Name: "报名", Key: "K"}}, 40017},
		{"view without URL", []wechat.MenuButton{{Type: "view", Name: "我的", URL: "/web/"}}, 40055},
		{"six sub-buttons", []wechat.MenuButton{{Name: "更多", Sub: []wechat.MenuButton{click("1"), click("2"), click("3"), click("4"), click("5"), click("6")}}}, 40023},
		{"sub name over 60 bytes", []wechat.MenuButton{{Name: "更多", Sub: []wechat.MenuButton{click(strings.Repeat("长", 21))}}}, 40025},
		{"sub view with a bad URL", []wechat.MenuButton{{Name: "更多", Sub: []wechat.MenuButton{{Type: "view", Name: "页", URL: "ftp://x"}}}}, 40054},
	} {
		err := c.SetMenu(context.Background(), tc.menu)
		var we *wechat.Error
		if !errors.As(err, &we) || we.Code != tc.code {
			t.Errorf("%s: %v, want errcode %d", tc.name, err, tc.code)
		}
	}
	if wx.Menu() != nil {
		t.Fatalf("a refused menu was recorded: %+v", wx.Menu())
	}
	if err := c.SetMenu(context.Background(), []wechat.MenuButton{click("报名")}); err != nil || len(wx.Menu()) != 1 {
		t.Fatalf("a good menu: %v %+v", err, wx.Menu())
	}
}
