package testenv

import (
	"net/http/httptest"
	"sync"
	"testing"

	"skillcert/wechat/fake"
)

// The WeChat SDK sends every call through one process-wide HTTP client, so a test
// binary has one fake WeChat API, shared by every App that Start starts.
var (
	wxOnce sync.Once
	wxFake *fake.Server
	wxURL  string
)

// weChatFake starts the process-wide fake on first use and returns it and its URL.
func weChatFake() (*fake.Server, string) {
	wxOnce.Do(func() {
		wxFake = fake.New(fake.Options{})
		wxURL = httptest.NewServer(wxFake).URL // lives as long as the test binary
	})
	return wxFake, wxURL
}

// WeChat returns the fake WeChat API (wechat/fake) that every App started by
// Start talks to, with the credentials fake.DefaultMPAppID/DefaultMPSecret and
// fake.DefaultOAAppID/DefaultOASecret. Register login and phone codes on it
// (RegisterCode, RegisterPhoneCode), grant consents, read Sent messages.
//
// It is shared by the whole test binary: a test that changes its behaviour for
// every caller (FailNext, SetLatency, ExpireTokens, InvalidateTokens) must not
// run in parallel with other tests that call WeChat.
func WeChat(t testing.TB) *fake.Server {
	t.Helper()
	s, _ := weChatFake()
	return s
}

// weChatEnv is the WECHAT_* configuration that points an App at the fake.
func weChatEnv() map[string]string {
	_, url := weChatFake()
	return map[string]string{
		"WECHAT_MP_APPID":  fake.DefaultMPAppID,
		"WECHAT_MP_SECRET": fake.DefaultMPSecret,
		"WECHAT_OA_APPID":  fake.DefaultOAAppID,
		"WECHAT_OA_SECRET": fake.DefaultOASecret,
		"WECHAT_API_BASE":  url,
	}
}
