package handlers_test

import (
	"net/http"
	"testing"

	"skillcert/internal/testenv"
	"skillcert/wechat/fake"
)

// bindPhone registers a getPhoneNumber code for phone in the fake WeChat and
// posts it to POST /api/v1/me/phone.
func bindPhone(t *testing.T, c *testenv.Client, phone string) *testenv.Response {
	t.Helper()
	code := testenv.NewCode()
	testenv.WeChat(t).RegisterPhoneCode(code, phone)
	return c.Do(t, http.MethodPost, "/api/v1/me/phone", map[string]string{"code": code})
}

func TestMePhone(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		wx := testenv.WeChat(t)
		c := testenv.SignIn(t, app)
		if me := getMe(t, c); me.PhoneMasked != "" {
			t.Fatalf("phone before binding: %+v", me)
		}
		res := bindPhone(t, c, "13812345678")
		if res.Status != http.StatusOK || res.Map(t)["phone_masked"] != "138****5678" {
			t.Fatalf("bind phone: %d %s", res.Status, res.Body)
		}
		if me := getMe(t, c); me.PhoneMasked != "138****5678" {
			t.Fatalf("GET /me: %+v", me)
		}

		// A number with the country code is stored as its 11 digits.
		if res := bindPhone(t, c, "+86 13912345678"); res.Status != http.StatusOK || res.Map(t)["phone_masked"] != "139****5678" {
			t.Fatalf("+86 number: %d %s", res.Status, res.Body)
		}

		// Refused codes: unknown, reused, missing.
		code := testenv.NewCode()
		wx.RegisterPhoneCode(code, "13700000000")
		post := func(code string) *testenv.Response {
			return c.Do(t, http.MethodPost, "/api/v1/me/phone", map[string]string{"code": code})
		}
		if res := post(code); res.Status != http.StatusOK {
			t.Fatalf("bind: %d %s", res.Status, res.Body)
		}
		wantError(t, post(code), http.StatusBadRequest, "phone_code_invalid")
		wantError(t, post("never-issued"), http.StatusBadRequest, "phone_code_invalid")
		wantError(t, post(""), http.StatusBadRequest, "code_required")

		// WeChat busy: 503; an expired access token is renewed on the way.
		wx.FailNextOn(fake.PathPhoneNumber, 1, -1)
		wantError(t, bindPhone(t, c, "13600000000"), http.StatusServiceUnavailable, "wechat_unavailable")
		wx.ExpireTokens()
		if res := bindPhone(t, c, "13600000000"); res.Status != http.StatusOK || res.Map(t)["phone_masked"] != "136****0000" {
			t.Fatalf("after token expiry: %d %s", res.Status, res.Body)
		}
		wantError(t, app.Client().Do(t, http.MethodPost, "/api/v1/me/phone", map[string]string{"code": "x"}), http.StatusUnauthorized, "unauthorized")
	})
}
