package handlers_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"skillcert/core"
	"skillcert/internal/testenv"
	"skillcert/server"
	"skillcert/wechat/fake"
)

// login posts a wx.login code and returns the answer.
func login(t *testing.T, app *testenv.App, code string) *testenv.Response {
	t.Helper()
	return app.Client().Do(t, http.MethodPost, "/api/v1/auth/login", map[string]string{"code": code})
}

// wantError checks the status and error code of an answer and that its message is Chinese.
func wantError(t *testing.T, res *testenv.Response, status int, code string) {
	t.Helper()
	if res.Status != status || res.ErrorCode() != code {
		t.Fatalf("want %d %s, got %d %s", status, code, res.Status, res.Body)
	}
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	res.JSON(t, &e)
	if !hasHan(e.Error.Message) {
		t.Fatalf("error message is not Chinese: %q", e.Error.Message)
	}
}

func TestAuthLogin(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{})
		wx := testenv.WeChat(t)
		openID, unionID := testenv.NewOpenID(), testenv.NewOpenID()

		// A new candidate.
		code := testenv.NewCode()
		wx.RegisterCode(code, openID, unionID)
		res := login(t, app, code)
		if res.Status != http.StatusOK {
			t.Fatalf("login: %d %s", res.Status, res.Body)
		}
		var first core.LoginResult
		res.JSON(t, &first)
		if first.Token == "" || first.Candidate.ID == 0 || first.Candidate.HasIdentity {
			t.Fatalf("login answer: %s", res.Body)
		}
		if d := time.Until(first.ExpiresAt); d < core.SessionTTL-time.Minute || d > core.SessionTTL+time.Minute {
			t.Fatalf("expires_at %s is not a session lifetime away", first.ExpiresAt)
		}
		if strings.Contains(strings.ToLower(string(res.Body)), "session_key") {
			t.Fatalf("the WeChat session key reached the client: %s", res.Body)
		}
		var storedUnion string
		if err := app.DB.R.Get(&storedUnion, "SELECT unionid FROM candidates WHERE id = ?", first.Candidate.ID); err != nil || storedUnion != unionID {
			t.Fatalf("unionid stored = %q, %v", storedUnion, err)
		}

		// The same WeChat user again: the same candidate, a new session.
		code2 := testenv.NewCode()
		wx.RegisterCode(code2, openID, "")
		res = login(t, app, code2)
		var second core.LoginResult
		res.JSON(t, &second)
		if res.Status != http.StatusOK || second.Candidate.ID != first.Candidate.ID || second.Token == first.Token {
			t.Fatalf("returning login: %d %s", res.Status, res.Body)
		}

		// Refused codes.
		wantError(t, login(t, app, code), http.StatusBadRequest, "login_code_invalid") // reused
		wantError(t, login(t, app, "never-issued"), http.StatusBadRequest, "login_code_invalid")
		wantError(t, login(t, app, "  "), http.StatusBadRequest, "code_required")
		res = app.Client().Do(t, http.MethodPost, "/api/v1/auth/login", "not an object")
		wantError(t, res, http.StatusBadRequest, "bad_json")

		// WeChat down: busy, or a gateway error.
		wx.FailNextOn(fake.PathCode2Session, 1, -1)
		c3 := testenv.NewCode()
		wx.RegisterCode(c3, openID, "")
		wantError(t, login(t, app, c3), http.StatusServiceUnavailable, "wechat_unavailable")
		wx.FailNextHTTP(fake.PathCode2Session, 1, http.StatusBadGateway)
		wantError(t, login(t, app, c3), http.StatusServiceUnavailable, "wechat_unavailable")
		if res := login(t, app, c3); res.Status != http.StatusOK {
			t.Fatalf("login after WeChat recovered: %d %s", res.Status, res.Body)
		}

		// Both sessions work until logged out.
		a := app.Client()
		a.Token = first.Token
		if res := a.Get(t, "/api/v1/me"); res.Status != http.StatusOK {
			t.Fatalf("GET /me: %d %s", res.Status, res.Body)
		}
		if res := a.Do(t, http.MethodPost, "/api/v1/auth/logout", nil); res.Status != http.StatusNoContent {
			t.Fatalf("logout: %d %s", res.Status, res.Body)
		}
		wantError(t, a.Get(t, "/api/v1/me"), http.StatusUnauthorized, "unauthorized")
		wantError(t, a.Do(t, http.MethodPost, "/api/v1/auth/logout", nil), http.StatusUnauthorized, "unauthorized")
		b := app.Client()
		b.Token = second.Token
		if res := b.Get(t, "/api/v1/me"); res.Status != http.StatusOK {
			t.Fatalf("the other session ended with the first: %d %s", res.Status, res.Body)
		}
		wantError(t, app.Client().Get(t, "/api/v1/me"), http.StatusUnauthorized, "unauthorized")

		// Sessions expire.
		app.Clock.Set(time.Now().Add(core.SessionTTL + time.Minute))
		wantError(t, b.Get(t, "/api/v1/me"), http.StatusUnauthorized, "unauthorized")
	})
}

func TestAuthLoginRateLimit(t *testing.T) {
	testenv.ForEachEngine(t, func(t *testing.T, dsn string) {
		app := testenv.Start(t, dsn, testenv.Options{Env: map[string]string{"SKILLCERT_LOGIN_RATE": "3",
			"SKILLCERT_TRUSTED_PROXIES": "127.0.0.1/32"}})
		// Inside a minute, away from its end so the window does not roll over mid-test.
		app.Clock.Set(time.Date(2026, 3, 10, 2, 0, 5, 0, time.UTC))
		post := func(ip string) *testenv.Response {
			req, _ := http.NewRequest(http.MethodPost, app.URL+"/api/v1/auth/login", strings.NewReader(`{"code":"never-issued"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-For", ip)
			return app.Client().Send(t, req)
		}
		for i := 0; i < 3; i++ {
			wantError(t, post("203.0.113.9"), http.StatusBadRequest, "login_code_invalid")
		}
		res := post("203.0.113.9")
		wantError(t, res, http.StatusTooManyRequests, "rate_limited")
		if ra := res.Header.Get("Retry-After"); ra != "55" {
			t.Fatalf("Retry-After = %q, want 55", ra)
		}
		if m := res.Map(t); m["retry_after_seconds"] != float64(55) {
			t.Fatalf("retry_after_seconds: %s", res.Body)
		}
		// Another address is not affected; the next minute is a new window.
		wantError(t, post("203.0.113.10"), http.StatusBadRequest, "login_code_invalid")
		app.Clock.Set(time.Date(2026, 3, 10, 2, 1, 0, 0, time.UTC))
		wantError(t, post("203.0.113.9"), http.StatusBadRequest, "login_code_invalid")
	})
}

func TestAuthLoginWithRedis(t *testing.T) {
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{Env: map[string]string{
		"SKILLCERT_REDIS_URL": testenv.SharedRedisURL(t), "SKILLCERT_LOGIN_RATE": "2",
		"SKILLCERT_TRUSTED_PROXIES": "127.0.0.1/32"}})
	if app.Redis == nil {
		t.Fatal("no Redis client")
	}
	// Redis outlives test runs: a random minute gives this run its own rate windows.
	app.Clock.Set(time.Date(2026, 3, 10, 2, 0, 5, 0, time.UTC).Add(time.Duration(rand.IntN(1e6)) * time.Minute))
	// Sign-in and the phone (which needs an access token, kept in Redis) work.
	c := testenv.SignIn(t, app)
	if res := bindPhone(t, c, "13812345678"); res.Status != http.StatusOK {
		t.Fatalf("bind phone: %d %s", res.Status, res.Body)
	}
	// The limit is counted in Redis, not in the database. The address is random
	// so that earlier runs against the same Redis do not count.
	ip := fmt.Sprintf("198.51.100.%d", rand.IntN(250)+1)
	for i, want := range []int{http.StatusBadRequest, http.StatusBadRequest, http.StatusTooManyRequests} {
		req, _ := http.NewRequest(http.MethodPost, app.URL+"/api/v1/auth/login", strings.NewReader(`{"code":"never-issued"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", ip)
		if res := app.Client().Send(t, req); res.Status != want {
			t.Fatalf("attempt %d: %d %s", i+1, res.Status, res.Body)
		}
	}
	var n int
	if err := app.DB.R.Get(&n, "SELECT COUNT(*) FROM rate_counters"); err != nil || n != 0 {
		t.Fatalf("rate_counters rows = %d, %v", n, err)
	}
}

func TestAuthLoginWithoutWeChat(t *testing.T) {
	app := testenv.Start(t, testenv.NewDSN(t, "sqlite"), testenv.Options{Configure: func(cfg *server.Config) {
		cfg.WeChat = server.WeChatConfig{}
	}})
	wantError(t, login(t, app, "any"), http.StatusServiceUnavailable, "wechat_not_configured")
}
